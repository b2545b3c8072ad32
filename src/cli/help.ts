/** `hyperhive help`: the usage lines of the command table, then the options and exit status. */
import { USAGE_LINES } from './args.js';

/** `hyperhive help`. */
export function helpText(): string[] {
  const width = Math.max(...USAGE_LINES.map(([synopsis]) => synopsis.length));
  return [
    'hyperhive — the hive ctl (talks to hyperhive-core over its host socket)',
    '',
    'usage: hyperhive [--json] [--socket PATH | --url URL [--token-file FILE]] <command> [args]',
    '',
    ...USAGE_LINES.map(([synopsis, what]) => `  ${synopsis.padEnd(width)}  ${what}`),
    '',
    'options:',
    '  --json             print the core\'s response objects verbatim (one JSON object per line)',
    '  --socket PATH      host socket (default: $HYPERHIVE_SOCKET, else <runtime dir>/host.sock)',
    '  --url URL          the core\'s HTTP API instead (http://HOST:PORT): status, pending, approval, questions, stats, schedules, resources, watch',
    '  --token-file FILE  the bearer token, for a core that listens beyond loopback',
    '',
    'exit status: 0 ok, 1 the core refused (its reason is printed), 2 core unreachable or bad usage',
  ];
}

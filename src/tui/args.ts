/** Command-line options of hyperhive-tui, parsed by meow (pure: argv and env in, options or an error out). */
import { parseCommandLine, type FlagSpecs } from '../protocol/command-line.js';
import { tuiOptions, type TuiOptions } from './usual-args.js';
import { checkHttpUrl } from '../protocol/light.js';

export type { TuiOptions } from './usual-args.js';

/** Usage text for --help. */
export const USAGE = `usage: hyperhive-tui [--socket PATH | --url URL [--token-file FILE] | --context NAME]
                     [--read-only] [--no-color] [--no-bell] [--no-mouse]

  --socket PATH      host socket (default: $HYPERHIVE_SOCKET, then <runtime>/host.sock)
  --url URL          attach over HTTP + SSE (http://HOST:PORT); read-only without a token
  --token-file FILE  the core's bearer token: approve, deny, answer and cancel over HTTP
  --context NAME     start on a hive named in $XDG_CONFIG_HOME/hyperhive/contexts.json
                     (name → socket path or URL; :ctx NAME switches while running)
  --read-only        hide every action that changes the hive (also when PATH is host-ro.sock)
  --no-color         no colour escapes at all (also when NO_COLOR is set)
  --no-bell          do not ring the terminal bell on a new approval or question
  --no-mouse         no mouse reporting (the wheel no longer scrolls; the mouse selects text)
  --demo             run as the demo's console (npm start): q asks first, since quitting stops the demo hive
  --version          the console's version
  -h, --help         this text`;

const FLAGS = {
  socket: { type: 'string' },
  url: { type: 'string' },
  tokenFile: { type: 'string' },
  context: { type: 'string' },
  readOnly: { type: 'boolean' },
  color: { type: 'boolean', default: true },
  bell: { type: 'boolean', default: true },
  mouse: { type: 'boolean', default: true },
  demo: { type: 'boolean' },
} as const satisfies FlagSpecs;

/** Parse argv; `help` and `version` ask for those texts. */
export function parseTuiArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { ok: true; options: TuiOptions } | { ok: false; error: string } | { ok: 'help' } | { ok: 'version' } {
  const parsed = parseCommandLine(argv, FLAGS);
  if (!parsed.ok) return { ok: false, error: `${parsed.error}\n\n${USAGE}` };
  const { help, version, socket, url, tokenFile, context, readOnly, color, bell, mouse, demo } = parsed.flags;
  if (help) return { ok: 'help' };
  if (version) return { ok: 'version' };
  if (parsed.input.length > 0) return { ok: false, error: `unexpected argument ${JSON.stringify(parsed.input[0])}\n\n${USAGE}` };
  if (socket === '') return { ok: false, error: '--socket needs a path' };
  const given = [socket !== undefined && '--socket', url !== undefined && '--url', context !== undefined && '--context'].filter(Boolean);
  if (given.length > 1) return { ok: false, error: `${given.join(' and ')} each name a hive; give one` };
  if (tokenFile !== undefined && url === undefined) return { ok: false, error: '--token-file goes with --url (a context names its own token file)' };
  if (context === '' || tokenFile === '') return { ok: false, error: `${context === '' ? '--context' : '--token-file'} needs a value` };
  let checkedUrl: string | undefined;
  try {
    checkedUrl = url === undefined ? undefined : checkHttpUrl(url);
  } catch (err) {
    return { ok: false, error: `--url: ${(err as Error).message}` };
  }
  const options = tuiOptions({ ...(socket !== undefined && { socket }), readOnly: readOnly === true, color, bell, mouse, demo: demo === true }, env);
  return {
    ok: true,
    options: { ...options, ...(checkedUrl !== undefined && { url: checkedUrl }), ...(tokenFile !== undefined && { tokenFile }), ...(context !== undefined && { context }) },
  };
}

/** Command-line options of hyperhive-tui (pure: argv and env in, options or an error out). */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveHostSocket } from '../protocol/light.js';

/** What the console was asked to do. */
export interface TuiOptions {
  socketPath: string;
  readOnly: boolean;
  color: boolean;
  bell: boolean;
}

/** Usage text for --help. */
export const USAGE = `usage: hyperhive-tui [--socket PATH] [--read-only] [--no-color] [--no-bell]

  --socket PATH  host socket (default: $HYPERHIVE_SOCKET, then <runtime>/host.sock)
  --read-only    hide every action that changes the hive (also when PATH is host-ro.sock)
  --no-color     no colour escapes at all (also when NO_COLOR is set)
  --no-bell      do not ring the terminal bell on a new approval or question
  -h, --help     this text`;

/** Parse argv; `help` asks for the usage text. */
export function parseTuiArgs(argv: string[], env: NodeJS.ProcessEnv): { ok: true; options: TuiOptions } | { ok: false; error: string } | { ok: 'help' } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        socket: { type: 'string' },
        'read-only': { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'no-bell': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { ok: false, error: `${(err as Error).message.split('\n')[0]}\n\n${USAGE}` };
  }
  if (values.help) return { ok: 'help' };
  if (values.socket !== undefined && values.socket === '') return { ok: false, error: '--socket needs a path' };
  const socketPath = resolveHostSocket(values.socket as string | undefined, env);
  const readOnly = Boolean(values['read-only']) || path.basename(socketPath) === 'host-ro.sock';
  const color = !values['no-color'] && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  return { ok: true, options: { socketPath, readOnly, color, bell: !values['no-bell'] } };
}

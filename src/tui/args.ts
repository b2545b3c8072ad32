/** Command-line options of hyperhive-tui, parsed by meow (pure: argv and env in, options or an error out). */
import { parseCommandLine, type FlagSpecs } from '../protocol/command-line.js';
import { tuiOptions, type TuiOptions } from './usual-args.js';

export type { TuiOptions } from './usual-args.js';

/** Usage text for --help. */
export const USAGE = `usage: hyperhive-tui [--socket PATH] [--read-only] [--no-color] [--no-bell] [--no-mouse]

  --socket PATH  host socket (default: $HYPERHIVE_SOCKET, then <runtime>/host.sock)
  --read-only    hide every action that changes the hive (also when PATH is host-ro.sock)
  --no-color     no colour escapes at all (also when NO_COLOR is set)
  --no-bell      do not ring the terminal bell on a new approval or question
  --no-mouse     no mouse reporting (the wheel no longer scrolls; the mouse selects text)
  --demo         run as the demo's console (npm start): q asks first, since quitting stops the demo hive
  --version      the console's version
  -h, --help     this text`;

const FLAGS = {
  socket: { type: 'string' },
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
  const { help, version, socket, readOnly, color, bell, mouse, demo } = parsed.flags;
  if (help) return { ok: 'help' };
  if (version) return { ok: 'version' };
  if (parsed.input.length > 0) return { ok: false, error: `unexpected argument ${JSON.stringify(parsed.input[0])}\n\n${USAGE}` };
  if (socket === '') return { ok: false, error: '--socket needs a path' };
  return { ok: true, options: tuiOptions({ ...(socket !== undefined && { socket }), readOnly: readOnly === true, color, bell, mouse, demo: demo === true }, env) };
}

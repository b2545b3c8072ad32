/**
 * The console's usual command lines, read without loading meow: meow takes
 * about 20 ms to load, a tenth of the time to the first frame. Any line this
 * does not know goes to `parseTuiArgs` (meow), which is the authority; a test
 * holds the two to the same answers.
 */
import path from 'node:path';
import { resolveHostSocket } from '../protocol/light.js';

/** What the console was asked to do. */
export interface TuiOptions {
  socketPath: string;
  readOnly: boolean;
  /** False with `--no-color` or a non-empty NO_COLOR; the colour level is decided at start (terminal/color-level.ts). */
  color: boolean;
  bell: boolean;
  /** Mouse wheel reporting (off with `--no-mouse`, for selecting text with the mouse). */
  mouse: boolean;
  /** Started by the demo (`npm start`): quitting stops the demo hive, so q asks first. */
  demo: boolean;
  /** The hive's HTTP API instead of its socket (`--url`), with the token for decisions (`--token-file`). */
  url?: string;
  tokenFile?: string;
  /** A context of the contexts file to start on (`--context`). */
  context?: string;
}

/** The flags as parsed, before the environment is consulted. */
export interface TuiFlags {
  socket?: string;
  readOnly: boolean;
  color: boolean;
  bell: boolean;
  mouse: boolean;
  demo: boolean;
}

/** Options from flags and environment: a host-ro.sock socket means read-only, NO_COLOR means no colour. */
export function tuiOptions(flags: TuiFlags, env: NodeJS.ProcessEnv): TuiOptions {
  const socketPath = resolveHostSocket(flags.socket, env);
  const readOnly = flags.readOnly || path.basename(socketPath) === 'host-ro.sock';
  const color = flags.color && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  return { socketPath, readOnly, color, bell: flags.bell, mouse: flags.mouse, demo: flags.demo };
}

/** Options for a line made only of `--socket PATH`, `--read-only`, `--no-color`, `--no-bell`, `--no-mouse` and `--demo`, each at most once; undefined for any other line. */
export function usualTuiArgs(argv: readonly string[], env: NodeJS.ProcessEnv): TuiOptions | undefined {
  const flags: TuiFlags = { readOnly: false, color: true, bell: true, mouse: true, demo: false };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (seen.has(arg)) return undefined;
    seen.add(arg);
    if (arg === '--read-only') flags.readOnly = true;
    else if (arg === '--no-color') flags.color = false;
    else if (arg === '--no-bell') flags.bell = false;
    else if (arg === '--no-mouse') flags.mouse = false;
    else if (arg === '--demo') flags.demo = true;
    else if (arg === '--socket') {
      const value = argv[++i];
      if (value === undefined || value === '' || value.startsWith('-')) return undefined;
      flags.socket = value;
    } else return undefined;
  }
  return tuiOptions(flags, env);
}

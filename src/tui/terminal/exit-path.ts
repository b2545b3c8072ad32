/**
 * The console's one exit path. However it ends — the operator quits, a
 * signal (SIGTERM; SIGHUP when the ssh link drops; SIGINT), an uncaught
 * error, the terminal going away — the terminal is given back first and
 * only then is an error printed, on the operator's own screen.
 */

/** Exit codes for the signals that end the console: 128 + the signal's number, as shells report them. */
export const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/** The process as the exit path uses it (`process`, or a stand-in in tests). */
export interface ExitingProcess {
  on(event: string, listener: (...args: any[]) => void): unknown;
  exit(code: number): void;
  stderr: { write(text: string): unknown };
  stdout: { on(event: 'error', listener: () => void): unknown };
}

/** Install the exit path; the returned function ends the console with a code (and an error to print). */
export function installExitPath(proc: ExitingProcess, cleanup: () => void): (code: number, error?: unknown) => void {
  let finishing = false;
  const finish = (code: number, error?: unknown): void => {
    if (finishing) return;
    finishing = true;
    try {
      cleanup();
    } finally {
      if (error !== undefined) proc.stderr.write(`hyperhive-tui: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      proc.exit(code);
    }
  };
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) proc.on(signal, () => finish(code));
  proc.on('uncaughtException', (err: unknown) => finish(1, err));
  proc.on('unhandledRejection', (reason: unknown) => finish(1, reason));
  // The terminal went away under us (EIO, EPIPE): nothing is left to draw on or to print to.
  proc.stdout.on('error', () => finish(1));
  return finish;
}

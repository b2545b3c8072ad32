/** Everything the ctl's runner touches outside itself: stdout, stderr, stdin, the terminal, the clock. */

/** Everything the runner touches outside itself. */
export interface CliIo {
  /** Write one line to stdout. */
  out(line: string): void;
  /** Write one line to stderr. */
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Terminal width when stdout is a terminal. */
  columns?: number;
  /** Colour on stdout (a terminal, no NO_COLOR). */
  color?: boolean;
  /** Ask the operator a yes/no question on the terminal; absent when there is none to ask on. */
  ask?(prompt: string): Promise<boolean>;
  readStdin(): Promise<string>;
  /** The next line of stdin (null at its end); `login` reads the pasted code with it. */
  readLine(): Promise<string | null>;
  actor(): string;
  version(): string;
  /** A promise that resolves on Ctrl-C (only `watch` asks; other commands keep the default of dying). */
  interrupted(): Promise<void>;
}

/**
 * A command run in a pseudo-terminal the core owns, through util-linux's
 * `script` (`script -qfec CMD /dev/null`): no native pty module is needed,
 * and `script` is on every Linux the hive runs on (Debian's bsdutils is
 * essential, NixOS ships util-linux). claude's login wants a terminal: it
 * draws its prompt there and reads the pasted code from it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** What to run in the terminal, and where. */
export interface TerminalCommand {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Columns and rows the terminal reports: wide, so no address is wrapped. */
const COLUMNS = 200;
const ROWS = 50;

/** `word` quoted for `sh`. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The `script` command line that runs `argv` in a fresh pseudo-terminal of COLUMNS×ROWS. */
export function scriptArgv(argv: readonly string[]): string[] {
  const line = `stty cols ${COLUMNS} rows ${ROWS} 2>/dev/null; exec ${argv.map(shellQuote).join(' ')}`;
  // -q: no start and end banners; -f: flush at once; -e: exit with the command's status.
  return ['script', '-q', '-f', '-e', '-c', line, '/dev/null'];
}

/** A command running in a pseudo-terminal: what it prints, what it is sent, and its end. */
export interface TerminalSession {
  readonly child: ChildProcess;
  /** Type into the terminal. */
  write(text: string): void;
  /** End it and everything it started (its process group). */
  kill(): void;
}

/** Start `command` in a pseudo-terminal; `output` gets everything it prints, `exit` its status (or the reason it could not run). */
export function startInTerminal(command: TerminalCommand, output: (text: string) => void, exit: (code: number | null, error?: Error) => void): TerminalSession {
  const [file, ...args] = scriptArgv(command.argv);
  const child = spawn(file!, args, {
    cwd: command.cwd,
    env: { ...command.env, SHELL: '/bin/sh', TERM: command.env.TERM || 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: ending the session ends claude and whatever it started.
    detached: true,
  });
  let ended = false;
  const finish = (code: number | null, error?: Error) => {
    if (ended) return;
    ended = true;
    exit(code, error);
  };
  child.stdout!.setEncoding('utf8').on('data', output);
  child.stderr!.setEncoding('utf8').on('data', output);
  child.stdin!.on('error', () => {});
  child.on('error', (err) => finish(null, err));
  child.on('close', (code) => finish(code));
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, sig);
    } catch {
      // gone already
    }
  };
  return {
    child,
    write: (text) => {
      if (!child.stdin!.destroyed) child.stdin!.write(text);
    },
    kill: () => {
      signal('SIGTERM');
      setTimeout(() => signal('SIGKILL'), 2000).unref();
    },
  };
}

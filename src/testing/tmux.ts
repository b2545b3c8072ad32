/**
 * Test helper: a real terminal in tmux — a server of its own (a unique `-L`
 * socket, so parallel runs never meet), keys in with `send-keys`, the screen
 * out with `capture-pane`, terminal state with `display -p` formats.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { waitFor } from './hive.js';

/** Whether tmux can run here (tests that need it skip otherwise). */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** One tmux server. */
export class TmuxServer {
  constructor(readonly socket = `hh-tmux-${process.pid}-${Math.random().toString(36).slice(2, 8)}`) {}

  run(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /**
   * Start `argv` in a new session, in a shell that first runs `before` and
   * afterwards says how the program exited and stays open, so the terminal's
   * state after the exit can be read (`<label> exited with N`). Its stderr goes to `stderrFile`.
   */
  start(session: string, opts: { argv: string[]; label: string; env?: Record<string, string>; stderrFile: string; columns?: number; rows?: number; before?: string }): TmuxSession {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    const program = opts.argv.map(shellQuote).join(' ');
    const command = `${opts.before ? `${opts.before}; ` : ''}${env} ${program} 2>${shellQuote(opts.stderrFile)}; echo "${opts.label} exited with $?"; sleep 600`;
    this.run('new-session', '-d', '-s', session, '-x', String(opts.columns ?? 120), '-y', String(opts.rows ?? 32), command);
    return new TmuxSession(this, session, opts.stderrFile);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

/** One session (one pane) of a tmux server. */
export class TmuxSession {
  constructor(
    readonly tmux: TmuxServer,
    readonly name: string,
    private readonly stderrFile?: string,
  ) {}

  /** The visible screen as text, or with its styling (`capture-pane -e`). */
  screen(opts: { escapes?: boolean } = {}): string {
    return this.tmux.run('capture-pane', '-p', ...(opts.escapes ? ['-e'] : []), '-t', this.name);
  }

  /** The pane's scrollback and screen, as text. */
  history(): string {
    return this.tmux.run('capture-pane', '-p', '-S', '-', '-E', '-', '-t', this.name);
  }

  /** A tmux format for this pane (`#{alternate_on}`, `#{history_size}`…). */
  display(format: string): string {
    return this.tmux.run('display', '-p', '-t', this.name, format).trim();
  }

  /** Keys by tmux name (`Enter`, `BSpace`, `j`); all keys of one call go out in one write. */
  press(...keys: string[]): void {
    this.tmux.run('send-keys', '-t', this.name, ...keys);
  }

  /** Literal text, in one write. */
  type(text: string): void {
    this.tmux.run('send-keys', '-t', this.name, '-l', text);
  }

  resize(columns: number, rows: number): void {
    this.tmux.run('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  /** The line with the selection mark. */
  selectedLine(): string {
    return this.screen().split('\n').find((l) => l.startsWith('› ')) ?? '';
  }

  /** The program's pid: the pane's shell's child. */
  programPid(): number | undefined {
    const shell = Number(this.display('#{pane_pid}'));
    try {
      const children = fs.readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      return children.length ? Number(children[0]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Wait until the screen matches; on a timeout the error shows the screen and the program's stderr. */
  async waitScreen(pattern: RegExp, what: string, timeoutMs = 15_000): Promise<string> {
    let last = '';
    try {
      await waitFor(() => pattern.test((last = this.screen())), { timeoutMs, what });
    } catch (err) {
      const stderr = this.stderrFile === undefined ? '' : `\n--- stderr ---\n${fs.existsSync(this.stderrFile) ? fs.readFileSync(this.stderrFile, 'utf8') : '(no stderr file)'}`;
      throw new Error(`${(err as Error).message}\n--- screen ---\n${last}${stderr}`);
    }
    return last;
  }
}

/** A tmux server named `socketName` and its session `session`, as plain functions. */
export function tmuxTerminal(socketName: string, session = 'tui') {
  const server = new TmuxServer(socketName);
  const pane = new TmuxSession(server, session);
  return {
    tmux: (...args: string[]) => server.run(...args),
    screen: () => pane.screen(),
    /** Named keys (`Enter`, `Escape`) or characters, as tmux send-keys takes them; one call is one write. */
    press: (...keys: string[]) => pane.press(...keys),
    /** Literal text. */
    type: (text: string) => pane.type(text),
    /** Wait until the screen matches; on a timeout the error shows the screen. */
    waitScreen: (pattern: RegExp, what: string, timeoutMs?: number) => pane.waitScreen(pattern, what, timeoutMs),
    kill: () => server.kill(),
  };
}

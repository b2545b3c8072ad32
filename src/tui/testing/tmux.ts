/**
 * A real terminal for end-to-end tests: a tmux server of its own (a unique
 * `-L` socket, so parallel runs never meet), one session per console, keys in
 * with `send-keys`, the screen out with `capture-pane`, terminal state with
 * `display -p` formats.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, entries, waitFor } from '../../testing/hive.js';

/** Whether tmux can be run here. */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** What the `hyperhive-tui` bin runs (the bundle) when it is built; tsc's output otherwise. */
export const tuiEntry = (() => {
  const bundle = path.join(repoRoot, 'dist', 'bundle', 'hyperhive-tui.mjs');
  return fs.existsSync(bundle) ? bundle : entries.tui;
})();

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** One tmux server. */
export class Tmux {
  readonly socket = `hh-tui-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  run(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /**
   * Start the console in a new session, in a shell that first runs `before`
   * and afterwards says how the console exited and stays open, so the
   * terminal's state after the exit can be read. Its stderr goes to `stderrFile`.
   */
  startTui(session: string, opts: { args: string[]; env?: Record<string, string>; stderrFile: string; columns?: number; rows?: number; before?: string }): TmuxSession {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    const tui = [process.execPath, tuiEntry, ...opts.args].map(shellQuote).join(' ');
    const command = `${opts.before ? `${opts.before}; ` : ''}${env} ${tui} 2>${shellQuote(opts.stderrFile)}; echo "hyperhive-tui exited with $?"; sleep 600`;
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
    readonly tmux: Tmux,
    readonly name: string,
    private readonly stderrFile: string,
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

  /** The console's pid: the pane's shell's child. */
  tuiPid(): number | undefined {
    const shell = Number(this.display('#{pane_pid}'));
    try {
      const children = fs.readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      return children.length ? Number(children[0]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Wait until the screen matches; on a timeout the error shows the screen and the console's stderr. */
  async waitScreen(pattern: RegExp, what: string, timeoutMs = 15_000): Promise<string> {
    let last = '';
    try {
      await waitFor(() => pattern.test((last = this.screen())), { timeoutMs, what });
    } catch (err) {
      const stderr = fs.existsSync(this.stderrFile) ? fs.readFileSync(this.stderrFile, 'utf8') : '(no stderr file)';
      throw new Error(`${(err as Error).message}\n--- screen ---\n${last}\n--- hyperhive-tui stderr ---\n${stderr}`);
    }
    return last;
  }
}

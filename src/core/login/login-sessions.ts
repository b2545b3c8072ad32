/**
 * claude's login for an agent, run by the core in a pseudo-terminal in that
 * agent's environment (its own `CLAUDE_CONFIG_DIR`): the operator sees the
 * sign-in address and prompt (a `login` dashboard event at each change),
 * pastes the code, and a login that succeeds lifts the agent's `login` pause.
 * One login per agent at a time, a bounded number in all, each ended after
 * `timeoutMs`; a pasted code is never stored, shown or audited.
 */
import type { LoginSession } from '../../protocol/index.js';
import { loginRunning } from '../../protocol/index.js';
import type { UnitOfWork } from '../ports.js';
import { isRefusal, refuse, type Refusal } from '../refusal.js';
import { LoginScreen } from './login-screen.js';
import { startInTerminal, type TerminalCommand, type TerminalSession } from './pseudo-terminal.js';

/** Logins running at once, hive-wide. */
export const MAX_LOGINS = 8;
/** How long a login may wait for its code. */
export const LOGIN_TIMEOUT_MS = 15 * 60_000;
/** Output changes are announced at most this often (state changes at once). */
const OUTPUT_ANNOUNCE_MS = 200;

export interface LoginParts {
  work: UnitOfWork;
  /** How `name`'s login runs (its backend decides), or why it cannot run here. */
  command(name: string): TerminalCommand | Refusal;
  /** A login succeeded. */
  succeeded(name: string, actor: string | undefined): void;
  nowMs: () => number;
  log: (message: string) => void;
  timeoutMs?: number;
}

interface Running {
  session: LoginSession;
  screen: LoginScreen;
  terminal: TerminalSession | null;
  actor: string | undefined;
  /** Lines seen when the last code was sent (a prompt after them asks again). */
  codeSentAt: number;
  /** Why the core ended it (the operator cancelled it, or no code came in time). */
  endedBy: 'operator' | 'timeout' | null;
  timer: NodeJS.Timeout;
  announceTimer: NodeJS.Timeout | null;
}

export class LoginSessions {
  private readonly logins = new Map<string, Running>();
  private closed = false;

  constructor(private readonly p: LoginParts) {}

  /** The agent's login now (or its last one), if any. */
  status(name: string): LoginSession | undefined {
    const s = this.logins.get(name)?.session;
    return s ? { ...s, output: [...s.output] } : undefined;
  }

  /** Start `name`'s login; a login already running is answered as it stands. */
  start(name: string, actor: string | undefined): LoginSession | Refusal {
    const current = this.logins.get(name);
    if (current && loginRunning(current.session)) return this.status(name)!;
    const running = [...this.logins.values()].filter((r) => loginRunning(r.session)).length;
    if (running >= MAX_LOGINS) return refuse('conflict', `${running} logins are running already; finish or cancel one first`);
    const command = this.p.command(name);
    if (isRefusal(command)) return command;
    const r: Running = {
      session: { agent: name, state: 'starting', started_at: this.nowS(), output: [] },
      screen: new LoginScreen(),
      terminal: null,
      actor,
      codeSentAt: -1,
      endedBy: null,
      timer: setTimeout(() => this.timedOut(name, r), this.p.timeoutMs ?? LOGIN_TIMEOUT_MS),
      announceTimer: null,
    };
    r.timer.unref();
    if (current?.announceTimer) clearTimeout(current.announceTimer);
    this.logins.set(name, r);
    this.p.work.commit(() => this.p.work.audit(actor, 'login', name));
    r.terminal = startInTerminal(
      command,
      (text) => this.output(r, text),
      (code, error) => this.ended(r, code, error),
    );
    this.announce(r);
    return this.status(name)!;
  }

  /** Type the code the operator pasted into `name`'s login. */
  sendCode(name: string, code: string, actor: string | undefined): true | Refusal {
    const r = this.logins.get(name);
    if (!r || !loginRunning(r.session)) return refuse('conflict', `no login is running for ${name}; start one first (L, or hyperhive login ${name})`);
    const clean = code.trim();
    if (!clean || /[\r\n\x00-\x1f\x7f]/.test(clean)) return refuse('bad_request', 'a login code is one line of printable text');
    r.screen.redact(clean);
    r.codeSentAt = r.screen.lineCount;
    r.terminal?.write(`${clean}\r`);
    this.p.work.commit(() => this.p.work.audit(actor, 'login_code', name));
    this.update(r, { state: 'checking' });
    return true;
  }

  /** End `name`'s login. */
  cancel(name: string, actor: string | undefined): true | Refusal {
    const r = this.logins.get(name);
    if (!r || !loginRunning(r.session)) return refuse('conflict', `no login is running for ${name}`);
    r.endedBy = 'operator';
    this.p.work.commit(() => this.p.work.audit(actor, 'login_cancel', name));
    r.terminal?.kill();
    return true;
  }

  /** End every login (shutdown). */
  closeAll(): void {
    this.closed = true;
    for (const r of this.logins.values()) {
      clearTimeout(r.timer);
      if (r.announceTimer) clearTimeout(r.announceTimer);
      if (loginRunning(r.session)) r.terminal?.kill();
    }
  }

  private output(r: Running, text: string): void {
    r.screen.push(text);
    const changes: Partial<LoginSession> = {};
    if (r.screen.url && !r.session.url) changes.url = r.screen.url;
    const prompt = r.screen.prompt;
    if (prompt && prompt.text !== r.session.prompt) changes.prompt = prompt.text;
    if (r.session.state === 'starting' && (r.screen.url || prompt)) changes.state = 'waiting_for_code';
    // claude asked again after a code: it did not take it (the line before says why).
    if (r.session.state === 'checking' && prompt && prompt.at > r.codeSentAt) {
      changes.state = 'waiting_for_code';
      const why = r.screen.output().at(-1);
      if (why) changes.message = why;
    }
    if (Object.keys(changes).length) this.update(r, changes);
    else this.announceSoon(r);
  }

  private ended(r: Running, code: number | null, error?: Error): void {
    clearTimeout(r.timer);
    r.screen.end();
    const last = r.screen.lastLine();
    let changes: Partial<LoginSession>;
    if (error) changes = { state: 'failed', message: `cannot start the login: ${error.message} (it runs in a pseudo-terminal through util-linux's script)` };
    else if (r.endedBy === 'timeout') changes = { state: 'failed', message: `no code was pasted within ${Math.round((this.p.timeoutMs ?? LOGIN_TIMEOUT_MS) / 60_000)} minutes; start the login again` };
    else if (r.endedBy === 'operator') changes = { state: 'cancelled', message: 'cancelled by the operator' };
    else if (code === 0) changes = { state: 'succeeded', message: last ?? 'logged in' };
    else changes = { state: 'failed', message: last ?? `the login command exited with code ${code}` };
    this.update(r, { ...changes, ended_at: this.nowS() });
    if (changes.state === 'succeeded' && !this.closed) this.p.succeeded(r.session.agent, r.actor);
  }

  private timedOut(name: string, r: Running): void {
    if (!loginRunning(r.session)) return;
    r.endedBy = 'timeout';
    this.p.log(`login of ${name}: no code came in time; ending it`);
    r.terminal?.kill();
  }

  private update(r: Running, changes: Partial<LoginSession>): void {
    Object.assign(r.session, changes);
    this.announce(r);
  }

  /** Output alone is announced at most every OUTPUT_ANNOUNCE_MS. */
  private announceSoon(r: Running): void {
    if (r.announceTimer || this.closed) return;
    r.announceTimer = setTimeout(() => {
      r.announceTimer = null;
      this.announce(r);
    }, OUTPUT_ANNOUNCE_MS);
    r.announceTimer.unref();
  }

  private announce(r: Running): void {
    if (this.closed) return;
    if (r.announceTimer) {
      clearTimeout(r.announceTimer);
      r.announceTimer = null;
    }
    r.session.output = r.screen.output();
    const session = { ...r.session, output: [...r.session.output] };
    this.p.work.commit(() => this.p.work.announce('login', { session }));
  }

  private nowS(): number {
    return Math.floor(this.p.nowMs() / 1000);
  }
}

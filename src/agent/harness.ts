/**
 * The harness turn loop (DESIGN: "The harness turn loop"): wait while
 * paused, long-poll the inbox, run one command per message, emit live
 * events, record the stats row, ack. Controls arrive on the `control`
 * subscription and take effect between (or, for cancel, during) turns.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ControlMessage, InboxMessage, LiveEventInput, ResultKind } from '../protocol/index.js';
import { AgentLink } from './agent-link.js';
import { AgentStore } from './agent-store.js';
import { runCommand, type RunningCommand } from './claude-runner.js';
import { MCP_SERVER_NAME, writeMcpConfig } from './mcp-config.js';
import { FanoutSink, type EventSink, type StampedEvent } from './sinks/sink.js';
import { ForwardSink } from './sinks/forward-sink.js';
import { JsonlSink } from './sinks/jsonl-sink.js';
import { LogSink } from './sinks/log-sink.js';
import { SqliteHistorySink } from './sinks/sqlite-sink.js';
import { RunTally, classifyRun, contextTokensOf, describeFailure, type RunExit, type Usage } from './stream-parser.js';
import { buildTurnStat } from './turn-stats.js';
import { wakeText } from './wake-text.js';

/** Exit code asking the supervisor to start the harness again (control `restart`). */
export const EXIT_RESTART = 75;

/** How the harness is set up (from the command line). */
export interface HarnessOptions {
  name: string;
  socketPath: string;
  stateDir: string;
  model: string;
  command: string[];
  manager: boolean;
  /** Absolute path of hyperhive-agent's main.js (the MCP server entry). */
  agentEntry: string;
  jsonlPath?: string;
  jsonlMaxBytes?: number;
  /** MCP servers from the agent config, offered beside the hive's own. */
  extraMcpServers?: Record<string, unknown>;
  heartbeatMs?: number;
  recvWaitMs?: number;
  cancelGraceMs?: number;
  historyCap?: number;
  /** Environment for the command (defaults to the harness's own). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Extra sinks (tests, benchmarks). */
  extraSinks?: EventSink[];
}

type RunOutcome = RunExit & { tally: RunTally };
type StopRequest = { exitCode: number; graceful: boolean };

const WOKEN = Symbol('woken');
const CONTROL_RETRY_FIRST_MS = 250;
const CONTROL_RETRY_MAX_MS = 5000;

/** One agent's harness. `run()` resolves with the process exit code. */
export class Harness {
  private readonly link: AgentLink;
  private readonly store: AgentStore;
  private readonly sinks: FanoutSink;
  private readonly log: (line: string) => void;
  private readonly modelFile: string;
  private readonly pausedMarker: string;
  private readonly sessionMarker: string;
  private readonly workDir: string;
  private readonly heartbeatMs: number;
  private readonly recvWaitMs: number;
  private model: string;
  private mcpConfigPath = '';
  private pausedFlag = false;
  private newSession = false;
  private pendingCompact = false;
  private current: RunningCommand | null = null;
  private turnCancelled = false;
  private stopRequest: StopRequest | null = null;
  private pendingRecv: Promise<InboxMessage[] | Error> | null = null;
  private held: InboxMessage[] = [];
  private wakeResolve: (() => void) | null = null;
  private wakePromise: Promise<typeof WOKEN>;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing = false;
  private controlUp = false;
  private lastContextTokens: number | undefined;
  private closed = false;

  constructor(private readonly opts: HarnessOptions) {
    this.log = opts.log ?? ((line) => process.stderr.write(`[hyperhive-agent ${opts.name}] ${line}\n`));
    fs.mkdirSync(opts.stateDir, { recursive: true });
    this.workDir = path.join(opts.stateDir, 'work');
    fs.mkdirSync(this.workDir, { recursive: true });
    this.modelFile = path.join(opts.stateDir, 'model');
    this.pausedMarker = path.join(opts.stateDir, 'paused');
    this.sessionMarker = path.join(opts.stateDir, 'session-started');
    this.heartbeatMs = opts.heartbeatMs ?? 5000;
    this.recvWaitMs = opts.recvWaitMs ?? 30_000;
    this.model = readPersistedModel(this.modelFile) ?? opts.model;
    this.link = new AgentLink(opts.socketPath);
    this.store = new AgentStore(path.join(opts.stateDir, 'agent.sqlite'));
    const sinks: EventSink[] = [
      new SqliteHistorySink(this.store, opts.historyCap),
      new ForwardSink((events) => this.link.call({ cmd: 'emit', events }), this.log),
      new LogSink(this.log),
    ];
    if (opts.jsonlPath) sinks.push(new JsonlSink(opts.jsonlPath, opts.jsonlMaxBytes));
    sinks.push(...(opts.extraSinks ?? []));
    this.sinks = new FanoutSink(sinks, this.log);
    this.wakePromise = this.newWakePromise();
  }

  /** The model the next turn will use. */
  get activeModel(): string {
    return this.model;
  }

  /** Run until stopped; resolves with the exit code. */
  async run(): Promise<number> {
    this.mcpConfigPath = writeMcpConfig(this.opts.stateDir, {
      name: this.opts.name,
      socketPath: this.opts.socketPath,
      manager: this.opts.manager,
      agentEntry: this.opts.agentEntry,
      extraServers: this.opts.extraMcpServers,
    });
    allowHiveTools(this.workDir);
    this.flushTimer = setInterval(() => void this.flushSinks(), 100);
    this.flushTimer.unref();
    void this.maintainControl();
    this.emit({ kind: 'status_changed', status: 'online' });
    this.emit({ kind: 'model_changed', model: this.model });
    this.emitTurnState('idle');
    try {
      await this.loop();
    } finally {
      await this.shutdownSinks();
    }
    return this.stopRequest?.exitCode ?? 0;
  }

  /** Stop from outside (SIGTERM): the running command is killed and its message stays unacked. */
  terminate(): void {
    this.stopRequest = { exitCode: 0, graceful: false };
    this.current?.kill();
    this.poke();
  }

  /** Apply one control action. */
  handleControl(message: ControlMessage): void {
    switch (message.action) {
      case 'cancel_turn':
        if (this.current) {
          this.turnCancelled = true;
          this.current.cancel();
        }
        break;
      case 'new_session':
        this.newSession = true;
        this.emit({ kind: 'note', text: 'the next turn starts a new session' });
        break;
      case 'compact':
        this.pendingCompact = true;
        break;
      case 'set_model':
        if (message.model && message.model !== this.model) this.setModel(message.model);
        break;
      case 'pause':
        this.pausedFlag = true;
        this.emit({ kind: 'status_changed', status: 'paused' });
        break;
      case 'resume':
        this.pausedFlag = false;
        this.emit({ kind: 'status_changed', status: 'online' });
        break;
      case 'stop':
      case 'restart': {
        const graceful = message.action === 'restart' ? true : message.graceful !== false;
        this.stopRequest = { exitCode: message.action === 'restart' ? EXIT_RESTART : 0, graceful };
        this.emit({ kind: 'status_changed', status: 'stopping' });
        if (!graceful && this.current) {
          this.turnCancelled = true;
          this.current.cancel();
        }
        break;
      }
    }
    this.poke();
  }

  // ------------------------------------------------------------------ loop

  private async loop(): Promise<void> {
    while (!this.stopRequest) {
      // Turns only while this harness is the agent's session: a second harness (an orphan, a
      // stray start) is refused the session by the core and so never takes a turn.
      if (!this.controlUp) {
        await this.sleepOrWake(1000);
        continue;
      }
      if (this.isPaused()) {
        await this.sleepOrWake(1000);
        continue;
      }
      if (this.pendingCompact) {
        this.pendingCompact = false;
        await this.compactTurn();
        continue;
      }
      const next = this.held.shift();
      if (next) {
        await this.turn(next);
        continue;
      }
      if (!this.pendingRecv) {
        this.pendingRecv = this.link.recv(this.recvWaitMs, 1).catch((err: Error) => err);
      }
      const got = await Promise.race([this.pendingRecv, this.wakePromise]);
      if (got === WOKEN) continue;
      this.pendingRecv = null;
      if (got instanceof Error) {
        this.log(`cannot reach the core: ${got.message}; retrying`);
        await this.sleepOrWake(1000);
        continue;
      }
      this.held.push(...got);
    }
  }

  private async turn(message: InboxMessage): Promise<void> {
    const startedAtMs = Date.now();
    this.turnCancelled = false;
    this.emit({ kind: 'turn_start', from: message.from, body: message.body, unread: this.held.length });
    this.emitTurnState('thinking');
    const prompt = wakeText(this.opts.name, message);
    const runs: RunTally[] = [];
    const first = await this.runOnce(prompt, !this.consumeNewSession());
    runs.push(first.tally);
    let kind: ResultKind = classifyRun(first.tally, first);
    let ok = kind === 'ok';
    let note = describeFailure(first.tally, first);
    let last = first;
    if (kind === 'prompt_too_long' && !this.turnCancelled && !this.hardStop()) {
      this.emitTurnState('compacting');
      const compact = await this.runOnce('/compact', true);
      runs.push(compact.tally);
      let retryKind: ResultKind = classifyRun(compact.tally, compact);
      if (retryKind === 'ok' && !this.turnCancelled && !this.hardStop()) {
        this.emitTurnState('thinking');
        const retry = await this.runOnce(prompt, true);
        runs.push(retry.tally);
        last = retry;
        retryKind = classifyRun(retry.tally, retry);
        ok = retryKind === 'ok';
        note = `prompt was too long; compacted and retried: ${retryKind}${ok ? '' : ` (${describeFailure(retry.tally, retry)})`}`;
      } else {
        note = `prompt was too long and /compact did not help: ${describeFailure(compact.tally, compact) ?? retryKind}`;
      }
      if (this.turnCancelled) kind = 'cancelled';
    }
    this.emitUsage(last.tally);
    this.emit(note ? { kind: 'turn_end', ok, note } : { kind: 'turn_end', ok });
    this.emitTurnState('idle');
    if (ok) touch(this.sessionMarker);
    await this.recordStat(runs, { kind, note, startedAtMs, wakeFrom: message.from });
    // A turn cut short by shutdown leaves its message unacked, so the core hands it out again.
    if (this.hardStop()) return;
    await this.flushSinks();
    const acked = await this.link.call({ cmd: 'ack', ids: [message.id] }).catch((err: Error) => ({ ok: false, error: err.message }));
    if (!acked.ok) this.log(`could not ack message #${message.id}: ${acked.error ?? 'unknown error'}`);
  }

  private async compactTurn(): Promise<void> {
    const startedAtMs = Date.now();
    this.turnCancelled = false;
    this.emitTurnState('compacting');
    const run = await this.runOnce('/compact', true);
    const kind = classifyRun(run.tally, run);
    const note = describeFailure(run.tally, run);
    this.emitUsage(run.tally);
    this.emitTurnState('idle');
    await this.recordStat([run.tally], { kind, note: note ? `/compact: ${note}` : '/compact', startedAtMs, wakeFrom: 'compact' });
  }

  private async runOnce(stdin: string, wantContinue: boolean): Promise<RunOutcome> {
    const args = ['--print', '--verbose', '--output-format', 'stream-json', '--model', this.model];
    // `--continue` with no earlier conversation in this folder has nothing to continue.
    if (wantContinue && fs.existsSync(this.sessionMarker)) args.push('--continue');
    args.push('--mcp-config', this.mcpConfigPath, '--strict-mcp-config');
    let running: RunningCommand;
    try {
      running = runCommand({
        command: this.opts.command,
        args,
        stdin,
        cwd: this.workDir,
        env: { ...(this.opts.env ?? process.env), HYPERHIVE_AGENT: this.opts.name },
        heartbeatMs: this.heartbeatMs,
        cancelGraceMs: this.opts.cancelGraceMs,
        onItem: (item) => {
          this.emit(item);
          if (item.kind === 'stream' && item.data.type === 'assistant') this.noteContext(item.data.message);
        },
        onHeartbeat: (beat) => this.emit({ kind: 'heartbeat', ...beat }),
      });
    } catch (err) {
      this.emit({ kind: 'note', text: `cannot start the command: ${(err as Error).message}` });
      return { exitCode: 127, signal: null, cancelled: false, tally: new RunTally() };
    }
    this.current = running;
    // A stop or cancel that arrived just before the command started still applies.
    if (this.turnCancelled || this.hardStop()) running.cancel();
    try {
      return await running.done;
    } finally {
      this.current = null;
    }
  }

  private async recordStat(runs: RunTally[], t: { kind: ResultKind; note: string | undefined; startedAtMs: number; wakeFrom: string }): Promise<void> {
    const counts = await this.looseEndCounts();
    const row = buildTurnStat(runs, {
      model: this.model,
      wakeFrom: t.wakeFrom,
      resultKind: this.turnCancelled ? 'cancelled' : t.kind,
      startedAtMs: t.startedAtMs,
      endedAtMs: Date.now(),
      openThreads: counts.questions,
      openReminders: counts.reminders,
      note: t.note,
    });
    try {
      this.store.appendTurnStat(row);
    } catch (err) {
      this.log(`cannot write the stats row locally: ${(err as Error).message}`);
    }
    const sent = await this.link.call({ cmd: 'turn_stat', row }).catch((err: Error) => ({ ok: false, error: err.message }));
    if (!sent.ok) this.log(`core did not take the stats row: ${sent.error ?? 'unknown error'}`);
  }

  /** Open questions and reminders, read from the core after the turn; zeros when it cannot say. */
  private async looseEndCounts(): Promise<{ questions: number; reminders: number }> {
    try {
      const res = await withTimeout(this.link.call({ cmd: 'loose_ends' }), 2000);
      if (!res.ok) return { questions: 0, reminders: 0 };
      return {
        questions: Array.isArray(res.questions) ? res.questions.length : 0,
        reminders: Array.isArray(res.reminders) ? res.reminders.length : 0,
      };
    } catch {
      return { questions: 0, reminders: 0 };
    }
  }

  // ------------------------------------------------------------------ control

  /** Hold the control subscription; when it is refused or drops, retry with backoff (0.25 s doubling to 5 s). */
  private async maintainControl(): Promise<void> {
    let announced = false;
    let delayMs = CONTROL_RETRY_FIRST_MS;
    while (!this.closed) {
      try {
        const closedSignal = new Promise<void>((resolve) => {
          void this.link
            .subscribeControl((m) => this.handleControl(m), () => resolve())
            .then((ack) => {
              this.controlUp = true;
              announced = false;
              delayMs = CONTROL_RETRY_FIRST_MS;
              this.pausedFlag = ack.paused;
              this.poke();
            })
            .catch((err: Error) => {
              if (!announced) this.log(`control subscription: ${err.message}; retrying`);
              announced = true;
              resolve();
            });
        });
        await closedSignal;
      } finally {
        this.controlUp = false;
      }
      if (this.closed) return;
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, CONTROL_RETRY_MAX_MS);
    }
  }

  /** True while the core holds this harness's control subscription. */
  get controlConnected(): boolean {
    return this.controlUp;
  }

  // ------------------------------------------------------------------ helpers

  private setModel(model: string): void {
    this.model = model;
    try {
      // Whole or not at all: a torn write (full disk) must not leave an empty model file behind.
      const temp = `${this.modelFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(temp, model + '\n');
        fs.renameSync(temp, this.modelFile);
      } finally {
        fs.rmSync(temp, { force: true });
      }
    } catch (err) {
      this.log(`cannot persist the model: ${(err as Error).message}`);
    }
    this.emit({ kind: 'model_changed', model });
  }

  private consumeNewSession(): boolean {
    const fresh = this.newSession;
    this.newSession = false;
    return fresh;
  }

  private hardStop(): boolean {
    return this.stopRequest !== null && !this.stopRequest.graceful;
  }

  private isPaused(): boolean {
    return this.pausedFlag || fs.existsSync(this.pausedMarker);
  }

  private emit(event: LiveEventInput): void {
    const stamped = (event.ts_ms === undefined ? { ...event, ts_ms: Date.now() } : event) as StampedEvent;
    this.sinks.write(stamped);
  }

  private emitTurnState(state: 'idle' | 'thinking' | 'compacting'): void {
    this.emit({ kind: 'turn_state_changed', state, since_unix: Date.now() / 1000 });
  }

  private emitUsage(tally: RunTally): void {
    const r = tally.result;
    if (!r && tally.contextTokens === undefined) return;
    const usage: Usage = r ? { ...r.usage } : { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    const withContext = tally.contextTokens === undefined ? usage : { ...usage, context_tokens: tally.contextTokens };
    this.emit({ kind: 'token_usage_changed', usage: withContext });
  }

  /** Live context size: one `token_usage_changed` per change, so the roster follows a long turn. */
  private noteContext(message: unknown): void {
    const usage = (message as { usage?: Record<string, unknown> } | null)?.usage;
    const size = contextTokensOf(usage);
    if (size === undefined || size === this.lastContextTokens) return;
    this.lastContextTokens = size;
    const n = (v: unknown) => (typeof v === 'number' ? Math.trunc(v) : 0);
    this.emit({
      kind: 'token_usage_changed',
      usage: {
        input_tokens: n(usage?.input_tokens),
        output_tokens: n(usage?.output_tokens),
        cache_read_input_tokens: n(usage?.cache_read_input_tokens),
        cache_creation_input_tokens: n(usage?.cache_creation_input_tokens),
        context_tokens: size,
      },
    });
  }

  private async flushSinks(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      await this.sinks.flush();
    } finally {
      this.flushing = false;
    }
  }

  private async shutdownSinks(): Promise<void> {
    this.closed = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.emitTurnState('idle');
    this.emit({ kind: 'status_changed', status: 'stopped' });
    await withTimeout(this.sinks.close(), 3000).catch((err: Error) => this.log(`closing sinks: ${err.message}`));
    this.store.close();
    this.link.close();
  }

  private poke(): void {
    const resolve = this.wakeResolve;
    this.wakePromise = this.newWakePromise();
    resolve?.();
  }

  private newWakePromise(): Promise<typeof WOKEN> {
    return new Promise((resolve) => {
      this.wakeResolve = () => resolve(WOKEN);
    });
  }

  private async sleepOrWake(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.wakePromise, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }
}

/**
 * claude in --print mode cannot ask before using a tool, so the hive's own
 * MCP tools are allowed in the work dir's project settings (kept if present).
 */
function allowHiveTools(workDir: string): void {
  const file = path.join(workDir, '.claude', 'settings.json');
  if (fs.existsSync(file)) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ permissions: { allow: [`mcp__${MCP_SERVER_NAME}`] } }, null, 2) + '\n');
  } catch {
    // best-effort: without it claude asks, and in --print mode that means the tool is refused
  }
}

function readPersistedModel(file: string): string | null {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    return text.length > 0 ? text : null;
  } catch {
    return null;
  }
}

function touch(file: string): void {
  try {
    if (!fs.existsSync(file)) fs.writeFileSync(file, '');
  } catch {
    // best-effort: without it the next turn simply starts a new session
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

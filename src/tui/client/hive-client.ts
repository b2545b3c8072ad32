/**
 * The connection layer: one dashboard subscription, one `agent_stream` per
 * watched agent, and one request connection, all over the host socket. It
 * reconnects with backoff, resumes with `since` so nothing is lost or shown
 * twice, and feeds the reducer through a queue flushed once per frame — the
 * store notifies React at most once per frame however many events arrive.
 */
import os from 'node:os';
import fs from 'node:fs';
import { JsonlConnection } from '../../protocol/light.js';
import type { HostRequest } from '../../protocol/index.js';
import { hiveReducer, initialHiveState, STREAM_RING_LINES, type ConnectionInfo, type HiveAction, type HiveState } from './hive-state.js';
import { StreamIngest, type LiveEventLike } from './stream-lines.js';

/** What a request to the core came back with, for the operator. */
export type RequestOutcome = { ok: true; response: Record<string, unknown> } | { ok: false; error: string };

/** Options of a `HiveClient`. */
export interface HiveClientOptions {
  socketPath: string;
  readOnly: boolean;
  /** Queue flush interval (one React update per flush). */
  frameMs?: number;
  /** Flush interval when only stream events and roster updates are queued (10 frames/s is plenty to read, and a third of the CPU). */
  streamFrameMs?: number;
  /** Live history lines requested per stream. */
  streamHistory?: number;
  /** Backoff schedule in ms (the last value repeats). */
  backoffMs?: number[];
}

/** Who is acting, stored by the core with each mutation (audit). */
export function describeActor(): string {
  let tty = process.env.SSH_TTY ?? '';
  if (!tty) {
    try {
      tty = fs.readlinkSync('/proc/self/fd/0');
    } catch {
      tty = 'notty';
    }
  }
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `${user}@${os.hostname()} ${tty}`.slice(0, 256);
}

const DEFAULT_BACKOFF = [250, 500, 1000, 2000, 5000];

/** The protocol version this console speaks (records.ts's PROTOCOL_VERSION; checked equal in a test). */
export const CONSOLE_PROTOCOL_VERSION = 1;
const PROTOCOL_VERSION = CONSOLE_PROTOCOL_VERSION;

type Schemas = typeof import('../../protocol/index.js');
// The schemas (zod) load after the first frame is drawn: they cost more start-up time than anything else the console needs.
let schemasPromise: Promise<Schemas> | null = null;
function loadSchemas(): Promise<Schemas> {
  schemasPromise ??= import('../../protocol/index.js');
  return schemasPromise;
}

/** Holds the hive state and keeps it in step with the core. */
export class HiveClient {
  private state: HiveState;
  private readonly listeners = new Set<() => void>();
  private queue: HiveAction[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private flushAt = 0;
  private readonly frameMs: number;
  private readonly streamFrameMs: number;
  private readonly backoff: number[];
  private readonly actor = describeActor();
  private stopped = false;
  private everLive = false;
  private attempt = 0;
  private dashboard: JsonlConnection | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private requestConn: Promise<JsonlConnection> | null = null;
  private readonly streams = new Map<string, StreamWatch>();

  constructor(readonly options: HiveClientOptions) {
    this.state = initialHiveState(options.socketPath, options.readOnly);
    this.frameMs = options.frameMs ?? 33;
    this.streamFrameMs = options.streamFrameMs ?? 100;
    this.backoff = options.backoffMs ?? DEFAULT_BACKOFF;
  }

  /** Current state (stable between flushes, for useSyncExternalStore). */
  getState = (): HiveState => this.state;

  /** Listen for flushed changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Queue an action; applied with the others at the next frame. */
  enqueue(action: HiveAction): void {
    const last = this.queue[this.queue.length - 1];
    // Consecutive events of one stream become one action: a burst costs one reducer step.
    if (action.type === 'stream_lines' && !action.reset && last?.type === 'stream_lines' && last.agent === action.agent) {
      last.lines.push(...action.lines);
      last.lastSeq = Math.max(last.lastSeq, action.lastSeq);
      last.oldestSeq = Math.min(last.oldestSeq, action.oldestSeq);
      // A burst larger than the ring would only scroll through it: keep the newest, so the queue stays bounded.
      if (last.lines.length > STREAM_RING_LINES * 2) last.lines.splice(0, last.lines.length - STREAM_RING_LINES);
    } else this.queue.push(action.type === 'stream_lines' ? { ...action, lines: [...action.lines] } : action);
    if (this.stopped) return;
    const at = this.lastFlush + (isBulk(action) ? this.streamFrameMs : this.frameMs);
    if (this.flushTimer && this.flushAt <= at) return;
    // Dashboard changes and connection states show within a frame even when a slower stream flush is pending.
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushAt = at;
    this.flushTimer = setTimeout(() => this.flush(), Math.max(0, at - Date.now()));
  }

  /** Apply everything queued now and notify once. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.lastFlush = Date.now();
    if (this.queue.length === 0) return;
    const actions = this.queue;
    this.queue = [];
    let next = this.state;
    for (const a of actions) next = hiveReducer(next, a);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  /** Start connecting (and keep trying until `stop`). */
  start(): void {
    this.connectDashboard();
  }

  /** Close every connection and timer. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.dashboard?.close();
    for (const w of this.streams.values()) w.close();
    this.streams.clear();
    void this.requestConn?.then((c) => c.close()).catch(() => undefined);
  }

  private setConnection(info: Partial<ConnectionInfo> & { phase: ConnectionInfo['phase'] }): void {
    this.enqueue({ type: 'connection', info });
  }

  private async connectDashboard(): Promise<void> {
    if (this.stopped) return;
    // (The initial state already says "connecting"; saying it again would only cost a frame.)
    const schemas = loadSchemas(); // loads while the socket connects
    schemas.catch(() => undefined);
    let conn: JsonlConnection;
    try {
      conn = await JsonlConnection.connect(this.options.socketPath, { timeoutMs: 3000 });
    } catch (err) {
      this.scheduleRetry((err as Error).message);
      return;
    }
    if (this.stopped) {
      conn.close();
      return;
    }
    this.dashboard = conn;
    const { DashboardEvent, StateSnapshot } = await schemas;
    const resumeFrom = this.state.hasData ? this.pendingSeq() : undefined;
    let acked = false;
    // Replayed events can arrive in the same chunk as the ack, before `await` resumes: hold them.
    const early: Record<string, unknown>[] = [];
    const onEvent = (line: Record<string, unknown>) => {
      if (line.kind === 'lagged') {
        conn.close(); // the core dropped us; resume with since
        return;
      }
      const parsed = DashboardEvent.safeParse(line);
      if (parsed.success) this.enqueue({ type: 'dashboard', event: parsed.data });
    };
    conn.on('line', (line) => (acked ? onEvent(line) : early.push(line)));
    conn.on('close', () => {
      if (this.dashboard === conn) this.dashboard = null;
      if (!this.stopped && acked) this.scheduleRetry('the core closed the connection');
    });
    let ack: Record<string, unknown>;
    try {
      ack = await conn.request(resumeFrom !== undefined ? { cmd: 'subscribe', since: resumeFrom } : { cmd: 'subscribe' });
    } catch (err) {
      conn.close();
      this.scheduleRetry((err as Error).message);
      return;
    }
    if (ack.version !== PROTOCOL_VERSION) {
      conn.close();
      this.setConnection({ phase: 'incompatible', theirVersion: typeof ack.version === 'number' ? ack.version : undefined, reason: `core speaks protocol ${String(ack.version)}, this console speaks ${PROTOCOL_VERSION}` });
      this.retryTimer = setTimeout(() => this.connectDashboard(), 10_000);
      return;
    }
    if (ack.ok !== true) {
      conn.close();
      this.scheduleRetry(typeof ack.error === 'string' ? ack.error : 'the core refused the subscription');
      return;
    }
    const snapshot = ack.snapshot !== undefined ? StateSnapshot.safeParse(ack.snapshot) : null;
    if (snapshot && !snapshot.success) {
      conn.close();
      this.scheduleRetry('the core sent a snapshot this console cannot read');
      return;
    }
    acked = true;
    if (snapshot?.success) this.enqueue({ type: 'snapshot', snapshot: snapshot.data });
    for (const line of early.splice(0)) onEvent(line);
    this.everLive = true;
    this.attempt = 0;
    this.setConnection({ phase: 'live' });
    if (snapshot?.success || resumeFrom === undefined) void this.loadTurnStats();
    // Streams that dropped with the core come back with it.
    for (const w of this.streams.values()) w.reconnectNow();
    this.flush(); // first data draws now rather than a frame later
  }

  /** The seq to resume from: what is applied plus what is still queued. */
  private pendingSeq(): number {
    let seq = this.state.seq;
    for (const a of this.queue) if (a.type === 'dashboard' && a.event.seq > seq) seq = a.event.seq;
    return seq;
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped || this.retryTimer) {
      if (this.retryTimer) return;
      return;
    }
    this.attempt++;
    const delay = this.backoff[Math.min(this.attempt - 1, this.backoff.length - 1)]!;
    const nextTryAt = Date.now() + delay;
    if (!this.everLive) this.setConnection({ phase: 'unreachable', reason, attempt: this.attempt, nextTryAt });
    else this.setConnection({ phase: this.attempt <= 3 ? 'reconnecting' : 'stale', reason, attempt: this.attempt, nextTryAt });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connectDashboard();
    }, delay);
  }

  private async loadTurnStats(): Promise<void> {
    const { TurnStat } = await loadSchemas();
    const res = await this.request({ cmd: 'turn_stats', limit: 500 });
    if (!res.ok || !Array.isArray(res.response.turn_stats)) return;
    const rows = res.response.turn_stats.map((r) => TurnStat.safeParse(r)).filter((r) => r.success).map((r) => r.data);
    this.enqueue({ type: 'turn_stats', rows });
  }

  /** Fetch one approval with its diff. */
  async fetchApproval(id: number): Promise<void> {
    const { Approval } = await loadSchemas();
    const res = await this.request({ cmd: 'approval', id });
    if (!res.ok) return;
    const parsed = Approval.safeParse(res.response.approval);
    if (parsed.success) this.enqueue({ type: 'approval_detail', approval: parsed.data });
  }

  /** Page older history of a watched stream in from the core. */
  async loadOlder(agent: string): Promise<void> {
    const buffer = this.state.streams[agent];
    if (!buffer || buffer.loadingOlder || buffer.historyExhausted) return;
    this.enqueue({ type: 'stream_loading_older', agent });
    const limit = 200;
    const before = Number.isFinite(buffer.oldestSeq) ? buffer.oldestSeq : undefined;
    const res = await this.request(before !== undefined ? { cmd: 'agent_events', name: agent, limit, before } : { cmd: 'agent_events', name: agent, limit });
    const events = res.ok && Array.isArray(res.response.events) ? (res.response.events as unknown[]).filter(isLiveEvent) : [];
    this.enqueue({ type: 'stream_older', agent, events, exhausted: !res.ok || events.length < limit });
  }

  /**
   * Send one request on the shared request connection; mutations carry the
   * actor. Failures come back as sentences, never throws.
   */
  async request(request: HostRequest): Promise<RequestOutcome> {
    const { READ_ONLY_HOST_CMDS } = await loadSchemas();
    const mutation = !READ_ONLY_HOST_CMDS.has(request.cmd);
    const message = mutation ? { ...request, actor: this.actor } : request;
    let conn: JsonlConnection;
    try {
      this.requestConn ??= JsonlConnection.connect(this.options.socketPath, { timeoutMs: 3000 }).then((c) => {
        c.on('close', () => {
          this.requestConn = null;
        });
        return c;
      });
      conn = await this.requestConn;
    } catch (err) {
      this.requestConn = null;
      return { ok: false, error: (err as Error).message };
    }
    try {
      const response = await withTimeout(conn.request(message), 15_000, `no answer from the core within 15 s`);
      if (response.version !== PROTOCOL_VERSION) return { ok: false, error: `incompatible core (protocol ${String(response.version)})` };
      if (response.ok !== true) return { ok: false, error: typeof response.error === 'string' ? response.error : 'the core refused the request' };
      return { ok: true, response };
    } catch (err) {
      conn.close();
      this.requestConn = null;
      return { ok: false, error: (err as Error).message };
    }
  }

  /** Keep exactly these agents' streams open (others are closed and dropped). */
  watchStreams(agents: readonly string[]): void {
    const wanted = new Set(agents);
    for (const [name, w] of this.streams) {
      if (!wanted.has(name)) {
        w.close();
        this.streams.delete(name);
        this.enqueue({ type: 'stream_drop', agent: name });
      }
    }
    for (const name of wanted) {
      if (this.streams.has(name)) continue;
      const w = new StreamWatch(this, name, this.options.socketPath, this.options.streamHistory ?? 500, this.backoff);
      this.streams.set(name, w);
      w.connect();
    }
  }

  /** True once the dashboard has been live at least once. */
  get hasBeenLive(): boolean {
    return this.everLive;
  }
}

/** Stream text and roster churn: shown at the slower frame rate (approvals, questions and connection changes are not). */
function isBulk(action: HiveAction): boolean {
  if (action.type === 'stream_lines') return !action.reset; // a stream just opened shows at once
  return action.type === 'dashboard' && (action.event.kind === 'agent_status' || action.event.kind === 'sent' || action.event.kind === 'delivered');
}

function isLiveEvent(v: unknown): v is LiveEventLike {
  return typeof v === 'object' && v !== null && typeof (v as LiveEventLike).kind === 'string' && typeof (v as LiveEventLike).seq === 'number';
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

/** One agent's `agent_stream` subscription, resumed with `since` after a drop. */
class StreamWatch {
  private conn: JsonlConnection | null = null;
  private closed = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private ingest = new StreamIngest();

  constructor(
    private readonly client: HiveClient,
    private readonly agent: string,
    private readonly socketPath: string,
    private readonly history: number,
    private readonly backoff: number[],
  ) {}

  async connect(): Promise<void> {
    if (this.closed || this.conn) return;
    let conn: JsonlConnection;
    try {
      conn = await JsonlConnection.connect(this.socketPath, { timeoutMs: 3000 });
    } catch {
      this.retry();
      return;
    }
    if (this.closed) {
      conn.close();
      return;
    }
    this.conn = conn;
    let acked = false;
    const early: Record<string, unknown>[] = [];
    const onEvent = (line: Record<string, unknown>) => {
      if (line.kind === 'lagged') {
        conn.close();
        return;
      }
      if (isLiveEvent(line)) this.push([line], false);
    };
    conn.on('line', (line) => (acked ? onEvent(line) : early.push(line)));
    conn.on('close', () => {
      if (this.conn === conn) this.conn = null;
      if (acked) this.retry();
    });
    const since = this.started ? this.ingest.lastSeq : 0;
    let ack: Record<string, unknown>;
    try {
      ack = await conn.request(this.started && since > 0 ? { cmd: 'agent_stream', name: this.agent, since } : { cmd: 'agent_stream', name: this.agent, history: this.history });
    } catch {
      conn.close();
      this.retry();
      return;
    }
    if (ack.ok !== true || ack.version !== PROTOCOL_VERSION) {
      conn.close();
      this.retry();
      return;
    }
    acked = true;
    this.attempt = 0;
    const events = Array.isArray(ack.events) ? (ack.events as unknown[]).filter(isLiveEvent) : [];
    const reset = !this.started || ack.resync === true;
    if (reset) this.ingest = new StreamIngest();
    this.push(events, reset);
    this.started = true;
    for (const line of early.splice(0)) onEvent(line);
  }

  private push(events: LiveEventLike[], reset: boolean): void {
    const lines = this.ingest.convert(events);
    if (lines.length === 0 && !reset) return;
    this.client.enqueue({ type: 'stream_lines', agent: this.agent, lines, lastSeq: this.ingest.lastSeq, oldestSeq: this.ingest.oldestSeq, reset });
  }

  /** Try again at once (the dashboard just came back). */
  reconnectNow(): void {
    if (this.conn || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.connect();
  }

  private retry(): void {
    if (this.closed || this.timer) return;
    this.attempt++;
    const delay = this.backoff[Math.min(this.attempt - 1, this.backoff.length - 1)]!;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.conn?.close();
    this.conn = null;
  }
}

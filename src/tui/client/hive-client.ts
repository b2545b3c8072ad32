/**
 * The console's connection to the core, as the views see it: one store,
 * fed by the dashboard feed and one stream watch per watched agent, plus
 * the requests the operator makes. Connecting, resuming and backing off are
 * the shared subscription's (`protocol/subscription.ts`).
 */
import { CLIENT_PROTOCOL_VERSION, sanitize, socketTransport, sseTransport, type BackoffPolicy, type HttpTarget, type SubscriptionTransport } from '../../protocol/light.js';
import type { HostRequest } from '../../protocol/index.js';
import type { HiveState } from './hive-state.js';
import { HiveStore, type FrameRates } from './hive-store.js';
import { DashboardFeed } from './dashboard-feed.js';
import { StreamWatch, isLiveEvent } from './stream-watch.js';
import { HostRequests, type RequestChannel, type RequestOutcome } from './host-requests.js';
import { HttpRequests } from './http-requests.js';
import { loadSchemas } from './schemas.js';
import { ResourcePoll } from './resource-poll.js';

export type { RequestOutcome } from './host-requests.js';

/** The protocol version this console speaks. */
export const CONSOLE_PROTOCOL_VERSION = CLIENT_PROTOCOL_VERSION;

/** Where a hive is: its host socket, or its HTTP API (with the token, decisions go there too). */
export type HiveEndpoint = { socketPath: string } | { http: HttpTarget };

/** Options of a `HiveClient`. */
export type HiveClientOptions = HiveEndpoint & FrameRates & {
  readOnly: boolean;
  /** The context's name, shown in the header when the console knows several hives. */
  context?: string;
  /** Live history lines requested per stream. */
  streamHistory?: number;
  /** Reconnect backoff (the shared default when absent). */
  backoff?: BackoffPolicy;
};

/** Turn stats loaded on each fresh picture. */
const TURN_STATS_LOADED = 500;
/** Most of a diff the pager is handed (the core stores at most 16 MiB of one). */
const MAX_PAGED_DIFF_CHARS = 32 * 1024 * 1024;
/** Events per page of older stream history. */
const OLDER_PAGE = 200;

/** Holds the hive state and keeps it in step with the core. */
export class HiveClient {
  private readonly store: HiveStore;
  private readonly transport: SubscriptionTransport;
  private readonly dashboard: DashboardFeed;
  private readonly requests: RequestChannel;
  private readonly streams = new Map<string, StreamWatch>();
  private readonly resources: ResourcePoll;

  constructor(readonly options: HiveClientOptions) {
    if ('http' in options) {
      // Over HTTP the console reads without a token; with one it may decide (approve, deny, answer, cancel), nothing more.
      const readOnly = options.readOnly || !options.http.token;
      this.store = new HiveStore({ where: options.http.url, readOnly, decisionsOnly: !readOnly, ...(options.context !== undefined && { context: options.context }) }, options);
      this.transport = sseTransport(options.http);
      this.requests = new HttpRequests(options.http);
    } else {
      this.store = new HiveStore({ where: options.socketPath, readOnly: options.readOnly, ...(options.context !== undefined && { context: options.context }) }, options);
      this.transport = socketTransport(options.socketPath);
      this.requests = new HostRequests(options.socketPath);
    }
    this.resources = new ResourcePoll((request) => this.request(request), this.store);
    this.dashboard = new DashboardFeed(
      this.store,
      this.transport,
      options.backoff,
      (fresh) => {
        if (fresh) {
          void this.loadTurnStats().then(() => this.loadKept());
          void this.loadSchedules();
        }
        // Streams that dropped with the core come back with it.
        for (const w of this.streams.values()) w.reconnectNow();
      },
      (event) => {
        // The kept list changes when an agent leaves the roster (destroyed, or purged from the kept list) or a revival brings one back.
        if (event.kind === 'agent_removed' || (event.kind === 'approval_resolved' && event.approval_kind === 'spawn' && event.status === 'approved')) void this.loadKept();
      },
    );
  }

  /** Current state (stable between flushes, for useSyncExternalStore). */
  getState = (): HiveState => this.store.getState();

  /** Listen for flushed changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  /** Start connecting (and keep trying until `stop`). */
  start(): void {
    this.dashboard.start();
    this.resources.start();
  }

  /** Close every connection and timer. */
  stop(): void {
    this.store.stop();
    this.dashboard.stop();
    this.resources.stop();
    for (const w of this.streams.values()) w.close();
    this.streams.clear();
    this.requests.close();
  }

  /**
   * Send one request on the shared request connection; mutations carry the
   * actor. Failures come back as sentences, never throws.
   */
  request(request: HostRequest): Promise<RequestOutcome> {
    return this.requests.request(request);
  }

  /** Fetch one approval with a page of its diff: the first, or the one holding row `from`; as requested, or `against` what its agent runs now. */
  async fetchApproval(id: number, from?: number, against?: 'deployed'): Promise<void> {
    const { Approval } = await loadSchemas();
    const res = await this.request({ cmd: 'approval', id, ...(from !== undefined && { diff_from: from }), ...(against && { against }) });
    if (!res.ok) return;
    const parsed = Approval.safeParse(res.response.approval);
    if (parsed.success) this.store.enqueue({ type: 'approval_detail', approval: parsed.data });
  }

  /** Every page of an approval's diff, sanitized, for the pager (not kept: the view holds one page). */
  async wholeDiff(id: number, against?: 'deployed'): Promise<{ ok: true; diff: string } | { ok: false; error: string }> {
    const pages: string[] = [];
    let from: number | undefined = 0;
    let bytes = 0;
    while (from !== undefined) {
      const res = await this.request({ cmd: 'approval', id, diff_from: from, ...(against && { against }) });
      if (!res.ok) return { ok: false, error: res.error };
      const approval = res.response.approval as { diff?: unknown; diff_next?: unknown } | undefined;
      const page = typeof approval?.diff === 'string' ? approval.diff : '';
      bytes += page.length;
      if (bytes > MAX_PAGED_DIFF_CHARS) return { ok: false, error: `the diff is larger than ${MAX_PAGED_DIFF_CHARS >> 20} MiB` };
      pages.push(page);
      from = typeof approval?.diff_next === 'number' && approval.diff_next > from ? approval.diff_next : undefined;
    }
    return { ok: true, diff: sanitize(pages.join('')) };
  }

  /** Fetch the tool-permission rules (hits and last use change without events: the rules view asks again while shown). */
  async fetchRules(): Promise<void> {
    const { PermissionRule } = await loadSchemas();
    const res = await this.request({ cmd: 'rules' });
    if (!res.ok) return this.store.enqueue({ type: 'rules_unavailable', error: res.error });
    if (!Array.isArray(res.response.rules)) return;
    const rules = res.response.rules.map((r) => PermissionRule.safeParse(r)).filter((r) => r.success).map((r) => r.data);
    this.store.enqueue({ type: 'rules', rules });
  }

  /** Page older history of a watched stream in from the core. */
  async loadOlder(agent: string): Promise<void> {
    const buffer = this.store.getState().streams[agent];
    if (!buffer || buffer.loadingOlder || buffer.historyExhausted) return;
    this.store.enqueue({ type: 'stream_loading_older', agent });
    const before = Number.isFinite(buffer.oldestSeq) ? buffer.oldestSeq : undefined;
    const res = await this.request(before !== undefined ? { cmd: 'agent_events', name: agent, limit: OLDER_PAGE, before } : { cmd: 'agent_events', name: agent, limit: OLDER_PAGE });
    const events = res.ok && Array.isArray(res.response.events) ? (res.response.events as unknown[]).filter(isLiveEvent) : [];
    this.store.enqueue({ type: 'stream_older', agent, events, exhausted: !res.ok || events.length < OLDER_PAGE });
  }

  /** Keep exactly these agents' streams open (others are closed and dropped). */
  watchStreams(agents: readonly string[]): void {
    const wanted = new Set(agents);
    for (const [name, w] of this.streams) {
      if (!wanted.has(name)) {
        w.close();
        this.streams.delete(name);
        this.store.enqueue({ type: 'stream_drop', agent: name });
      }
    }
    for (const name of wanted) {
      if (this.streams.has(name)) continue;
      const w = new StreamWatch(this.store, name, this.transport, this.options.streamHistory ?? 500, this.options.backoff);
      this.streams.set(name, w);
      w.start();
    }
  }

  private async loadKept(): Promise<void> {
    const { KeptAgent } = await loadSchemas();
    const res = await this.request({ cmd: 'kept' });
    if (!res.ok || !Array.isArray(res.response.kept)) return;
    this.store.enqueue({ type: 'kept', agents: res.response.kept.map((k) => KeptAgent.safeParse(k)).filter((k) => k.success).map((k) => k.data) });
  }

  /** Every schedule (the ended ones too), from the dashboard point reached so far on. */
  private async loadSchedules(): Promise<void> {
    const { Schedule } = await loadSchemas();
    const asOfSeq = this.store.getState().seq;
    const res = await this.request({ cmd: 'schedules', all: true });
    if (!res.ok || !Array.isArray(res.response.schedules)) return;
    const rows = res.response.schedules.map((r) => Schedule.safeParse(r)).filter((r) => r.success).map((r) => r.data);
    this.store.enqueue({ type: 'schedules', rows, asOfSeq });
  }

  private async loadTurnStats(): Promise<void> {
    const { TurnStat } = await loadSchemas();
    const res = await this.request({ cmd: 'turn_stats', limit: TURN_STATS_LOADED });
    if (!res.ok || !Array.isArray(res.response.turn_stats)) return;
    const rows = res.response.turn_stats.map((r) => TurnStat.safeParse(r)).filter((r) => r.success).map((r) => r.data);
    this.store.enqueue({ type: 'turn_stats', rows });
  }
}

/**
 * The event channels as server-sent events. A stream opens with one frame
 * carrying the host socket's ack as its data (`event: ack`, or
 * `event: resync` when the resume point could not be honoured), then the
 * events, each `id: <seq>`, `event: <kind>`, `data: <the stored line>`. The
 * catch-up from the store, the bounded queue, the `lagged` close and the
 * serialize-once fan-out are the socket subscribers' (`events/subscriber.ts`);
 * a `: keepalive` comment goes out every 15 s so proxies and clients see the
 * link alive.
 */
import type http from 'node:http';
import type { Hive } from '../hive.js';
import { followAgentStream, followDashboard, openAgentStream, openDashboard } from './channel-readers.js';
import { HttpProblem, statusOf, type RouteAction } from './http-routes.js';
import { parseHostRequest } from '../../protocol/index.js';

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // Proxies that buffer responses (nginx) would hold events back.
  'X-Accel-Buffering': 'no',
};

/** How long an EventSource waits before it reconnects on its own (clients of this project reconnect themselves). */
const RETRY_MS = 2000;
/** A keepalive is skipped for a stream with this much still queued: it is not idle. */
const KEEPALIVE_SKIP_BYTES = 64 * 1024;

type StreamAction = Extract<RouteAction, { kind: 'dashboard_stream' | 'agent_stream' }>;

/** The open event streams of one HTTP server. */
export class EventStreams {
  private readonly open_ = new Set<http.ServerResponse>();
  private readonly keepalive: NodeJS.Timeout;

  constructor(
    private readonly hive: Hive,
    private readonly limits: { keepaliveMs: number; maxStreams: number },
  ) {
    this.keepalive = setInterval(() => this.sendKeepalives(), limits.keepaliveMs);
    this.keepalive.unref();
  }

  get count(): number {
    return this.open_.size;
  }

  /** Open a stream on `res` (or refuse with a problem before any byte is sent). */
  open(res: http.ServerResponse, action: StreamAction): void {
    const request =
      action.kind === 'dashboard_stream'
        ? { cmd: 'subscribe', ...(action.kinds && { kinds: action.kinds }), ...(action.since !== undefined && { since: action.since }) }
        : { cmd: 'agent_stream', name: action.name, ...(action.since !== undefined && { since: action.since }), ...(action.history !== undefined && { history: action.history }) };
    const parsed = parseHostRequest(request);
    if (!parsed.ok) throw new HttpProblem(400, parsed.error);
    if (action.kind === 'agent_stream') {
      const problem = this.hive.agents.check(action.name);
      if (problem) throw new HttpProblem(statusOf({ code: problem.code }), problem.error, problem.code);
    }
    if (this.open_.size >= this.limits.maxStreams) {
      throw new HttpProblem(503, `this core already serves ${this.limits.maxStreams} event streams; try again later`, 'unavailable', { 'Retry-After': '5' });
    }
    // The stream ends only with its connection, so it needs no chunked framing: each event goes out as its bytes, once.
    res.useChunkedEncodingByDefault = false;
    res.writeHead(200, SSE_HEADERS);
    this.open_.add(res);
    res.once('close', () => this.open_.delete(res));
    const { hive } = this;
    if (action.kind === 'dashboard_stream') {
      const kinds = action.kinds ? new Set(action.kinds) : null;
      const opening = openDashboard(hive, kinds, action.since);
      // A fresh picture is cut at its seq: that is the resume point. A resume's missed events follow and carry their own ids.
      const fresh = action.since === undefined || opening.resync;
      res.write(`retry: ${RETRY_MS}\n${ackFrame(JSON.stringify(opening.ack), opening.resync, fresh ? opening.from : undefined)}`);
      followDashboard(hive, res, opening, kinds, 'sse');
    } else {
      const opening = openAgentStream(hive, action.name, action.since, action.history);
      // The ack carries every event up to its seq: that is the resume point.
      res.write(`retry: ${RETRY_MS}\n${ackFrame(opening.ack as string, opening.resync, opening.from)}`);
      followAgentStream(hive, action.name, res, opening, 'sse');
    }
  }

  private sendKeepalives(): void {
    for (const res of this.open_) {
      if (!res.destroyed && res.writableLength < KEEPALIVE_SKIP_BYTES) res.write(': keepalive\n\n');
    }
  }

  /** End every stream (the server is closing). */
  closeAll(): void {
    clearInterval(this.keepalive);
    for (const res of this.open_) res.end();
    this.open_.clear();
  }
}

function ackFrame(json: string, resync: boolean, id: number | undefined): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${resync ? 'resync' : 'ack'}\ndata: ${json}\n\n`;
}

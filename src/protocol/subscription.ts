/**
 * One resumable subscription to an event channel of the core — the
 * dashboard (`subscribe`) or one agent's stream (`agent_stream`) — for every
 * client that follows one (the ctl's `watch`, the console's feeds).
 *
 * The decisions are a pure cursor: what to ask for next (a fresh picture, or
 * a resume after `since`), which lines to drop as already seen, what an ack
 * means (a new picture to rebuild from, or a resume), and how long to wait
 * before the next try. `Subscription` is the shell around it: it opens links
 * through a `SubscriptionTransport` (the host socket here; another transport
 * can stand in without touching the cursor or the retry loop), holds lines
 * that arrive before the ack is handled, checks the protocol version,
 * resumes after a `lagged` close or a drop, and backs off with jitter.
 *
 * Zod-free: the console starts a subscription before its schemas load.
 */
import { JsonlConnection, UnreadableAnswerError } from './client.js';

/** The protocol version these clients speak (records.ts's PROTOCOL_VERSION, kept zod-free here; a test checks they agree). */
export const CLIENT_PROTOCOL_VERSION = 1;

/** Which event channel to follow. */
export type Channel =
  | { kind: 'dashboard'; /** Only these event kinds (all when absent). */ kinds?: readonly string[] }
  | { kind: 'agent'; name: string; /** Events of history on a fresh picture (the core's default when absent). */ history?: number };

/** Where a reader stands in a channel: the last seq it holds, or nothing yet. */
export interface SubscriptionCursor {
  readonly lastSeq: number | undefined;
}

/** What to ask a transport for: resume after `since`, or without it a fresh picture. */
export interface OpenRequest {
  channel: Channel;
  since?: number;
}

/** The request for the next (re)connection: a resume once the reader holds anything. */
export function openRequest(channel: Channel, cursor: SubscriptionCursor): OpenRequest {
  return cursor.lastSeq === undefined ? { channel } : { channel, since: cursor.lastSeq };
}

/** The host-socket request line for an open request. */
export function hostRequestLine(request: OpenRequest): Record<string, unknown> {
  const { channel, since } = request;
  if (channel.kind === 'dashboard') {
    return { cmd: 'subscribe', ...(channel.kinds !== undefined && { kinds: channel.kinds }), ...(since !== undefined && { since }) };
  }
  if (since !== undefined) return { cmd: 'agent_stream', name: channel.name, since };
  return { cmd: 'agent_stream', name: channel.name, ...(channel.history !== undefined && { history: channel.history }) };
}

/** An event line as the cursor reads it (the wire allows more keys). */
export type EventLine = Record<string, unknown>;

/** What an ack means for the reader. */
export interface AckStep {
  cursor: SubscriptionCursor;
  /** The ack is a new picture (its `snapshot`, or `events` as the stream's recent history): drop what is held and rebuild. */
  reset: boolean;
  /** The events the ack carries that the reader has not seen (agent streams), oldest first. */
  events: EventLine[];
  /** Set when a resume point could not be honoured: a sentence saying events were missed. */
  notice?: string;
}

/**
 * Fold an ack into the cursor. Without a resume point, or with `resync`, the
 * ack's seq is the cut. A dashboard resume keeps the cursor (the replayed
 * events follow as lines); an agent-stream resume carries them in `events`,
 * all up to the ack's seq.
 */
export function applyAck(cursor: SubscriptionCursor, ack: { seq?: unknown; resync?: unknown; events?: unknown }): AckStep {
  const seq = typeof ack.seq === 'number' ? ack.seq : undefined;
  const carried = Array.isArray(ack.events) ? (ack.events as unknown[]).filter(isEventLine) : null;
  const since = cursor.lastSeq;
  if (since === undefined || ack.resync === true) {
    const events = carried ?? [];
    const step: AckStep = { cursor: { lastSeq: highestSeq(seq, events) }, reset: true, events };
    if (since !== undefined) step.notice = `events after seq ${since} are no longer stored; some were missed — continuing from seq ${seq ?? '?'}`;
    return step;
  }
  if (carried === null) return { cursor, reset: false, events: [] };
  const events = carried.filter((ev) => typeof ev.seq !== 'number' || ev.seq > since);
  return { cursor: { lastSeq: highestSeq(Math.max(seq ?? since, since), events) }, reset: false, events };
}

function highestSeq(seq: number | undefined, events: readonly EventLine[]): number | undefined {
  let highest = seq;
  for (const ev of events) if (typeof ev.seq === 'number' && (highest === undefined || ev.seq > highest)) highest = ev.seq;
  return highest;
}

/** Whether an event line is new (to show) or a repeat, and the advanced cursor. */
export function applyEvent(cursor: SubscriptionCursor, ev: { seq?: unknown }): { cursor: SubscriptionCursor; fresh: boolean } {
  if (typeof ev.seq !== 'number') return { cursor, fresh: true };
  if (cursor.lastSeq !== undefined && ev.seq <= cursor.lastSeq) return { cursor, fresh: false };
  return { cursor: { lastSeq: ev.seq }, fresh: true };
}

/** Whether a line is the core's last word to a reader that fell behind: `{"kind":"lagged","seq":S}`, then it closes the link. */
export function isLagged(line: EventLine): boolean {
  return line.kind === 'lagged';
}

/** How long to wait between tries. */
export interface BackoffPolicy {
  /** The wait after the first failure. */
  firstMs: number;
  /** The wait never grows past this. */
  maxMs: number;
}

/** One policy for every subscription. */
export const DEFAULT_BACKOFF: BackoffPolicy = { firstMs: 250, maxMs: 5000 };
/** A core that speaks another protocol is asked again this rarely (it may be upgraded meanwhile). */
export const INCOMPATIBLE_RETRY_MS = 10_000;

/**
 * The wait before try `attempt` (1 = the first retry): doubling from
 * `firstMs` up to `maxMs`, the upper half jittered so that the clients of a
 * restarted core do not all reconnect in the same instant.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Where the lines of one link go. */
export interface LinkSink {
  /** A line after the ack (it may arrive before `open` resolves). */
  line(line: EventLine): void;
  /** The link ended (once; also when it ends before the ack, which `open` then reports). */
  closed(): void;
}

/** One open link: the core's ack, and a way to end it. */
export interface SubscriptionLink {
  ack: Record<string, unknown>;
  close(): void;
}

/**
 * A way to reach the core's event channels. `open` connects, asks for the
 * request and resolves with the ack in the host socket's shape (`version`,
 * `ok`, `seq`, and `snapshot` or `events`, `resync`); a transport without
 * acks builds one. It rejects with an Error whose message is for a person.
 */
export interface SubscriptionTransport {
  /** Where it connects (a socket path, a URL), for messages. */
  readonly where: string;
  open(request: OpenRequest, sink: LinkSink): Promise<SubscriptionLink>;
}

/** The host socket (or the read-only one) as a transport. */
export function socketTransport(socketPath: string, options: { connectTimeoutMs?: number } = {}): SubscriptionTransport {
  return {
    where: socketPath,
    async open(request, sink) {
      const conn = await JsonlConnection.connect(socketPath, { timeoutMs: options.connectTimeoutMs ?? 5000 });
      conn.on('line', (line) => sink.line(line));
      conn.once('close', () => sink.closed());
      try {
        return { ack: await conn.request(hostRequestLine(request)), close: () => conn.close() };
      } catch (err) {
        conn.close();
        // An answer that came but could not be read says so; anything else is a hang-up.
        if (err instanceof UnreadableAnswerError) throw err;
        throw new Error(`the core at ${socketPath} closed the connection before answering`);
      }
    },
  };
}

/** Why a subscription is not live. */
export type DownCause =
  /** No link: the transport could not connect, or the core hung up before answering. */
  | 'unreachable'
  /** A live link ended. */
  | 'closed'
  /** The core closed a live link because this reader fell behind (`lagged`). */
  | 'lagged'
  /** The core answered with an error. */
  | 'refused'
  /** The reader could not use the ack. */
  | 'unreadable';

/** What a subscription says about its link. */
export type SubscriptionStatus =
  | { phase: 'live' }
  | {
      phase: 'down';
      cause: DownCause;
      /** A sentence for a person. */
      reason: string;
      /** Tries since the link was last live (or since the start). */
      attempt: number;
      /** ms epoch of the next try. */
      nextTryAt: number;
      /** Whether the subscription has been live before. */
      everLive: boolean;
      /** The refusing response (`refused`). */
      response?: Record<string, unknown>;
      /** The last seq the core queued before closing (`lagged`). */
      laggedAt?: number;
    }
  | { phase: 'incompatible'; theirVersion: number | undefined; reason: string; nextTryAt: number };

/** What a subscription hands its user. */
export interface SubscriptionHandlers {
  /**
   * The core answered. `step.reset` says the ack is a new picture
   * (`ack.snapshot`, or `step.events` as the history) rather than a resume.
   * It may return a promise (lines arriving meanwhile are held) and may
   * refuse the ack with a sentence: the link is then closed and tried again.
   */
  onAck(step: AckStep, ack: Record<string, unknown>): void | string | Promise<void | string>;
  /** One line not seen before, in order (the `lagged` line never reaches here). */
  onEvent(event: EventLine): void;
  /** The link went live, or down (and when the next try is). The user may `stop()` from here. */
  onStatus?(status: SubscriptionStatus): void;
}

/** Options of a `Subscription`. */
export interface SubscriptionOptions {
  /** Resume after this seq from the start (the ctl's `--since`). */
  since?: number;
  backoff?: BackoffPolicy;
  /** For tests: the jitter's source. */
  random?: () => number;
}

/** Follows one channel through a transport until stopped, resuming after every drop. */
export class Subscription {
  private cursor: SubscriptionCursor;
  private link: SubscriptionLink | null = null;
  private opening = false;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private everLive = false;
  private stopped = false;
  private resolveDone!: () => void;
  /** Resolves once `stop` was called. */
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly transport: SubscriptionTransport,
    readonly channel: Channel,
    private readonly handlers: SubscriptionHandlers,
    private readonly options: SubscriptionOptions = {},
  ) {
    this.cursor = { lastSeq: options.since };
  }

  /** The last seq the user was given (or told is current). */
  get lastSeq(): number | undefined {
    return this.cursor.lastSeq;
  }

  start(): void {
    void this.open();
  }

  /** Try now instead of waiting out the backoff (e.g. a sibling subscription just came back). */
  reconnectNow(): void {
    if (this.stopped || this.link || this.opening) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.open();
  }

  /** End the subscription: no further tries, the link closed. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.link?.close();
    this.link = null;
    this.resolveDone();
  }

  private async open(): Promise<void> {
    if (this.stopped || this.link || this.opening) return;
    this.opening = true;
    const held: EventLine[] = [];
    let handled = false;
    let ended = false;
    let lagged: { seq?: number } | undefined;
    let link: SubscriptionLink | undefined;
    const sink: LinkSink = {
      line: (line) => {
        if (isLagged(line)) {
          lagged = typeof line.seq === 'number' ? { seq: line.seq } : {};
          link?.close(); // the core closes it too; no need to wait
        } else if (handled) this.deliver(line);
        else held.push(line);
      },
      closed: () => {
        ended = true;
        if (handled) this.dropped(lagged);
      },
    };
    try {
      link = await this.transport.open(openRequest(this.channel, this.cursor), sink);
    } catch (err) {
      this.opening = false;
      this.down('unreachable', (err as Error).message);
      return;
    }
    if (this.stopped) {
      link.close();
      this.opening = false;
      return;
    }
    const { ack } = link;
    if (ack.version !== CLIENT_PROTOCOL_VERSION) {
      link.close();
      this.opening = false;
      this.incompatible(ack.version);
      return;
    }
    if (ack.ok !== true) {
      link.close();
      this.opening = false;
      this.down('refused', typeof ack.error === 'string' ? ack.error : 'the core refused the subscription', { response: ack });
      return;
    }
    const step = applyAck(this.cursor, ack);
    let refusal: void | string;
    try {
      refusal = await this.handlers.onAck(step, ack);
    } catch (err) {
      refusal = `could not use the core's answer: ${(err as Error).message}`;
    }
    this.opening = false;
    if (this.stopped) {
      link.close();
      return;
    }
    if (typeof refusal === 'string') {
      link.close();
      this.down('unreadable', refusal);
      return;
    }
    this.cursor = step.cursor;
    this.link = link;
    this.attempt = 0;
    this.everLive = true;
    handled = true;
    for (const line of held.splice(0)) this.deliver(line);
    if (this.stopped) return;
    this.handlers.onStatus?.({ phase: 'live' });
    if (ended && this.link === link) this.dropped(lagged);
  }

  private deliver(line: EventLine): void {
    const step = applyEvent(this.cursor, line);
    this.cursor = step.cursor;
    if (step.fresh) this.handlers.onEvent(line);
  }

  private dropped(lagged: { seq?: number } | undefined): void {
    this.link = null;
    if (!lagged) this.down('closed', 'the core closed the connection');
    else this.down('lagged', `fell behind the core (lagged at seq ${lagged.seq ?? '?'})`, { laggedAt: lagged.seq });
  }

  private down(cause: DownCause, reason: string, extra: { response?: Record<string, unknown>; laggedAt?: number } = {}): void {
    if (this.stopped) return;
    this.attempt++;
    const delay = backoffDelayMs(this.attempt, this.options.backoff, this.options.random);
    this.handlers.onStatus?.({ phase: 'down', cause, reason, attempt: this.attempt, nextTryAt: Date.now() + delay, everLive: this.everLive, ...extra });
    this.schedule(delay);
  }

  private incompatible(version: unknown): void {
    if (this.stopped) return;
    const theirVersion = typeof version === 'number' ? version : undefined;
    const reason = `core speaks protocol ${String(version)}, this client speaks ${CLIENT_PROTOCOL_VERSION}`;
    this.handlers.onStatus?.({ phase: 'incompatible', theirVersion, reason, nextTryAt: Date.now() + INCOMPATIBLE_RETRY_MS });
    this.schedule(INCOMPATIBLE_RETRY_MS);
  }

  private schedule(delay: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.open();
    }, delay);
  }
}

function isEventLine(v: unknown): v is EventLine {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

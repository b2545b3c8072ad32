/** Forwards live events to the core in `emit` batches, in order, with a bounded queue. */
import { MAX_EMIT_BATCH, MAX_LIVE_EVENT_BYTES, capLiveEventLine, type LiveEventInput } from '../../protocol/index.js';
import type { EventSink, SinkLogger, StampedEvent } from './sink.js';

/** Sends one `emit` batch; resolves with the core's answer, rejects when the core is unreachable. */
export type EmitFn = (events: LiveEventInput[]) => Promise<{ ok: boolean; error?: string }>;

/** Options of the forwarding sink. */
export interface ForwardOptions {
  /** Events per `emit` (≤ MAX_EMIT_BATCH). */
  batchSize?: number;
  /** How long the first queued event waits for company before a send. */
  lingerMs?: number;
  /** Most events held while the core is slow or away; the oldest go first. */
  maxQueued?: number;
}

const RETRY_MS = 500;
/** Most bytes of events in one `emit`, so its line stays well under the core's 1 MiB cap. */
const BATCH_BYTES = 768 * 1024;

/**
 * One batch in flight at a time keeps events in order. A batch is at most
 * `batchSize` events and 768 KiB; an event over 64 KiB is cut (as the core
 * would store it) before it is queued. While the core is unreachable the
 * queue holds up to `maxQueued` events; past that the oldest are dropped and
 * a note says how many.
 */
export class ForwardSink implements EventSink {
  readonly name = 'forward';
  private queue: LiveEventInput[] = [];
  /** Serialized size of each queued event, beside it. */
  private sizes: number[] = [];
  private head = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private failures = 0;
  private closing = false;
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private readonly maxQueued: number;

  constructor(
    private readonly emit: EmitFn,
    private readonly log: SinkLogger,
    options: ForwardOptions = {},
  ) {
    this.batchSize = Math.min(options.batchSize ?? 1000, MAX_EMIT_BATCH);
    this.lingerMs = options.lingerMs ?? 15;
    this.maxQueued = options.maxQueued ?? 200_000;
  }

  /** Events waiting to be sent. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  write(event: StampedEvent): void {
    if (this.queued >= this.maxQueued) {
      this.head++;
      this.dropped++;
    }
    const json = JSON.stringify(event);
    // Fewer UTF-16 units than a third of the cap fit it in bytes; only longer ones are measured.
    let size = json.length <= MAX_LIVE_EVENT_BYTES / 3 ? json.length : Buffer.byteLength(json);
    let forwarded: LiveEventInput = event;
    if (size > MAX_LIVE_EVENT_BYTES) {
      const cut = capLiveEventLine(json);
      forwarded = JSON.parse(cut) as LiveEventInput;
      size = Buffer.byteLength(cut);
    }
    this.queue.push(forwarded);
    this.sizes.push(size);
    if (this.queued >= this.batchSize) this.kick();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.kick();
      }, this.lingerMs);
      this.timer.unref();
    }
  }

  /** Send everything queued; resolves when the core has it (or refused to take it). */
  async flush(): Promise<void> {
    for (let guard = 0; guard < 10_000; guard++) {
      if (this.inFlight) await this.inFlight;
      else if (this.queued === 0 && this.dropped === 0) return;
      else {
        const before = this.queued;
        this.kick();
        await this.inFlight;
        if (this.queued >= before) throw new Error('the core did not take the queued events');
      }
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private kick(): void {
    if (this.inFlight) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    let failed = false;
    this.inFlight = this.sendOne()
      .catch((err: Error) => {
        failed = true;
        this.failures++;
        // 1, 2, 4, 8 … so an absent core does not flood the log.
        if ((this.failures & (this.failures - 1)) === 0) this.log(`${err.message} (${this.queued} queued)`);
      })
      .finally(() => {
        this.inFlight = null;
        if (!failed) this.failures = 0;
        if (this.queued > 0 && !this.timer && !this.closing) {
          // More arrived while sending (or the send failed): go again, later after a failure.
          this.timer = setTimeout(() => {
            this.timer = null;
            this.kick();
          }, failed ? RETRY_MS : 0);
          this.timer.unref();
        }
      });
  }

  private async sendOne(): Promise<void> {
    const batch: LiveEventInput[] = [];
    if (this.dropped > 0) {
      batch.push({ kind: 'note', ts_ms: Date.now(), text: `${this.dropped} live events were dropped while the core was unreachable` });
    }
    const limit = Math.min(this.queue.length, this.head + this.batchSize - batch.length);
    let end = this.head;
    for (let bytes = 0; end < limit && (end === this.head || bytes + this.sizes[end]! <= BATCH_BYTES); end++) {
      bytes += this.sizes[end]!;
      batch.push(this.queue[end]!);
    }
    if (batch.length === 0) return;
    try {
      const res = await this.emit(batch);
      if (!res.ok) this.log(`core refused ${batch.length} live events: ${res.error ?? 'no reason given'}`);
      // Sent or refused, these are done: a refused batch would be refused again.
      this.dropped = 0;
      this.head = end;
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.sizes = this.sizes.slice(this.head);
        this.head = 0;
      }
    } catch (err) {
      throw new Error(`cannot forward live events: ${(err as Error).message}`);
    }
  }
}

/**
 * A subscribed connection with a bounded outbound queue. Writes never block
 * the daemon: lines go to the output while it keeps up and wait in the
 * subscriber's own queue while it does not. When the queue passes the cap,
 * it is dropped and one final `lagged` line goes out behind what the output
 * already holds, so a slow reader always learns why it was closed and never
 * sees half a line. A subscriber resuming from a seq first catches up from
 * the store, a slice at a time as the output drains (live events are in the
 * store before they are broadcast, so none is missed while it reads), then
 * turns live. The output is any writable stream (a socket, an HTTP
 * response): nothing here knows the transport.
 */
import type { Writable } from 'node:stream';

/** How events are framed: JSON lines (the sockets) or server-sent events (HTTP). */
export type Framing = 'jsonl' | 'sse';

/** One event line (`{…}\n`) as a server-sent event: `id: <seq>`, `event: <kind>`, `data: <the line>`. */
export function sseFrame(line: string, kind: string, seq: number): string {
  return `id: ${seq}\nevent: ${kind}\ndata: ${line.endsWith('\n') ? line.slice(0, -1) : line}\n\n`;
}

/** Stored event lines (each `{"kind":…,"seq":…,…}\n`) as server-sent events, their kind and seq read from each line's start. */
export function sseFramesOfLines(lines: string): string {
  let out = '';
  for (const line of lines.split('\n')) {
    if (!line) continue;
    const head = /^\{"kind":"([a-z_]+)","seq":(\d+)/.exec(line);
    out += sseFrame(line, head?.[1] ?? 'message', Number(head?.[2] ?? 0));
  }
  return out;
}

/** Default cap on bytes queued for one subscriber (its queue and what its output holds). */
export const DEFAULT_SUBSCRIBER_BUFFER_BYTES = 8 * 1024 * 1024;
/** Lines are handed to the output while it holds less than this; the rest wait in the queue. */
const OUTPUT_HIGH_WATER = 1024 * 1024;
/** A lagged subscriber that reads nothing more for this long is cut off. */
const LAGGED_GRACE_MS = 60_000;

/** Bytes of stored lines read per catch-up step. */
const CATCH_UP_SLICE_BYTES = 256 * 1024;

/**
 * Reads stored lines after `afterSeq` (those the subscriber wants), oldest
 * first, about `maxBytes` of them. `lastSeq` is the last seq looked at (wanted
 * or not), `done` whether that was the newest stored; null when lines after
 * `afterSeq` are gone (pruned), which ends the subscription as lagged.
 */
export type CatchUpRead = (afterSeq: number, maxBytes: number) => { lines: string; lastSeq: number; done: boolean } | null;

/** How a subscriber is set up: its cap, its kind filter, and how its transport writes the `lagged` line. */
export interface SubscriberOptions {
  /** Start by catching up from the store (from the subscriber's start seq) before taking live events. */
  catchUp?: CatchUpRead;
  capBytes?: number;
  /** Only these event kinds are delivered (null: all). */
  kinds?: ReadonlySet<string> | null;
  /** How the output frames events (default JSON lines); it picks the `lagged` line too. */
  framing?: Framing;
}

/** The last word to a reader that fell behind after `seq`, in its framing. */
function laggedLineOf(framing: Framing): (seq: number) => string {
  return framing === 'sse' ? (seq) => `event: lagged\ndata: {"kind":"lagged","seq":${seq}}\n\n` : (seq) => `{"kind":"lagged","seq":${seq}}\n`;
}

export class Subscriber {
  private closed = false;
  /** Lines waiting for the output, each with the seq of its last event and its size. */
  private queue: { bytes: string | Buffer; seq: number; size: number }[] = [];
  /** Index of the queue's first entry still waiting (shifting a long array one by one would cost its length each time). */
  private head = 0;
  private queuedBytes = 0;
  /** seq of the last line the output took; the `lagged` line names it. */
  private writtenSeq: number;
  /** seq of the last line in the queue. */
  private queuedSeq: number;
  private readonly capBytes: number;
  readonly kinds: ReadonlySet<string> | null;
  readonly framing: Framing;
  private readonly laggedLine: (seq: number) => string;
  /** Set while the subscriber still reads the store; live events are skipped then (it will read them). */
  private catchUp: CatchUpRead | null;

  constructor(
    private readonly output: Writable,
    startSeq: number,
    options: SubscriberOptions = {},
  ) {
    this.writtenSeq = this.queuedSeq = startSeq;
    this.capBytes = options.capBytes ?? DEFAULT_SUBSCRIBER_BUFFER_BYTES;
    this.kinds = options.kinds ?? null;
    this.framing = options.framing ?? 'jsonl';
    this.laggedLine = laggedLineOf(this.framing);
    this.catchUp = options.catchUp ?? null;
    output.once('close', () => {
      this.closed = true;
      this.dropQueue();
    });
    output.on('drain', () => this.pump());
    if (this.catchUp) this.pump();
  }

  get isClosed(): boolean {
    return this.closed || this.output.destroyed;
  }

  /** seq of the last event this subscriber was handed (queued or written). */
  get lastSeq(): number {
    return this.queuedSeq;
  }

  /** Queue pre-serialized lines (already `\n`-terminated); `lastSeq` is the seq of the last one. */
  write(bytes: string | Buffer, lastSeq: number): void {
    if (this.isClosed || this.catchUp) return;
    const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
    if (this.head === this.queue.length && this.output.writableLength < OUTPUT_HIGH_WATER) {
      // One turn's events go out as one write: that too is held to the cap.
      if (size + this.output.writableLength > this.capBytes) return this.lag();
      this.output.write(bytes);
      this.writtenSeq = this.queuedSeq = lastSeq;
      return;
    }
    this.queue.push({ bytes, seq: lastSeq, size });
    this.queuedBytes += size;
    this.queuedSeq = lastSeq;
    if (this.queuedBytes + this.output.writableLength > this.capBytes) this.lag();
  }

  /** Hand queued lines, or the next slices of the store while catching up, to the output while it keeps up. */
  private pump(): void {
    while (!this.isClosed && this.catchUp && this.output.writableLength < OUTPUT_HIGH_WATER) {
      const slice = this.catchUp(this.writtenSeq, CATCH_UP_SLICE_BYTES);
      if (slice === null) {
        this.lag();
        return;
      }
      if (slice.lines) this.output.write(slice.lines);
      const progressed = slice.lastSeq > this.writtenSeq;
      this.writtenSeq = this.queuedSeq = slice.lastSeq;
      // Nothing more stored: live events take over (a slice that read nothing new is the end too).
      if (slice.done || !progressed) this.catchUp = null;
    }
    while (!this.isClosed && this.head < this.queue.length && this.output.writableLength < OUTPUT_HIGH_WATER) {
      const next = this.queue[this.head++]!;
      this.writtenSeq = next.seq;
      this.queuedBytes -= next.size;
      this.output.write(next.bytes);
    }
    if (this.head === this.queue.length) this.dropQueue();
  }

  /** Tell the client it fell behind, then close: the queue is dropped so the `lagged` line follows only whole lines. */
  lag(): void {
    if (this.isClosed) return;
    this.closed = true;
    this.dropQueue();
    this.output.end(this.laggedLine(this.writtenSeq));
    // A reader that never reads again would hold the connection open forever: give it a minute.
    setTimeout(() => this.output.destroy(), LAGGED_GRACE_MS).unref();
  }

  close(): void {
    if (this.isClosed) return;
    this.closed = true;
    this.dropQueue();
    this.output.end();
  }

  private dropQueue(): void {
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
  }
}

/** Events of one broadcast: their lines, kinds and seqs, oldest first. */
interface Broadcast {
  lines: readonly string[];
  kinds: readonly string[];
  seqs: readonly number[];
}

/**
 * A set of subscribers receiving the same bytes. Everything broadcast in one
 * turn of the event loop goes out together at the end of that turn (the
 * loop's check phase, right after the I/O that made it): one write per
 * subscriber however many commits the turn made. A write costs more than the
 * bytes in it — over TCP most of a server-sent stream's time went to the
 * writes' system calls — so this is what lets a hundred readers keep up.
 */
export class SubscriberSet {
  private readonly members = new Set<Subscriber>();
  /** The turn's broadcasts not yet handed out, in order (the callers' arrays, which they do not change after). */
  private batch: Broadcast[] | null = null;

  add(subscriber: Subscriber): void {
    this.members.add(subscriber);
  }

  delete(subscriber: Subscriber): void {
    this.members.delete(subscriber);
  }

  get size(): number {
    return this.members.size;
  }

  /**
   * Deliver serialized events, at the end of this turn of the event loop.
   * `lines` are the events' lines (each with its newline), `kinds` their
   * kinds (for filtered subscribers and SSE frames), `seqs` their seqs,
   * ascending; they are held until then, so the caller must not change them.
   * A subscriber that joins meanwhile starts past them (its cut is the
   * channel's seq, or its catch-up reads them from the store), so each
   * subscriber is handed only the events after the last seq it holds.
   */
  broadcast(lines: readonly string[], kinds: readonly string[], seqs: readonly number[]): void {
    if (this.members.size === 0 || lines.length === 0) return;
    if (this.batch === null) {
      this.batch = [];
      setImmediate(() => this.send());
    }
    this.batch.push({ lines, kinds, seqs });
  }

  /**
   * Hand the turn's events out. Each event is framed at most once per
   * framing, and the unfiltered subscribers of one framing that hold none of
   * them yet all receive one buffer, encoded once (encoding a string per
   * subscriber would cost more than the rest).
   */
  private send(): void {
    const batch = this.batch;
    this.batch = null;
    if (batch === null) return;
    const { lines, kinds, seqs } = batch.length === 1 ? batch[0]! : { lines: batch.flatMap((b) => b.lines), kinds: batch.flatMap((b) => b.kinds), seqs: batch.flatMap((b) => b.seqs) };
    const lastSeq = seqs[seqs.length - 1]!;
    let sse: string[] | null = null;
    const framed = (framing: Framing): readonly string[] => (framing === 'jsonl' ? lines : (sse ??= lines.map((line, i) => sseFrame(line, kinds[i]!, seqs[i]!))));
    const joined: Partial<Record<Framing, Buffer>> = {};
    for (const sub of this.members) {
      if (sub.isClosed) {
        this.members.delete(sub);
        continue;
      }
      // The first event this subscriber does not hold yet (almost always the first of the batch).
      let from = 0;
      while (from < seqs.length && seqs[from]! <= sub.lastSeq) from++;
      if (from === seqs.length) continue;
      const frames = framed(sub.framing);
      if (sub.kinds === null) {
        const bytes = from === 0 ? (joined[sub.framing] ??= Buffer.from(frames.length === 1 ? frames[0]! : frames.join(''))) : frames.slice(from).join('');
        sub.write(bytes, lastSeq);
      } else {
        let picked = '';
        let pickedSeq = -1;
        for (let i = from; i < frames.length; i++) {
          if (sub.kinds.has(kinds[i]!)) {
            picked += frames[i];
            pickedSeq = seqs[i]!;
          }
        }
        if (picked) sub.write(picked, pickedSeq);
      }
    }
  }

  closeAll(): void {
    this.batch = null;
    for (const sub of this.members) sub.close();
    this.members.clear();
  }
}

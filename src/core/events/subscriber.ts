/**
 * A subscribed connection with a bounded outbound buffer. Writes never block
 * the daemon: when the socket's pending bytes pass the cap, the subscriber gets
 * one final `lagged` line and is closed; the client resumes with `since`.
 * The same holds for a server-sent-events response over HTTP: only the
 * framing of the bytes differs.
 */

/** Where a subscriber's bytes go: a socket, or an HTTP response (both Node writables). */
export interface OutboundStream {
  readonly writableLength: number;
  readonly destroyed: boolean;
  write(chunk: string | Buffer): unknown;
  end(chunk: string): unknown;
  end(): unknown;
  destroy(): unknown;
  once(event: 'close', listener: () => void): unknown;
}

/** How events are framed: JSON lines (the sockets) or server-sent events (HTTP). */
export type Framing = 'jsonl' | 'sse';

/** One event line (`{…}\n`) as a server-sent event: `id: <seq>`, `event: <kind>`, `data: <the line>`. */
export function sseFrame(line: string, kind: string, seq: number): string {
  return `id: ${seq}\nevent: ${kind}\ndata: ${line.endsWith('\n') ? line.slice(0, -1) : line}\n\n`;
}

/** A stored event line as a server-sent event (its kind and seq read from the line's start). */
export function sseFrameOfLine(line: string): string {
  const head = /^\{"kind":"([a-z_]+)","seq":(\d+)/.exec(line);
  return sseFrame(line, head?.[1] ?? 'message', Number(head?.[2] ?? 0));
}

/** The last word to a reader that fell behind, in its framing. */
function laggedLine(seq: number, framing: Framing): string {
  const line = `{"kind":"lagged","seq":${seq}}`;
  return framing === 'sse' ? `event: lagged\ndata: ${line}\n\n` : `${line}\n`;
}

/** Default cap on bytes queued for one subscriber. */
export const DEFAULT_SUBSCRIBER_BUFFER_BYTES = 8 * 1024 * 1024;

export class Subscriber {
  private closed = false;
  /** seq of the last event handed to this subscriber (for the `lagged` line). */
  lastSeq: number;

  constructor(
    private readonly socket: OutboundStream,
    startSeq: number,
    private readonly capBytes: number = DEFAULT_SUBSCRIBER_BUFFER_BYTES,
    /** Optional filter on event kind. */
    readonly kinds: ReadonlySet<string> | null = null,
    readonly framing: Framing = 'jsonl',
  ) {
    this.lastSeq = startSeq;
    socket.once('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed;
  }

  /** Queue pre-serialized lines (already `\n`-terminated); `lastSeq` is the seq of the last one. */
  write(bytes: string | Buffer, lastSeq: number): void {
    if (this.isClosed) return;
    if (this.socket.writableLength > this.capBytes) {
      this.lag();
      return;
    }
    this.socket.write(bytes);
    this.lastSeq = lastSeq;
  }

  /** Tell the client it fell behind, then close. */
  lag(): void {
    if (this.isClosed) return;
    this.closed = true;
    this.socket.end(laggedLine(this.lastSeq, this.framing));
    // A reader that never reads would hold the socket open forever: force it.
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  close(): void {
    if (this.isClosed) return;
    this.closed = true;
    this.socket.end();
  }
}

/** A set of subscribers receiving the same bytes. */
export class SubscriberSet {
  private readonly members = new Set<Subscriber>();

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
   * Deliver serialized events. `lines` are the events' lines (each with its
   * newline), `kinds` their kinds (for filtered subscribers and SSE frames),
   * `seqs` their seqs. Each event is framed at most once per framing, and the
   * unfiltered subscribers of one framing all receive one buffer, encoded
   * once (encoding a string per subscriber would cost more than the rest).
   */
  broadcast(lines: readonly string[], kinds: readonly string[], seqs: readonly number[]): void {
    if (this.members.size === 0 || lines.length === 0) return;
    const lastSeq = seqs[seqs.length - 1]!;
    let sse: string[] | null = null;
    const framed = (framing: Framing): readonly string[] => (framing === 'jsonl' ? lines : (sse ??= lines.map((line, i) => sseFrame(line, kinds[i]!, seqs[i]!))));
    const joined: Partial<Record<Framing, Buffer>> = {};
    for (const sub of this.members) {
      if (sub.isClosed) {
        this.members.delete(sub);
        continue;
      }
      const frames = framed(sub.framing);
      if (sub.kinds === null) {
        sub.write((joined[sub.framing] ??= Buffer.from(frames.length === 1 ? frames[0]! : frames.join(''))), lastSeq);
      } else {
        let picked = '';
        let pickedSeq = -1;
        for (let i = 0; i < frames.length; i++) {
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
    for (const sub of this.members) sub.close();
    this.members.clear();
  }
}

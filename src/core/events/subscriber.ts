/**
 * A subscribed connection with a bounded outbound buffer. Writes never block
 * the daemon: when the socket's pending bytes pass the cap, the subscriber gets
 * one final `lagged` line and is closed; the client resumes with `since`.
 */
import type { Socket } from 'node:net';

/** Default cap on bytes queued for one subscriber. */
export const DEFAULT_SUBSCRIBER_BUFFER_BYTES = 8 * 1024 * 1024;

export class Subscriber {
  private closed = false;
  /** seq of the last event handed to this subscriber (for the `lagged` line). */
  lastSeq: number;

  constructor(
    private readonly socket: Socket,
    startSeq: number,
    private readonly capBytes: number = DEFAULT_SUBSCRIBER_BUFFER_BYTES,
    /** Optional filter on event kind. */
    readonly kinds: ReadonlySet<string> | null = null,
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
  write(bytes: string, lastSeq: number): void {
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
    this.socket.end(`{"kind":"lagged","seq":${this.lastSeq}}\n`);
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
   * newline), `kinds` their kinds (for filtered subscribers), `seqs` their seqs.
   * Unfiltered subscribers all receive one joined string.
   */
  broadcast(lines: readonly string[], kinds: readonly string[], seqs: readonly number[]): void {
    if (this.members.size === 0 || lines.length === 0) return;
    let joined: string | null = null;
    const lastSeq = seqs[seqs.length - 1]!;
    for (const sub of this.members) {
      if (sub.isClosed) {
        this.members.delete(sub);
        continue;
      }
      if (sub.kinds === null) {
        joined ??= lines.length === 1 ? lines[0]! : lines.join('');
        sub.write(joined, lastSeq);
      } else {
        let picked = '';
        let pickedSeq = -1;
        for (let i = 0; i < lines.length; i++) {
          if (sub.kinds.has(kinds[i]!)) {
            picked += lines[i];
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

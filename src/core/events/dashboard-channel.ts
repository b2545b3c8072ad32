/**
 * The dashboard channel: low-volume events with a persistent monotonic `seq`
 * (the row id of the stored event). Events are appended inside the caller's
 * transaction and broadcast only after it commits; each is serialized once.
 */
import { writeTransaction, type Db } from '../store/index.js';
import type { DashboardEventKind } from '../../protocol/index.js';
import { Subscriber, SubscriberSet, type CatchUpRead } from './subscriber.js';
import { SeqHighWater } from './seq-high-water.js';

/** Most events a `since` replay hands out; further back is a resync. */
const MAX_REPLAY = 20_000;
/** Most bytes a `since` replay hands out (half a subscriber's buffer); more is a resync too. */
const MAX_REPLAY_BYTES = 4 * 1024 * 1024;
const PRUNE_EVERY = 5_000;
/** Rows read per catch-up slice. */
const CATCH_UP_ROWS = 1000;

type Pending = { line: string; kind: string; seq: number; bytes: number };

/** What the channel keeps: the newest events within both bounds. */
export interface DashboardRetention {
  maxEvents: number;
  maxBytes: number;
}

export class DashboardChannel {
  private readonly subscribers = new SubscriberSet();
  private seq: number;
  private prunedThrough: number;
  private pending: Pending[] = [];
  private sincePrune = 0;
  /** Bytes of the stored events. */
  private storedBytes: number;
  private readonly insert;
  private readonly selectSince;
  private readonly selectSlice;
  private readonly savePruned;
  private readonly highWater: SeqHighWater;

  private readonly retention: DashboardRetention;

  constructor(
    private readonly db: Db,
    retention: Partial<DashboardRetention> = {},
  ) {
    this.retention = { maxEvents: retention.maxEvents ?? 100_000, maxBytes: retention.maxBytes ?? 256 * 1024 * 1024 };
    this.storedBytes = (db.prepare('SELECT COALESCE(SUM(bytes), 0) AS b FROM dashboard_events').get() as { b: number }).b;
    this.highWater = new SeqHighWater(db, 'dashboard');
    this.seq = this.highWater.resumeAfter((db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM dashboard_events').get() as { s: number }).s);
    const mark = db.prepare("SELECT pruned_through FROM retention WHERE scope = 'dashboard'").get() as { pruned_through: number } | undefined;
    this.prunedThrough = mark?.pruned_through ?? 0;
    this.insert = db.prepare('INSERT INTO dashboard_events (seq, kind, line, bytes) VALUES (?, ?, ?, ?)');
    this.selectSince = db.prepare('SELECT line FROM dashboard_events WHERE seq > ? ORDER BY seq LIMIT ?');
    this.selectSlice = db.prepare(`SELECT seq, kind, line FROM dashboard_events WHERE seq > ? ORDER BY seq LIMIT ${CATCH_UP_ROWS}`);
    this.savePruned = db.prepare("INSERT INTO retention (scope, pruned_through) VALUES ('dashboard', ?) ON CONFLICT(scope) DO UPDATE SET pruned_through = excluded.pruned_through");
  }

  /** seq of the newest committed-or-pending event. */
  get currentSeq(): number {
    return this.seq;
  }

  /** Append an event inside the current transaction; it is broadcast by `flush()` after commit. */
  append(kind: DashboardEventKind, fields: Record<string, unknown>): number {
    const seq = ++this.seq;
    const line = JSON.stringify({ kind, seq, at: Math.floor(Date.now() / 1000), ...fields }) + '\n';
    const bytes = Buffer.byteLength(line);
    this.insert.run(seq, kind, line, bytes);
    this.highWater.record(seq);
    this.pending.push({ line, kind, seq, bytes });
    return seq;
  }

  /** The transaction rolled back: forget its events and their seqs. */
  rollback(toSeq: number): void {
    this.seq = toSeq;
    this.pending = [];
  }

  /** The transaction committed: send its events to every subscriber. */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.subscribers.broadcast(
      batch.map((p) => p.line),
      batch.map((p) => p.kind),
      batch.map((p) => p.seq),
    );
    this.sincePrune += batch.length;
    for (const p of batch) this.storedBytes += p.bytes;
    if (this.sincePrune >= PRUNE_EVERY || this.storedBytes > this.retention.maxBytes) this.prune();
  }

  /** Register a live subscriber starting after `seq`. */
  subscribe(subscriber: Subscriber): void {
    this.subscribers.add(subscriber);
  }

  unsubscribe(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
  }

  /**
   * Events after `since`, oldest first, or null when `since` cannot be honoured
   * (pruned away, unknown, or too far back in count or bytes) and the client must resync.
   */
  replay(since: number, kinds: ReadonlySet<string> | null, maxBytes: number = MAX_REPLAY_BYTES): string[] | null {
    if (since > this.seq || since < this.prunedThrough) return null;
    if (this.seq - since > MAX_REPLAY) return null;
    const lines: string[] = [];
    let bytes = 0;
    for (const row of this.selectSince.iterate(since, MAX_REPLAY) as Iterable<{ line: string }>) {
      if (kinds) {
        const kind = /^\{"kind":"([a-z_]+)"/.exec(row.line)?.[1];
        if (!kind || !kinds.has(kind)) continue;
      }
      bytes += Buffer.byteLength(row.line);
      if (bytes > maxBytes) return null;
      lines.push(row.line);
    }
    return lines;
  }

  /** True when events after `since` can still be replayed (it is neither in the future nor pruned away). */
  canResume(since: number): boolean {
    return since <= this.seq && since >= this.prunedThrough;
  }

  /** A subscriber's catch-up from the store: events of `kinds` (all when null) after a seq, a slice at a time. */
  catchUp(kinds: ReadonlySet<string> | null): CatchUpRead {
    return (afterSeq, maxBytes) => {
      if (afterSeq < this.prunedThrough) return null;
      let lines = '';
      let bytes = 0;
      let lastSeq = afterSeq;
      let rows = 0;
      for (const row of this.selectSlice.iterate(afterSeq) as Iterable<{ seq: number; kind: string; line: string }>) {
        rows++;
        lastSeq = row.seq;
        if (kinds && !kinds.has(row.kind)) continue;
        lines += row.line;
        bytes += Buffer.byteLength(row.line);
        if (bytes >= maxBytes) break;
      }
      // A short slice read everything stored after `afterSeq`.
      return { lines, lastSeq, done: lastSeq >= this.seq || (rows < CATCH_UP_ROWS && bytes < maxBytes) };
    };
  }

  /** Drop events beyond the count or bytes cap (bytes down to 90%), remembering how far back resumes still work. */
  prune(): void {
    this.sincePrune = 0;
    let through = this.seq - this.retention.maxEvents;
    if (this.storedBytes > this.retention.maxBytes) {
      const byBytes = this.db
        .prepare('SELECT MAX(seq) AS seq FROM (SELECT seq, SUM(bytes) OVER (ORDER BY seq DESC) AS newer FROM dashboard_events) WHERE newer > ?')
        .get(Math.floor(this.retention.maxBytes * 0.9)) as { seq: number | null };
      through = Math.max(through, byBytes.seq ?? 0);
    }
    if (through <= this.prunedThrough) return;
    this.storedBytes = writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM dashboard_events WHERE seq <= ?').run(through);
      this.savePruned.run(through);
      return (this.db.prepare('SELECT COALESCE(SUM(bytes), 0) AS b FROM dashboard_events').get() as { b: number }).b;
    });
    this.prunedThrough = through;
  }

  close(): void {
    this.subscribers.closeAll();
  }
}

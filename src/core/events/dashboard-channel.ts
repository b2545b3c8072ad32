/**
 * The dashboard channel: low-volume events with a persistent monotonic `seq`
 * (the row id of the stored event). Events are appended inside the caller's
 * transaction and broadcast only after it commits; each is serialized once.
 */
import type { Db } from '../store/index.js';
import type { DashboardEventKind } from '../../protocol/index.js';
import { Subscriber, SubscriberSet } from './subscriber.js';
import { SeqHighWater } from './seq-high-water.js';

/** Most events a `since` replay hands out; further back is a resync. */
const MAX_REPLAY = 20_000;
const PRUNE_EVERY = 5_000;

type Pending = { line: string; kind: string; seq: number };

export class DashboardChannel {
  private readonly subscribers = new SubscriberSet();
  private seq: number;
  private prunedThrough: number;
  private pending: Pending[] = [];
  private sincePrune = 0;
  private readonly insert;
  private readonly selectSince;
  private readonly savePruned;
  private readonly highWater: SeqHighWater;

  constructor(
    private readonly db: Db,
    private readonly retain: number = 100_000,
  ) {
    this.highWater = new SeqHighWater(db, 'dashboard');
    this.seq = this.highWater.resumeAfter((db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM dashboard_events').get() as { s: number }).s);
    const mark = db.prepare("SELECT pruned_through FROM retention WHERE scope = 'dashboard'").get() as { pruned_through: number } | undefined;
    this.prunedThrough = mark?.pruned_through ?? 0;
    this.insert = db.prepare('INSERT INTO dashboard_events (seq, kind, line) VALUES (?, ?, ?)');
    this.selectSince = db.prepare('SELECT line FROM dashboard_events WHERE seq > ? ORDER BY seq LIMIT ?');
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
    this.insert.run(seq, kind, line);
    this.highWater.record(seq);
    this.pending.push({ line, kind, seq });
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
    if (this.sincePrune >= PRUNE_EVERY) this.prune();
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
   * (pruned away, unknown, or too far back) and the client must resync.
   */
  replay(since: number, kinds: ReadonlySet<string> | null): string[] | null {
    if (since > this.seq || since < this.prunedThrough) return null;
    if (this.seq - since > MAX_REPLAY) return null;
    const rows = this.selectSince.all(since, MAX_REPLAY) as { line: string }[];
    const lines: string[] = [];
    for (const row of rows) {
      if (kinds) {
        const kind = /^\{"kind":"([a-z_]+)"/.exec(row.line)?.[1];
        if (!kind || !kinds.has(kind)) continue;
      }
      lines.push(row.line);
    }
    return lines;
  }

  /** Drop events beyond the retention cap, remembering how far back resumes still work. */
  prune(): void {
    this.sincePrune = 0;
    const through = this.seq - this.retain;
    if (through <= this.prunedThrough) return;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM dashboard_events WHERE seq <= ?').run(through);
      this.savePruned.run(through);
    })();
    this.prunedThrough = through;
  }

  close(): void {
    this.subscribers.closeAll();
  }
}

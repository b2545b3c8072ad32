/**
 * Per-agent live event streams: high-volume events persisted in batches (one
 * transaction per `emit`), each capped at 64 KiB, retained per agent by
 * count, bytes and age, each serialized once and the same bytes sent to every
 * subscriber of that agent's stream.
 */
import { writeTransaction, type Db } from '../store/index.js';
import type { LiveEventInput } from '../../protocol/index.js';
import { Subscriber, SubscriberSet, type CatchUpRead } from './subscriber.js';
import { SeqHighWater } from './seq-high-water.js';
import { PAGE_BYTES, takePage, type Page } from '../paging.js';
import { MAX_LIVE_EVENT_BYTES, capLiveEventLine } from '../../protocol/index.js';

type StoredLine = { line: string };

/** A stored line's bytes in an array answer (its newline stands for the comma). */
function lineBytes(row: StoredLine): number {
  return Buffer.byteLength(row.line);
}

/** What the log keeps of each agent's stream: the newest events within all three bounds. */
export interface AgentEventRetention {
  maxEvents: number;
  maxBytes: number;
  maxAgeSeconds: number;
}

export const DEFAULT_AGENT_EVENT_RETENTION: AgentEventRetention = { maxEvents: 50_000, maxBytes: 64 * 1024 * 1024, maxAgeSeconds: 30 * 86_400 };

/** Rows read per catch-up slice. */
const CATCH_UP_ROWS = 1000;

/** A prune goes down to this share of a cap, so a stream at its cap is not pruned on every append. */
const LOW_WATER = 0.9;

/** What one appended batch was, for the caller's derived state. */
export interface AppendedBatch {
  firstSeq: number;
  lastSeq: number;
}

/**
 * Serialize one event as its stored line: `kind, seq, agent, ts_ms` first, then
 * the event's own fields. The fast path reuses the event's JSON instead of
 * building a new object; anything unusual takes the plain path.
 */
export function serializeLiveEvent(event: LiveEventInput, seq: number, agentJson: string, now: number): string {
  const kind = event.kind;
  if (!('seq' in event) && !('agent' in event)) {
    const json = JSON.stringify(event);
    const prefix = `{"kind":"${kind}"`;
    if (json.startsWith(prefix)) {
      let rest = json.slice(prefix.length);
      let ts = now;
      const tsMatch = event.ts_ms === undefined ? null : /^,"ts_ms":(-?[0-9.eE+-]+)/.exec(rest);
      if (event.ts_ms === undefined || tsMatch) {
        if (tsMatch) {
          ts = event.ts_ms!;
          rest = rest.slice(tsMatch[0].length);
        }
        return `{"kind":"${kind}","seq":${seq},"agent":${agentJson},"ts_ms":${ts}${rest}\n`;
      }
    }
  }
  const { ts_ms, kind: _kind, ...fields } = event as LiveEventInput & { seq?: unknown; agent?: unknown };
  delete fields.seq;
  delete fields.agent;
  return JSON.stringify({ kind, seq, agent: JSON.parse(agentJson) as string, ts_ms: ts_ms ?? now, ...fields }) + '\n';
}

export class AgentEventLog {
  private seq: number;
  private readonly streams = new Map<string, SubscriberSet>();
  private readonly prunedThrough = new Map<string, number>();
  /** Events and bytes stored per agent. */
  private readonly totals = new Map<string, { count: number; bytes: number }>();
  private readonly insert;
  private readonly selectLatest;
  private readonly selectAfter;
  private readonly selectBefore;
  private readonly selectSlice;
  private readonly savePruned;
  private readonly highWater: SeqHighWater;
  /** Called after events were stored, cut or purged (the search index follows). */
  onChange: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly retention: AgentEventRetention = DEFAULT_AGENT_EVENT_RETENTION,
  ) {
    this.highWater = new SeqHighWater(db, 'agent_events');
    this.seq = this.highWater.resumeAfter((db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM agent_events').get() as { s: number }).s);
    for (const row of db.prepare('SELECT agent, COUNT(*) AS count, COALESCE(SUM(bytes), 0) AS bytes FROM agent_events GROUP BY agent').all() as { agent: string; count: number; bytes: number }[]) {
      this.totals.set(row.agent, { count: row.count, bytes: row.bytes });
    }
    for (const row of db.prepare("SELECT scope, pruned_through FROM retention WHERE scope LIKE 'agent:%'").all() as { scope: string; pruned_through: number }[]) {
      this.prunedThrough.set(row.scope.slice('agent:'.length), row.pruned_through);
    }
    this.insert = db.prepare('INSERT INTO agent_events (seq, agent, kind, line, bytes, stored_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.selectLatest = db.prepare('SELECT line FROM agent_events WHERE agent = ? ORDER BY seq DESC LIMIT ?');
    this.selectAfter = db.prepare('SELECT line FROM agent_events WHERE agent = ? AND seq > ? ORDER BY seq LIMIT ?');
    this.selectSlice = db.prepare(`SELECT seq, line FROM agent_events WHERE agent = ? AND seq > ? ORDER BY seq LIMIT ${CATCH_UP_ROWS}`);
    this.selectBefore = db.prepare('SELECT line FROM agent_events WHERE agent = ? AND seq < ? ORDER BY seq DESC LIMIT ?');
    this.savePruned = db.prepare('INSERT INTO retention (scope, pruned_through) VALUES (?, ?) ON CONFLICT(scope) DO UPDATE SET pruned_through = excluded.pruned_through');
  }

  get currentSeq(): number {
    return this.seq;
  }

  /** Persist a batch in one transaction, then broadcast it to the agent's subscribers. */
  append(agent: string, events: readonly LiveEventInput[]): AppendedBatch {
    const firstSeq = this.seq + 1;
    const lines: string[] = new Array(events.length);
    const kinds: string[] = new Array(events.length);
    const seqs: number[] = new Array(events.length);
    const now = Date.now();
    const storedAt = Math.floor(now / 1000);
    const startSeq = this.seq;
    // The line is built around the event's own JSON so each event is serialized once, kind first.
    const agentJson = JSON.stringify(agent);
    let batchBytes = 0;
    try {
      writeTransaction(this.db, () => {
        for (let i = 0; i < events.length; i++) {
          const event = events[i]!;
          const kind = event.kind;
          const seq = ++this.seq;
          let line = serializeLiveEvent(event, seq, agentJson, now);
          // A line of at most a third of the cap in UTF-16 units fits it in bytes: only longer ones are measured.
          if (line.length > MAX_LIVE_EVENT_BYTES / 3) line = capLiveEventLine(line.slice(0, -1)) + '\n';
          const bytes = Buffer.byteLength(line);
          this.insert.run(seq, agent, kind, line, bytes, storedAt);
          batchBytes += bytes;
          lines[i] = line;
          kinds[i] = kind;
          seqs[i] = seq;
        }
        this.highWater.record(this.seq);
      });
    } catch (err) {
      this.seq = startSeq;
      throw err;
    }
    this.streams.get(agent)?.broadcast(lines, kinds, seqs);
    this.onChange?.();
    const totals = this.totals.get(agent) ?? { count: 0, bytes: 0 };
    totals.count += events.length;
    totals.bytes += batchBytes;
    this.totals.set(agent, totals);
    if (totals.count > this.retention.maxEvents || totals.bytes > this.retention.maxBytes) {
      try {
        this.prune(agent);
      } catch {
        // The batch is stored and sent; a prune that failed (a full disk, say) runs again on the next append or sweep.
      }
    }
    return { firstSeq, lastSeq: this.seq };
  }

  /** Events and bytes stored for `agent`. */
  stored(agent: string): { count: number; bytes: number } {
    return { ...(this.totals.get(agent) ?? { count: 0, bytes: 0 }) };
  }

  /** The last `limit` events of `agent` that fit in `bytes`, oldest first, as stored lines (no newline); `more` when older ones exist. */
  history(agent: string, limit: number, bytes: number = PAGE_BYTES): Page<string> {
    const page = takePage(this.selectLatest.iterate(agent, limit + 1) as Iterable<StoredLine>, limit, bytes, lineBytes);
    const lines = new Array<string>(page.items.length);
    for (let i = 0; i < page.items.length; i++) lines[page.items.length - 1 - i] = page.items[i]!.line.slice(0, -1);
    return { items: lines, more: page.more, bytes: page.bytes };
  }

  /** Events of `agent` after `since`, oldest first; null (resync needed) when they are more than `max` or `bytes`, or gone. */
  after(agent: string, since: number, max: number, bytes: number = PAGE_BYTES): string[] | null {
    if (since > this.seq || since < (this.prunedThrough.get(agent) ?? 0)) return null;
    const page = takePage(this.selectAfter.iterate(agent, since, max + 1) as Iterable<StoredLine>, max, bytes, lineBytes);
    if (page.more) return null;
    return page.items.map((r) => r.line.slice(0, -1));
  }

  /** True when `agent`'s events after `since` can still be replayed (neither in the future nor pruned away). */
  canResume(agent: string, since: number): boolean {
    return since <= this.seq && since >= (this.prunedThrough.get(agent) ?? 0);
  }

  /** A subscriber's catch-up from the store: `agent`'s events after a seq, a slice at a time. */
  catchUp(agent: string): CatchUpRead {
    return (afterSeq, maxBytes) => {
      if (afterSeq < (this.prunedThrough.get(agent) ?? 0)) return null;
      let lines = '';
      let bytes = 0;
      let lastSeq = afterSeq;
      let rows = 0;
      for (const row of this.selectSlice.iterate(agent, afterSeq) as Iterable<{ seq: number; line: string }>) {
        rows++;
        lastSeq = row.seq;
        lines += row.line;
        bytes += Buffer.byteLength(row.line);
        if (bytes >= maxBytes) break;
      }
      // Fewer rows than a slice holds, or the newest seq reached: nothing of this agent's is left to read.
      return { lines, lastSeq, done: lastSeq >= this.seq || (rows < CATCH_UP_ROWS && bytes < maxBytes) };
    };
  }

  /** A page of older events (`seq < before`), newest first, within `bytes`. */
  page(agent: string, before: number, limit: number, bytes: number = PAGE_BYTES): Page<string> {
    const page = takePage(this.selectBefore.iterate(agent, before, limit + 1) as Iterable<StoredLine>, limit, bytes, lineBytes);
    return { items: page.items.map((r) => r.line.slice(0, -1)), more: page.more, bytes: page.bytes };
  }

  subscribe(agent: string, subscriber: Subscriber): void {
    let set = this.streams.get(agent);
    if (!set) this.streams.set(agent, (set = new SubscriberSet()));
    set.add(subscriber);
  }

  unsubscribe(agent: string, subscriber: Subscriber): void {
    this.streams.get(agent)?.delete(subscriber);
  }

  /**
   * Drop `agent`'s oldest events: those older than the age limit, and when
   * the count or bytes are over their cap, down to 90% of it. A resume from
   * before the cut is a resync.
   */
  prune(agent: string, nowSeconds: number = Math.floor(Date.now() / 1000)): void {
    const { maxEvents, maxBytes, maxAgeSeconds } = this.retention;
    const totals = this.totals.get(agent);
    if (!totals) return;
    let cut = 0;
    const aged = this.db
      .prepare('SELECT MAX(seq) AS seq FROM agent_events WHERE agent = ? AND stored_at < ?')
      .get(agent, nowSeconds - maxAgeSeconds) as { seq: number | null };
    cut = Math.max(cut, aged.seq ?? 0);
    if (totals.count > maxEvents) {
      const byCount = this.db
        .prepare('SELECT seq FROM agent_events WHERE agent = ? ORDER BY seq DESC LIMIT 1 OFFSET ?')
        .get(agent, Math.floor(maxEvents * LOW_WATER)) as { seq: number } | undefined;
      cut = Math.max(cut, byCount?.seq ?? 0);
    }
    if (totals.bytes > maxBytes) {
      // The newest events whose running size stays within the low-water mark are kept; the first one past it is the cut.
      const byBytes = this.db
        .prepare('SELECT MAX(seq) AS seq FROM (SELECT seq, SUM(bytes) OVER (ORDER BY seq DESC) AS newer FROM agent_events WHERE agent = ?) WHERE newer > ?')
        .get(agent, Math.floor(maxBytes * LOW_WATER)) as { seq: number | null };
      cut = Math.max(cut, byBytes.seq ?? 0);
    }
    if (cut === 0) return;
    const left = writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM agent_events WHERE agent = ? AND seq <= ?').run(agent, cut);
      this.savePruned.run(`agent:${agent}`, cut);
      return this.db.prepare('SELECT COUNT(*) AS count, COALESCE(SUM(bytes), 0) AS bytes FROM agent_events WHERE agent = ?').get(agent) as { count: number; bytes: number };
    });
    this.totals.set(agent, left);
    this.prunedThrough.set(agent, Math.max(cut, this.prunedThrough.get(agent) ?? 0));
    this.onChange?.();
  }

  /** Apply retention to every agent's stream (the age limit moves with the clock). */
  sweep(nowSeconds?: number): void {
    for (const agent of [...this.totals.keys()]) this.prune(agent, nowSeconds);
  }

  /** Forget an agent's stream (destroy with purge); a resume from before now is a resync. */
  purge(agent: string): void {
    writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM agent_events WHERE agent = ?').run(agent);
      this.savePruned.run(`agent:${agent}`, this.seq);
    });
    this.prunedThrough.set(agent, this.seq);
    this.onChange?.();
    this.totals.delete(agent);
    this.streams.get(agent)?.closeAll();
    this.streams.delete(agent);
  }

  close(): void {
    for (const set of this.streams.values()) set.closeAll();
  }
}

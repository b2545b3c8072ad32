/**
 * Per-agent live event streams: high-volume events persisted in batches (one
 * transaction per `emit`), capped per agent, each serialized once and the same
 * bytes sent to every subscriber of that agent's stream.
 */
import type { Db } from '../store/index.js';
import type { LiveEventInput } from '../../protocol/index.js';
import { Subscriber, SubscriberSet } from './subscriber.js';
import { SeqHighWater } from './seq-high-water.js';

const PRUNE_EVERY = 10_000;

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
  private readonly sinceprune = new Map<string, number>();
  private readonly prunedThrough = new Map<string, number>();
  private readonly insert;
  private readonly selectLatest;
  private readonly selectAfter;
  private readonly selectBefore;
  private readonly savePruned;
  private readonly highWater: SeqHighWater;

  constructor(
    private readonly db: Db,
    /** Events kept per agent. */
    private readonly retainPerAgent: number = 50_000,
  ) {
    this.highWater = new SeqHighWater(db, 'agent_events');
    this.seq = this.highWater.resumeAfter((db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM agent_events').get() as { s: number }).s);
    for (const row of db.prepare("SELECT scope, pruned_through FROM retention WHERE scope LIKE 'agent:%'").all() as { scope: string; pruned_through: number }[]) {
      this.prunedThrough.set(row.scope.slice('agent:'.length), row.pruned_through);
    }
    this.insert = db.prepare('INSERT INTO agent_events (seq, agent, kind, line) VALUES (?, ?, ?, ?)');
    this.selectLatest = db.prepare('SELECT line FROM agent_events WHERE agent = ? ORDER BY seq DESC LIMIT ?');
    this.selectAfter = db.prepare('SELECT line FROM agent_events WHERE agent = ? AND seq > ? ORDER BY seq LIMIT ?');
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
    const startSeq = this.seq;
    // The line is built around the event's own JSON so each event is serialized once, kind first.
    const agentJson = JSON.stringify(agent);
    try {
      this.db.transaction(() => {
        for (let i = 0; i < events.length; i++) {
          const event = events[i]!;
          const kind = event.kind;
          const seq = ++this.seq;
          const line = serializeLiveEvent(event, seq, agentJson, now);
          this.insert.run(seq, agent, kind, line);
          lines[i] = line;
          kinds[i] = kind;
          seqs[i] = seq;
        }
        this.highWater.record(this.seq);
      })();
    } catch (err) {
      this.seq = startSeq;
      throw err;
    }
    this.streams.get(agent)?.broadcast(lines, kinds, seqs);
    const count = (this.sinceprune.get(agent) ?? 0) + events.length;
    if (count >= PRUNE_EVERY) {
      this.sinceprune.set(agent, 0);
      this.prune(agent);
    } else {
      this.sinceprune.set(agent, count);
    }
    return { firstSeq, lastSeq: this.seq };
  }

  /** The last `limit` events of `agent`, oldest first, as stored lines (no newline). */
  history(agent: string, limit: number): string[] {
    const rows = this.selectLatest.all(agent, limit) as { line: string }[];
    const out = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) out[rows.length - 1 - i] = rows[i]!.line.slice(0, -1);
    return out;
  }

  /** Events of `agent` after `since` (at most `max`), oldest first; null = resync needed. */
  after(agent: string, since: number, max: number): string[] | null {
    if (since > this.seq || since < (this.prunedThrough.get(agent) ?? 0)) return null;
    const rows = this.selectAfter.all(agent, since, max + 1) as { line: string }[];
    if (rows.length > max) return null;
    return rows.map((r) => r.line.slice(0, -1));
  }

  /** A page of older events (`seq < before`), newest first. */
  page(agent: string, before: number, limit: number): string[] {
    return (this.selectBefore.all(agent, before, limit) as { line: string }[]).map((r) => r.line.slice(0, -1));
  }

  subscribe(agent: string, subscriber: Subscriber): void {
    let set = this.streams.get(agent);
    if (!set) this.streams.set(agent, (set = new SubscriberSet()));
    set.add(subscriber);
  }

  unsubscribe(agent: string, subscriber: Subscriber): void {
    this.streams.get(agent)?.delete(subscriber);
  }

  /** Keep only the newest `retainPerAgent` events of `agent`. */
  prune(agent: string): void {
    const cut = this.db
      .prepare('SELECT seq FROM agent_events WHERE agent = ? ORDER BY seq DESC LIMIT 1 OFFSET ?')
      .get(agent, this.retainPerAgent) as { seq: number } | undefined;
    if (!cut) return;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM agent_events WHERE agent = ? AND seq <= ?').run(agent, cut.seq);
      this.savePruned.run(`agent:${agent}`, cut.seq);
    })();
    this.prunedThrough.set(agent, cut.seq);
  }

  /** Forget an agent's stream (destroy with purge). */
  purge(agent: string): void {
    this.db.prepare('DELETE FROM agent_events WHERE agent = ?').run(agent);
    this.streams.get(agent)?.closeAll();
    this.streams.delete(agent);
  }

  close(): void {
    for (const set of this.streams.values()) set.closeAll();
  }
}

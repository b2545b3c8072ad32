/**
 * What happened to the agents' harnesses, kept for the recap: each start
 * (with why: a crash restart, an operator's restart, a config update), each
 * time an agent was marked failed, each turn that stalled. Bounded by count
 * and age, like everything the store keeps.
 */
import type { AgentStatusRow, RecapIncident } from '../protocol/index.js';
import type { Db } from './store/index.js';
import { mapRows, takePage, type Page } from './paging.js';

export interface IncidentRetention {
  maxRows: number;
  maxAgeSeconds: number;
}

export const DEFAULT_INCIDENT_RETENTION: IncidentRetention = { maxRows: 10_000, maxAgeSeconds: 30 * 86_400 };

type IncidentRow = { id: number; agent: string; at: number; kind: RecapIncident['kind']; detail: string | null; seq: number };

export class IncidentLog {
  private readonly insert;
  private readonly selectSince;
  private readonly countSince;
  private rows: number;

  constructor(
    private readonly db: Db,
    /** The agent streams' newest seq (an incident points there). */
    private readonly streamSeq: () => number,
    private readonly retention: IncidentRetention = DEFAULT_INCIDENT_RETENTION,
  ) {
    this.insert = db.prepare('INSERT INTO agent_incidents (agent, at, kind, detail, seq) VALUES (?, ?, ?, ?, ?)');
    this.selectSince = db.prepare('SELECT * FROM agent_incidents WHERE at >= ? AND at < ? ORDER BY id DESC');
    this.countSince = db.prepare('SELECT agent, kind, COUNT(*) AS n FROM agent_incidents WHERE at >= ? AND at < ? GROUP BY agent, kind');
    this.rows = (db.prepare('SELECT COUNT(*) AS n FROM agent_incidents').get() as { n: number }).n;
  }

  /** Record one (inside the caller's transaction, or its own). */
  record(agent: string, kind: RecapIncident['kind'], detail?: string): void {
    this.insert.run(agent, Date.now() / 1000, kind, detail ?? null, this.streamSeq());
    if (++this.rows > this.retention.maxRows) this.prune();
  }

  /** A roster row changed: a rise of `failed` or `stalled` is an incident. */
  noteStatus(previous: AgentStatusRow | undefined, row: AgentStatusRow): void {
    if (row.failed && !previous?.failed) this.record(row.name, 'failed');
    if (row.stalled && !previous?.stalled) this.record(row.name, 'stalled');
  }

  /** Incidents in `[since, until)`, newest first, at most `limit` within one answer's share. */
  list(since: number, until: number, limit: number, bytes: number): Page<RecapIncident> {
    const rows = this.selectSince.iterate(since, until) as Iterable<IncidentRow>;
    return takePage(mapRows(rows, toIncident), limit, bytes);
  }

  /** Per agent and kind, how many in `[since, until)`. */
  counts(since: number, until: number): { agent: string; kind: RecapIncident['kind']; n: number }[] {
    return this.countSince.all(since, until) as { agent: string; kind: RecapIncident['kind']; n: number }[];
  }

  /** Drop what is older than the age limit and, over the count, the oldest down to 90% of it. */
  prune(nowSeconds: number = Date.now() / 1000): void {
    this.db.prepare('DELETE FROM agent_incidents WHERE at < ?').run(nowSeconds - this.retention.maxAgeSeconds);
    const keep = Math.floor(this.retention.maxRows * 0.9);
    this.db.prepare('DELETE FROM agent_incidents WHERE id <= (SELECT id FROM agent_incidents ORDER BY id DESC LIMIT 1 OFFSET ?)').run(keep);
    this.rows = (this.db.prepare('SELECT COUNT(*) AS n FROM agent_incidents').get() as { n: number }).n;
  }
}

function toIncident(r: IncidentRow): RecapIncident {
  const incident: RecapIncident = { id: r.id, agent: r.agent, kind: r.kind, at: r.at, seq: r.seq };
  if (r.detail !== null) incident.detail = r.detail;
  return incident;
}

/** Per-turn stats the harnesses report: one stored row per turn, each agent's last turn kept for its roster row. */
import { TurnStat, type LastTurn, type TodayTotals, type TurnStatInput } from '../protocol/index.js';
import type { ServicePorts, StatusChanged, UnitOfWork } from './ports.js';
import { takePage, type Page } from './paging.js';
import type { TurnPeaks } from './resources/index.js';

export class TurnStats {
  private readonly work: UnitOfWork;
  private readonly statusChanged: StatusChanged;
  private readonly lastTurns = new Map<string, LastTurn>();
  /** Turns since local midnight, summed once from the store and kept up as rows arrive. */
  private todayTotals: TodayTotals = { since: Number.POSITIVE_INFINITY, turns: 0, cost_usd: 0 };

  /** `recorded` runs inside each row's transaction, before its roster row is derived (spend counting). */
  constructor(
    ports: Pick<ServicePorts, 'work' | 'statusChanged'>,
    private readonly recorded: (stat: TurnStat) => void = () => {},
  ) {
    this.work = ports.work;
    this.statusChanged = ports.statusChanged;
    const lastOfEach = this.work.db.prepare('SELECT id, agent, row_json FROM turn_stats WHERE id IN (SELECT MAX(id) FROM turn_stats GROUP BY agent)');
    for (const row of lastOfEach.all() as StoredRow[]) {
      const stat = readRow(row);
      if (stat) this.lastTurns.set(stat.agent, toLastTurn(stat));
    }
  }

  /** Turns that ended since the core's local midnight, and their cost. */
  today(): TodayTotals {
    const since = localMidnight();
    if (since !== this.todayTotals.since) {
      const sum = this.work.db.prepare('SELECT row_json FROM turn_stats WHERE ended_at >= ?').all(since) as { row_json: string }[];
      this.todayTotals = { since, turns: 0, cost_usd: 0 };
      for (const { row_json } of sum) this.countToday(JSON.parse(row_json) as TurnStat);
    }
    return { ...this.todayTotals };
  }

  private countToday(stat: TurnStat): void {
    if (stat.ended_at < this.todayTotals.since) return;
    this.todayTotals.turns++;
    this.todayTotals.cost_usd += stat.cost_usd ?? 0;
  }

  /** `agent`'s most recent turn, for its roster row. */
  lastTurn(agent: string): LastTurn | undefined {
    return this.lastTurns.get(agent);
  }

  /** Store `agent`'s row: the id is the store's and the agent the socket's, whatever the input says; `measured` is what the core sampled of the turn. */
  record(agent: string, input: TurnStatInput, measured?: TurnPeaks): TurnStat {
    const db = this.work.db;
    return this.work.commit(() => {
      const id = Number(db.prepare('INSERT INTO turn_stats (agent, ended_at, cost_usd, row_json) VALUES (?, ?, ?, ?)').run(agent, input.ended_at, input.cost_usd ?? 0, '{}').lastInsertRowid);
      const stat: TurnStat = { id, agent, ...input, ...measured };
      stat.id = id;
      stat.agent = agent;
      db.prepare('UPDATE turn_stats SET row_json = ? WHERE id = ?').run(JSON.stringify(stat), id);
      this.work.announce('turn_stat', { stat });
      this.lastTurns.set(agent, toLastTurn(stat));
      this.countToday(stat);
      this.recorded(stat);
      this.statusChanged(agent);
      return stat;
    });
  }

  /** Newest first: `agent`'s (or everyone's) rows with `id < before`, at most `limit`, within one answer's bytes. */
  list(agent: string | undefined, limit: number, before: number | undefined): Page<TurnStat> {
    const clauses: string[] = [];
    const args: unknown[] = [];
    if (agent) {
      clauses.push('agent = ?');
      args.push(agent);
    }
    if (before !== undefined) {
      clauses.push('id < ?');
      args.push(before);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.work.db.prepare(`SELECT id, agent, row_json FROM turn_stats ${where} ORDER BY id DESC`).iterate(...args) as Iterable<StoredRow>;
    return takePage(readableRows(rows), limit);
  }
}

type StoredRow = { id: number; agent: string; row_json: string };

function* readableRows(rows: Iterable<StoredRow>): Generator<TurnStat> {
  for (const row of rows) {
    const stat = readRow(row);
    if (stat) yield stat;
  }
}

/** A stored row as a TurnStat, its id and agent from their columns; undefined when it is unreadable (never shown half). */
function readRow(row: StoredRow): TurnStat | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(row.row_json);
  } catch {
    return undefined;
  }
  const parsed = TurnStat.safeParse({ ...(fields as object), id: row.id, agent: row.agent });
  return parsed.success ? parsed.data : undefined;
}

function toLastTurn(stat: TurnStat): LastTurn {
  const last: LastTurn = { ended_at: Math.floor(stat.ended_at), duration_ms: stat.duration_ms, result_kind: stat.result_kind };
  if (stat.cost_usd !== undefined) last.cost_usd = stat.cost_usd;
  return last;
}

/** Unix seconds of the last local midnight. */
function localMidnight(): number {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime() / 1000;
}

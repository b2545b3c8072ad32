/** Per-turn stats the harnesses report: one stored row per turn, each agent's last turn kept for its roster row. */
import type { LastTurn, TodayTotals, TurnStat, TurnStatInput } from '../protocol/index.js';
import type { ServicePorts, StatusChanged, UnitOfWork } from './ports.js';

export class TurnStats {
  private readonly work: UnitOfWork;
  private readonly statusChanged: StatusChanged;
  private readonly lastTurns = new Map<string, LastTurn>();
  /** Turns since local midnight, summed once from the store and kept up as rows arrive. */
  private todayTotals: TodayTotals = { since: Number.POSITIVE_INFINITY, turns: 0, cost_usd: 0 };

  constructor(ports: Pick<ServicePorts, 'work' | 'statusChanged'>) {
    this.work = ports.work;
    this.statusChanged = ports.statusChanged;
    const lastOfEach = this.work.db.prepare('SELECT row_json FROM turn_stats WHERE id IN (SELECT MAX(id) FROM turn_stats GROUP BY agent)');
    for (const { row_json } of lastOfEach.all() as { row_json: string }[]) {
      const stat = JSON.parse(row_json) as TurnStat;
      this.lastTurns.set(stat.agent, toLastTurn(stat));
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

  record(agent: string, input: TurnStatInput): TurnStat {
    const db = this.work.db;
    return this.work.commit(() => {
      const info = db.prepare('INSERT INTO turn_stats (agent, ended_at, row_json) VALUES (?, ?, ?)').run(agent, input.ended_at, '{}');
      const stat: TurnStat = { id: Number(info.lastInsertRowid), agent, ...input };
      db.prepare('UPDATE turn_stats SET row_json = ? WHERE id = ?').run(JSON.stringify(stat), stat.id);
      this.work.announce('turn_stat', { stat });
      this.lastTurns.set(agent, toLastTurn(stat));
      this.countToday(stat);
      this.statusChanged(agent);
      return stat;
    });
  }

  /** Newest first: `agent`'s (or everyone's) rows with `id < before`, at most `limit`. */
  list(agent: string | undefined, limit: number, before: number | undefined): TurnStat[] {
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
    const rows = this.work.db.prepare(`SELECT row_json FROM turn_stats ${where} ORDER BY id DESC LIMIT ?`).all(...args, limit) as { row_json: string }[];
    return rows.map((r) => JSON.parse(r.row_json) as TurnStat);
  }
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

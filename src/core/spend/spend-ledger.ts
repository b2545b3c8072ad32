/**
 * What the hive spent: each agent's cost and turns today and this week,
 * summed from the stored turns once per budget day and kept up as turns
 * arrive. A day is midnight to midnight in the budget time zone, a week
 * starts on Monday 00:00 there; a turn counts on the day it ended.
 */
import { dayStart, nextDayStart, weekStart } from '../../protocol/index.js';
import type { Db } from '../store/index.js';

/** Cost and turns over one window. */
export interface SpendTotals {
  usd: number;
  turns: number;
}

/** One agent's (or the hive's) spend today and this week. */
export interface SpendWindows {
  today: SpendTotals;
  week: SpendTotals;
}

const zero = (): SpendTotals => ({ usd: 0, turns: 0 });

export class SpendLedger {
  /** Unix seconds: the current budget day's start, the next one's, and the week's. */
  private dayStartS = 0;
  private nextDayS = 0;
  private weekStartS = 0;
  private readonly byAgent = new Map<string, SpendWindows>();
  private readonly sumSince;

  constructor(
    db: Db,
    readonly timeZone: string,
    private readonly nowMs: () => number,
  ) {
    this.sumSince = db.prepare('SELECT agent, ended_at >= ? AS today, SUM(cost_usd) AS usd, COUNT(*) AS turns FROM turn_stats WHERE ended_at >= ? GROUP BY agent, ended_at >= ?');
    this.reload();
  }

  get dayStart(): number {
    return this.dayStartS;
  }

  get weekStart(): number {
    return this.weekStartS;
  }

  /** Unix seconds at which the next budget day begins. */
  get nextDay(): number {
    return this.nextDayS;
  }

  /** Start a new day (and maybe week) when the clock has passed midnight; true when it did. */
  roll(): boolean {
    if (this.nowMs() / 1000 < this.nextDayS) return false;
    this.reload();
    return true;
  }

  /** A turn was stored: count it. */
  add(agent: string, endedAt: number, costUsd: number): void {
    if (endedAt < this.weekStartS) return;
    const w = this.windows(agent);
    w.week.usd += costUsd;
    w.week.turns++;
    if (endedAt >= this.dayStartS) {
      w.today.usd += costUsd;
      w.today.turns++;
    }
  }

  /** `agent`'s spend (zeros when it spent nothing this week). */
  agent(agent: string): SpendWindows {
    const w = this.byAgent.get(agent);
    return w ? { today: { ...w.today }, week: { ...w.week } } : { today: zero(), week: zero() };
  }

  /** Every agent's spend summed. */
  hive(): SpendWindows {
    const total = { today: zero(), week: zero() };
    for (const w of this.byAgent.values()) {
      total.today.usd += w.today.usd;
      total.today.turns += w.today.turns;
      total.week.usd += w.week.usd;
      total.week.turns += w.week.turns;
    }
    return total;
  }

  /** Agents with turns this week, by name. */
  agentsWithSpend(): string[] {
    return [...this.byAgent.keys()].sort();
  }

  private windows(agent: string): SpendWindows {
    let w = this.byAgent.get(agent);
    if (!w) this.byAgent.set(agent, (w = { today: zero(), week: zero() }));
    return w;
  }

  private reload(): void {
    const now = this.nowMs();
    this.dayStartS = dayStart(now, this.timeZone) / 1000;
    this.nextDayS = nextDayStart(now, this.timeZone) / 1000;
    this.weekStartS = weekStart(now, this.timeZone) / 1000;
    this.byAgent.clear();
    const rows = this.sumSince.all(this.dayStartS, this.weekStartS, this.dayStartS) as { agent: string; today: number; usd: number; turns: number }[];
    for (const row of rows) {
      const w = this.windows(row.agent);
      w.week.usd += row.usd;
      w.week.turns += row.turns;
      if (row.today) {
        w.today.usd += row.usd;
        w.today.turns += row.turns;
      }
    }
  }
}

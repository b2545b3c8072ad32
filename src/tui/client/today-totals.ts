/** Today's turns and cost as the header shows them, kept current turn by turn. */
import type { TodayTotals, TurnStat } from '../../protocol/index.js';

/** A day's seconds: after this, `since` rolls to the next midnight (a DST day is an hour off, once a year). */
const DAY_SECONDS = 86_400;

/** Today's totals with one more turn (a turn after the next midnight starts a new day). */
export function addToToday(today: TodayTotals, stat: TurnStat): TodayTotals {
  if (stat.ended_at < today.since) return today;
  if (stat.ended_at >= today.since + DAY_SECONDS) {
    const since = today.since + Math.floor((stat.ended_at - today.since) / DAY_SECONDS) * DAY_SECONDS;
    return { since, turns: 1, cost_usd: stat.cost_usd ?? 0 };
  }
  return { ...today, turns: today.turns + 1, cost_usd: today.cost_usd + (stat.cost_usd ?? 0) };
}

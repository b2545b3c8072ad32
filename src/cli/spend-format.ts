/** `cost`: today's and this week's spend per agent and for the hive, against the budgets. */
import type { AgentCost, AgentSpend, HiveSpend } from '../protocol/spend.js';
import { wallClock } from '../protocol/zoned-time.js';
import { cell, renderTable, usd } from './format.js';

function budget(s: AgentSpend): string {
  if (s.daily_budget_usd === undefined) return '-';
  const pct = s.daily_budget_usd > 0 ? ` ${Math.round((s.today_usd / s.daily_budget_usd) * 100)}%` : '';
  return `${usd(s.daily_budget_usd)}${pct}${s.budget_state === 'ok' ? '' : ` ${s.budget_state}`}`;
}

/** The `cost` answer as a table: the hive first, then each agent. */
export function renderCost(spend: HiveSpend, agents: AgentCost[], width?: number): string[] {
  const row = (name: string, s: AgentSpend) => [name, usd(s.today_usd), String(s.turns_today), usd(s.week_usd), String(s.turns_week), budget(s), s.per_turn_budget_usd === undefined ? '-' : usd(s.per_turn_budget_usd)];
  const rows = [row('(hive)', spend), ...agents.map((a) => row(`${cell(a.name)}${a.removed ? ' (removed)' : ''}`, a))];
  const d = wallClock(spend.day_start * 1000, spend.timezone);
  const day = `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  return [
    ...renderTable(['NAME', 'TODAY', 'TURNS', 'WEEK', 'TURNS', 'DAILY BUDGET', 'PER TURN'], rows, width),
    '',
    `budget day from ${day} 00:00 ${cell(spend.timezone)}; weeks start on Monday`,
  ];
}

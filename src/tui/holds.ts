/**
 * What the console says about the core's own pauses and the budgets: the
 * roster's "needs you" mark for an agent held by a usage limit or a budget
 * (with the countdown to its reset), the reason in its status, and the
 * header's spend. Pure: rows and a clock in, text out.
 */
import type { AgentStatusRow, HiveSpend } from '../protocol/index.js';
import { formatAge, formatCost } from './format.js';

/** Pauses the operator should hear about (an operator's own pause needs nothing from them). */
const CORE_HOLDS = new Set(['usage_limit', 'budget', 'hive_budget', 'turn_budget']);

/** True when the row is held by the core for a limit or a budget, or close to its budget. */
export function holdNeedsYou(row: AgentStatusRow): boolean {
  return (row.pause_reason !== undefined && CORE_HOLDS.has(row.pause_reason.kind)) || row.spend?.budget_state === 'warning' || row.spend?.budget_state === 'exceeded';
}

/** The roster's mark: `⏳limit 2h` (to the reset), `$budget`, `$84%`; '' when none. */
export function holdMark(row: AgentStatusRow, nowMs: number): string {
  const reason = row.pause_reason;
  if (reason?.kind === 'usage_limit') {
    const at = reason.resumes_at ?? reason.resets_at;
    return at !== undefined ? `⏳limit ${formatAge(Math.max(0, at - nowMs / 1000))}` : '⏳limit';
  }
  if (reason && CORE_HOLDS.has(reason.kind)) return reason.kind === 'turn_budget' ? '$turn' : '$budget';
  const spend = row.spend;
  if (spend?.budget_state === 'warning' && spend.daily_budget_usd) return `$${Math.floor((spend.today_usd / spend.daily_budget_usd) * 100)}%`;
  return '';
}

/** The reason a paused row gives before its status text: when it ends first (the reason may be long), then why. */
export function holdStatus(row: AgentStatusRow, nowMs: number): string {
  const reason = row.pause_reason;
  if (!reason || reason.kind === 'operator' || reason.kind === 'login') return '';
  const left = (at: number) => formatAge(Math.max(0, at - nowMs / 1000));
  const when =
    reason.resumes_at !== undefined ? `resumes in ${left(reason.resumes_at)}`
    : reason.kind === 'usage_limit' && reason.resets_at !== undefined ? `resets in ${left(reason.resets_at)}, p resumes`
    : 'p resumes';
  return `${when} — ${reason.text}`;
}

/** The header's spend: `today $4.12/$20.00 84% · week $31.50`, and whether it warns. */
export function spendText(spend: HiveSpend): { text: string; warn: boolean } {
  const budget = spend.daily_budget_usd !== undefined ? `/${formatCost(spend.daily_budget_usd)}${spend.daily_budget_usd > 0 ? ` ${Math.floor((spend.today_usd / spend.daily_budget_usd) * 100)}%` : ''}` : '';
  return { text: `today ${formatCost(spend.today_usd)}${budget} · week ${formatCost(spend.week_usd)}`, warn: spend.budget_state !== 'ok' };
}

/**
 * The attention items that come from the agents' rows rather than from a
 * request: an agent that needs a login, agents paused by a budget (their
 * own, one turn's, or the hive's), the agents of one claude account paused
 * by its usage limit (one item for all of them), and an agent near or past
 * its daily budget that still runs. Each says in one sentence what happened
 * and when it ends. Pure: rows, the hive's spend and a clock in.
 */
import type { AgentStatusRow, HiveSpend } from '../../protocol/index.js';
import { formatAge, formatCost } from '../format.js';

/** An agent whose claude is not logged in: it runs nothing until it is. */
export interface LoginItem {
  kind: 'login';
  /** The agent's name. */
  id: string;
  agents: [string];
  at: number;
  deadline?: undefined;
}

/** Every agent of one claude account, paused by its usage limit. */
export interface LimitItem {
  kind: 'limit';
  /** The account's name. */
  id: string;
  agents: string[];
  at: number;
  /** When claude said the limit resets (unix seconds). */
  resetsAt?: number;
  /** When the core resumes them by itself (`auto_resume_after_limit`); absent = the operator does. */
  resumesAt?: number;
  deadline?: undefined;
}

/** An agent (or the hive) paused by a budget, or near or past its daily budget while it runs. */
export interface BudgetItem {
  kind: 'budget';
  /** The agent's name, or `(hive)` for the hive's budget. */
  id: string;
  scope: 'agent' | 'hive';
  /** Which budget: the daily one or one turn's. */
  budget: 'daily' | 'per_turn';
  /** Paused by it (else a warning: it still runs). */
  paused: boolean;
  /** The agents it concerns: the paused ones, or the one warned about (none for a hive warning). */
  agents: string[];
  spentUsd?: number;
  limitUsd?: number;
  /** The core's own sentence for the pause, used when the figures are unknown. */
  reasonText?: string;
  /** When a new budget day resumes it (unix seconds). */
  resumesAt?: number;
  /** Since when it is paused (unix seconds); 0 for a warning. */
  at: number;
  deadline?: undefined;
}

export type HoldItem = LoginItem | LimitItem | BudgetItem;

/** The id of the hive's budget item (not an agent name: those never hold parentheses). */
export const HIVE_BUDGET_ID = '(hive)';

/** The items the rows call for, unordered. */
export function holdItems(rows: readonly AgentStatusRow[], hiveSpend: HiveSpend | undefined): HoldItem[] {
  const items: HoldItem[] = [];
  const limits = new Map<string, LimitItem>();
  let hive: BudgetItem | undefined;
  for (const row of rows) {
    const reason = row.paused ? row.pause_reason : undefined;
    if (row.needs_login) {
      items.push({ kind: 'login', id: row.name, agents: [row.name], at: reason?.kind === 'login' ? reason.since : 0 });
      continue;
    }
    if (reason?.kind === 'usage_limit') {
      const account = reason.account ?? 'default';
      const item = limits.get(account);
      if (!item) {
        const fresh: LimitItem = { kind: 'limit', id: account, agents: [row.name], at: reason.since, ...(reason.resets_at !== undefined && { resetsAt: reason.resets_at }), ...(reason.resumes_at !== undefined && { resumesAt: reason.resumes_at }) };
        limits.set(account, fresh);
        items.push(fresh);
      } else {
        item.agents.push(row.name);
        item.at = Math.min(item.at, reason.since);
        if (reason.resets_at !== undefined) item.resetsAt = Math.max(item.resetsAt ?? 0, reason.resets_at);
        if (reason.resumes_at !== undefined) item.resumesAt = Math.max(item.resumesAt ?? 0, reason.resumes_at);
      }
      continue;
    }
    if (reason?.kind === 'hive_budget') {
      if (!hive) {
        hive = { kind: 'budget', id: HIVE_BUDGET_ID, scope: 'hive', budget: 'daily', paused: true, agents: [], at: reason.since, reasonText: reason.text, ...figures(hiveSpend?.today_usd, hiveSpend?.daily_budget_usd), ...(reason.resumes_at !== undefined && { resumesAt: reason.resumes_at }) };
        items.push(hive);
      }
      hive.agents.push(row.name);
      hive.at = Math.min(hive.at, reason.since);
      continue;
    }
    if (reason?.kind === 'budget' || reason?.kind === 'turn_budget') {
      const perTurn = reason.kind === 'turn_budget';
      const spent = perTurn ? row.last_turn?.cost_usd : row.spend?.today_usd;
      const limit = perTurn ? row.spend?.per_turn_budget_usd : row.spend?.daily_budget_usd;
      items.push({ kind: 'budget', id: row.name, scope: 'agent', budget: perTurn ? 'per_turn' : 'daily', paused: true, agents: [row.name], at: reason.since, reasonText: reason.text, ...figures(spent, limit), ...(reason.resumes_at !== undefined && { resumesAt: reason.resumes_at }) });
      continue;
    }
    const spend = row.spend;
    if (!row.paused && spend && spend.budget_state !== 'ok' && spend.daily_budget_usd !== undefined) {
      items.push({ kind: 'budget', id: row.name, scope: 'agent', budget: 'daily', paused: false, agents: [row.name], at: 0, spentUsd: spend.today_usd, limitUsd: spend.daily_budget_usd });
    }
  }
  if (!hive && hiveSpend && hiveSpend.budget_state !== 'ok' && hiveSpend.daily_budget_usd !== undefined) {
    items.push({ kind: 'budget', id: HIVE_BUDGET_ID, scope: 'hive', budget: 'daily', paused: false, agents: [], at: 0, spentUsd: hiveSpend.today_usd, limitUsd: hiveSpend.daily_budget_usd });
  }
  return items;
}

function figures(spent: number | undefined, limit: number | undefined): Pick<BudgetItem, 'spentUsd' | 'limitUsd'> {
  return { ...(spent !== undefined && { spentUsd: spent }), ...(limit !== undefined && { limitUsd: limit }) };
}

/** True for the items that stop agents (a warning does not). */
export function holdStopsWork(item: HoldItem): boolean {
  return item.kind !== 'budget' || item.paused;
}

/** How far into its budget, in whole percent (0 when unknown). */
export function budgetPercent(item: BudgetItem): number {
  return item.spentUsd !== undefined && item.limitUsd ? Math.floor((item.spentUsd / item.limitUsd) * 100) : 0;
}

/** `iris`, `iris and damo`, `iris, damo and 3 more`. */
export function agentList(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]}`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} more`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const inTime = (at: number, nowMs: number) => formatAge(Math.max(0, at - nowMs / 1000));

function spentSentence(item: BudgetItem): string {
  const who = item.scope === 'hive' ? 'the hive' : item.id;
  if (item.spentUsd === undefined || item.limitUsd === undefined) return item.reasonText ?? `${who} is over its budget`;
  if (item.budget === 'per_turn') return `one turn of ${who} cost ${formatCost(item.spentUsd)}, over its ${formatCost(item.limitUsd)} per-turn budget`;
  return `${who} spent ${formatCost(item.spentUsd)} of its ${formatCost(item.limitUsd)} daily budget (${budgetPercent(item)}%)`;
}

/** The row's sentence: what happened, to whom, and when it ends. */
export function holdSentence(item: HoldItem, nowMs: number): string {
  switch (item.kind) {
    case 'login':
      return `claude is not logged in for ${item.id}; its messages wait until it is`;
    case 'limit': {
      const when =
        item.resumesAt !== undefined ? `resets in ${inTime(item.resetsAt ?? item.resumesAt, nowMs)}, then resumes by itself`
        : item.resetsAt !== undefined ? `resets in ${inTime(item.resetsAt, nowMs)}, paused until resumed`
        : 'no reset time given, paused until resumed';
      return `account "${item.id}" hit claude's usage limit: ${agentList(item.agents)} paused; ${when}`;
    }
    case 'budget': {
      const spent = spentSentence(item);
      if (!item.paused) return item.spentUsd !== undefined && item.limitUsd !== undefined && item.spentUsd >= item.limitUsd ? `${spent} and runs on past it (resumed for today)` : `${spent} and still runs`;
      const who = item.scope === 'hive' ? `${plural(item.agents.length, 'agent', 'agents')} paused` : 'paused';
      const until = item.resumesAt !== undefined ? `until the next budget day, in ${inTime(item.resumesAt, nowMs)}` : 'until resumed';
      return `${who}: ${spent}, ${until}`;
    }
  }
}

/** What happens if nobody acts, for the detail under the list. */
export function holdOutlook(item: HoldItem, nowMs: number): string {
  switch (item.kind) {
    case 'login':
      return 'waits for you: L starts claude\'s login and asks for the code';
    case 'limit':
      if (item.resumesAt !== undefined) return `resumes by itself in ${inTime(item.resumesAt, nowMs)} (auto_resume_after_limit); p resumes now, and a turn still over the limit pauses again`;
      return 'waits for you (auto_resume_after_limit is off): p resumes once the limit has reset';
    case 'budget':
      if (!item.paused) return item.scope === 'hive' ? 'a warning: at 100 % every agent pauses; B raises the hive\'s daily budget' : 'a warning: at 100 % it pauses; B raises its daily budget, p pauses it now';
      if (item.budget === 'per_turn') return 'waits for you: p resumes it; B sets a higher per-turn budget for the turns after';
      return `${item.resumesAt !== undefined ? `resumes by itself in ${inTime(item.resumesAt, nowMs)}` : 'waits for you'}; B raises the daily budget (what it no longer holds resumes), p lets ${item.scope === 'hive' ? 'them' : 'it'} run past it for today`;
  }
}

/** The countdown a row shows: to the resume, else the reset. */
export function holdCountdown(item: HoldItem): number | undefined {
  if (item.kind === 'login') return undefined;
  if (item.kind === 'limit') return item.resumesAt ?? item.resetsAt;
  return item.paused ? item.resumesAt : undefined;
}

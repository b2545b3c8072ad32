/**
 * Spend, budgets, automatic pauses and claude logins on the wire: what an
 * agent's row says about its cost and why it is paused, the hive's totals,
 * the `cost` answer, and a login running through the core.
 */
import { z } from 'zod';
import { isTimeZone } from './zoned-time.js';

const Usd = z.number().nonnegative().max(1_000_000);

/** One scope's budget: what a day may cost, and what one turn may. Absent = no limit. */
export const BudgetLimits = z.strictObject({
  daily_usd: Usd.optional(),
  per_turn_usd: Usd.optional(),
});
export type BudgetLimits = z.infer<typeof BudgetLimits>;

/** The config's `budgets` section. */
export const BudgetsConfig = z.strictObject({
  /** IANA zone whose midnight starts a budget day (and Monday 00:00 a week); unset = the core's local time. */
  timezone: z
    .string()
    .refine((tz) => isTimeZone(tz), { message: 'not a time zone this system knows (an IANA name such as "Europe/Berlin" or "UTC")' })
    .optional(),
  /** Percent of a daily budget at which the operator is told. */
  warn_percent: z.number().int().min(1).max(99).default(80),
  /** The whole hive: its daily total, and a per-turn limit for every agent without its own. */
  hive: BudgetLimits.default({}),
  /** Every agent without an entry in `agents` (spawned ones too). */
  agent_default: BudgetLimits.default({}),
  agents: z.record(z.string(), BudgetLimits).default({}),
});
export type BudgetsConfig = z.infer<typeof BudgetsConfig>;

/**
 * Why an agent is paused. `operator`: someone paused it; `budget`,
 * `hive_budget`: its own or the hive's daily budget is spent; `turn_budget`:
 * one turn cost more than a turn may; `usage_limit`: claude reported the
 * account's usage limit; `login`: claude is not logged in for it.
 */
export const PauseKind = z.enum(['operator', 'budget', 'hive_budget', 'turn_budget', 'usage_limit', 'login']);
export type PauseKind = z.infer<typeof PauseKind>;

export const PauseReason = z.looseObject({
  kind: PauseKind,
  /** A sentence for the roster. */
  text: z.string(),
  /** Unix seconds. */
  since: z.number(),
  /** `usage_limit`: when claude said the limit resets (unix seconds), when it said. */
  resets_at: z.number().optional(),
  /** When the core will resume the agent by itself (a new budget day, a usage limit's reset with auto-resume). */
  resumes_at: z.number().optional(),
  /** `usage_limit`: the account whose agents are paused together. */
  account: z.string().optional(),
  /** Who paused it (the operator's actor). */
  by: z.string().optional(),
});
export type PauseReason = z.infer<typeof PauseReason>;

/** Where spend stands against a daily budget: `warning` from `warn_percent`, `exceeded` at 100 %. */
export const BudgetState = z.enum(['ok', 'warning', 'exceeded']);
export type BudgetState = z.infer<typeof BudgetState>;

/** One agent's cost today and this week (the `budgets.timezone` day and Monday-started week), and its budget. */
export const AgentSpend = z.looseObject({
  today_usd: z.number(),
  week_usd: z.number(),
  turns_today: z.number().int(),
  turns_week: z.number().int(),
  daily_budget_usd: z.number().optional(),
  per_turn_budget_usd: z.number().optional(),
  budget_state: BudgetState,
});
export type AgentSpend = z.infer<typeof AgentSpend>;

/** The hive's cost today and this week, its budget, and where the day and week began. */
export const HiveSpend = AgentSpend.extend({
  /** The zone budget days are counted in. */
  timezone: z.string(),
  /** Unix seconds: this budget day's midnight, and this week's Monday 00:00. */
  day_start: z.number(),
  week_start: z.number(),
  warn_percent: z.number().int(),
});
export type HiveSpend = z.infer<typeof HiveSpend>;

/** One row of `cost`: an agent's spend (an agent removed this week keeps its row, `removed: true`). */
export const AgentCost = AgentSpend.extend({ name: z.string(), removed: z.boolean().optional() });
export type AgentCost = z.infer<typeof AgentCost>;

/** Where a login through the core stands. */
export const LoginState = z.enum(['starting', 'waiting_for_code', 'checking', 'succeeded', 'failed', 'cancelled']);
export type LoginState = z.infer<typeof LoginState>;

/** Most output lines a login session keeps (and sends). */
export const LOGIN_OUTPUT_LINES = 40;

/** claude's login for one agent, run by the core in a pseudo-terminal. */
export const LoginSession = z.looseObject({
  agent: z.string(),
  state: LoginState,
  /** Unix seconds. */
  started_at: z.number(),
  ended_at: z.number().optional(),
  /** The sign-in address claude printed. */
  url: z.string().optional(),
  /** The line claude is waiting on ("Paste code here if prompted >"). */
  prompt: z.string().optional(),
  /** How it ended, or what went wrong, in claude's words or the core's. */
  message: z.string().optional(),
  /** The last lines claude printed (escape sequences removed; a pasted code never appears). */
  output: z.array(z.string()).max(LOGIN_OUTPUT_LINES),
});
export type LoginSession = z.infer<typeof LoginSession>;

/** True while a login still runs. */
export function loginRunning(session: Pick<LoginSession, 'state'>): boolean {
  return session.state === 'starting' || session.state === 'waiting_for_code' || session.state === 'checking';
}

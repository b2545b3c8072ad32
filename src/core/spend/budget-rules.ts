/** The budget decisions, pure: where spend stands against a limit, and what pauses a turn's cost calls for. */
import type { BudgetState, PauseKind } from '../../protocol/index.js';

/** Where `spent` stands against a daily limit (`warning` from `warnPercent`; a $0 budget is spent by any cost). */
export function budgetState(spent: number, daily: number | undefined, warnPercent: number): BudgetState {
  if (daily === undefined) return 'ok';
  if (spent >= daily && (daily > 0 || spent > 0)) return 'exceeded';
  if (daily > 0 && spent >= (daily * warnPercent) / 100) return 'warning';
  return 'ok';
}

/** Dollars as the roster says them. */
export const dollars = (usd: number): string => `$${usd.toFixed(2)}`;

/** A budget pause called for, with the sentence for the roster. */
export interface BudgetPause {
  kind: Extract<PauseKind, 'budget' | 'hive_budget' | 'turn_budget'>;
  text: string;
}

/** What a turn's end says about one agent and the hive. */
export interface TurnSpend {
  turnCost: number;
  perTurn?: number;
  agentToday: number;
  agentDaily?: number;
  /** The operator resumed this agent past its own daily budget today. */
  agentWaived: boolean;
  hiveToday: number;
  hiveDaily?: number;
}

/** The pauses a turn's cost calls for: its agent's (per-turn, then daily), and the whole hive's. */
export function budgetPausesAfterTurn(t: TurnSpend): { agent?: BudgetPause; hive?: BudgetPause } {
  const out: { agent?: BudgetPause; hive?: BudgetPause } = {};
  if (t.perTurn !== undefined && t.turnCost > t.perTurn) {
    out.agent = { kind: 'turn_budget', text: `one turn cost ${dollars(t.turnCost)}, over the per-turn budget of ${dollars(t.perTurn)}` };
  } else if (!t.agentWaived && budgetState(t.agentToday, t.agentDaily, 100) === 'exceeded') {
    out.agent = agentBudgetPause(t.agentToday, t.agentDaily!);
  }
  if (budgetState(t.hiveToday, t.hiveDaily, 100) === 'exceeded') out.hive = hiveBudgetPause(t.hiveToday, t.hiveDaily!);
  return out;
}

export function agentBudgetPause(spent: number, daily: number): BudgetPause {
  return { kind: 'budget', text: `spent ${dollars(spent)} today, its daily budget is ${dollars(daily)}` };
}

export function hiveBudgetPause(spent: number, daily: number): BudgetPause {
  return { kind: 'hive_budget', text: `the hive spent ${dollars(spent)} today, its daily budget is ${dollars(daily)}` };
}

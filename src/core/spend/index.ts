/** Spend and budgets: the ledger of what was spent, the budgets in force, and the decisions about them. */
export { SpendLedger, type SpendTotals, type SpendWindows } from './spend-ledger.js';
export { BudgetBook, type BudgetScope, type Limits, type LimitsChange, type WaivableKind } from './budget-book.js';
export { agentBudgetPause, budgetPausesAfterTurn, budgetState, dollars, hiveBudgetPause, type BudgetPause } from './budget-rules.js';

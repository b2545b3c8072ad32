/**
 * The pauses the core decides on its own, and their lifting. After each turn:
 * claude not logged in pauses the agent (`login`, lifted by a login that
 * succeeds); a usage limit pauses every agent of the account (`usage_limit`,
 * lifted a minute after claude's reset time when the hive opted in with
 * `auto_resume_after_limit`); a spent budget pauses the agent, or every agent
 * for the hive's (`budget`, `hive_budget`, lifted by a new budget day or a
 * budget raised above the spend; `turn_budget` by the operator alone). An
 * operator who resumes an agent a daily budget paused lets it run past that
 * budget for the rest of the day. An agent already paused keeps its reason,
 * unless the new one is of the same kind (a later reset time).
 */
import type { AgentCost, AgentSpend, HiveConfig, HiveSpend, PauseKind, PauseReason, TurnStat } from '../protocol/index.js';
import type { AgentLifecycle } from './agent-lifecycle.js';
import type { AgentRegistry } from './agent-registry.js';
import type { UnitOfWork } from './ports.js';
import { DeadlineTimer } from './deadline-timer.js';
import { agentBudgetPause, budgetPausesAfterTurn, budgetState, hiveBudgetPause, type BudgetBook, type BudgetPause, type BudgetScope, type LimitsChange, type SpendLedger, type SpendTotals } from './spend/index.js';
import type { Refusal } from './refusal.js';

/** The actor the core's own pauses and resumes are audited as. */
export const CORE_ACTOR = 'hyperhive-core';
/**
 * How long after claude's reset time (or now, when that has passed) an
 * auto-resume waits: 5 s, doubling each time the account hits its limit again
 * without a turn that worked in between, to an hour — a reset time that is
 * wrong never makes a busy loop.
 */
export const LIMIT_RESUME_MARGIN_S = 5;
const LIMIT_RESUME_MARGIN_MAX_S = 3600;

export interface HoldsParts {
  work: UnitOfWork;
  agents: AgentRegistry;
  lifecycle: AgentLifecycle;
  config: HiveConfig;
  ledger: SpendLedger;
  book: BudgetBook;
  statusChanged: (name: string) => void;
  nowMs: () => number;
  log: (message: string) => void;
}

const DAILY_KINDS: ReadonlySet<PauseKind> = new Set<PauseKind>(['budget', 'hive_budget']);
const cents = (usd: number) => Math.round(usd * 1e6) / 1e6;

export class Holds {
  private readonly timer: DeadlineTimer;
  /** Usage limits each account hit in a row, without a turn that worked in between. */
  private readonly limitStreaks = new Map<string, number>();

  constructor(private readonly p: HoldsParts) {
    this.timer = new DeadlineTimer(() => this.nextDue(), () => this.tick(), p.nowMs);
  }

  /** Catch up (a day that began, a reset that passed while the core was down) and arm the timer. */
  start(): void {
    this.tick();
  }

  stop(): void {
    this.timer.stop();
  }

  /** A turn is being stored (inside its transaction; `tick` first): count its cost and announce the hive's spend. */
  turnRecorded(stat: TurnStat): void {
    this.p.ledger.add(stat.agent, stat.ended_at, stat.cost_usd ?? 0);
    this.p.work.announce('hive_spend', { spend: this.hiveSpend() });
  }

  /** A turn was stored: the pauses it calls for. */
  afterTurn(stat: TurnStat): void {
    const { agent } = stat;
    if (stat.result_kind === 'needs_login') {
      this.hold(agent, { kind: 'login', text: `claude is not logged in for ${agent}: log in with L, or hyperhive login ${agent}`, since: this.nowS() });
    } else if (stat.result_kind === 'usage_limited') {
      this.limitReached(agent, stat);
    } else if (stat.result_kind === 'ok') {
      this.limitStreaks.delete(this.accountOf(agent));
    }
    this.checkBudgets(agent, stat.cost_usd ?? 0);
    this.timer.arm();
  }

  /** The operator resumes `name`: past a daily budget that paused it, for the rest of the day. */
  resume(name: string, actor: string | undefined): true | Refusal {
    const reason = this.p.agents.pauseReason(name);
    const done = this.p.lifecycle.setPaused(name, false, actor);
    if (done === true && reason && DAILY_KINDS.has(reason.kind)) this.p.book.waive(name, reason.kind as 'budget' | 'hive_budget', this.p.ledger.dayStart, actor);
    return done;
  }

  /** A login for `name` succeeded: lift the pause it had for want of one. */
  loginSucceeded(name: string, actor: string | undefined): void {
    if (this.p.agents.pauseReason(name)?.kind === 'login') this.p.lifecycle.setPaused(name, false, actor);
  }

  /** Set a budget at runtime; agents it no longer pauses resume, agents now over it pause. */
  setBudget(scope: BudgetScope, change: LimitsChange, actor: string | undefined): HiveSpend | AgentSpend {
    this.p.book.set(scope, change, actor);
    this.reconcile(actor);
    this.p.work.commit(() => this.p.work.announce('hive_spend', { spend: this.hiveSpend() }));
    for (const name of 'hive' in scope ? this.p.agents.agentNames() : [scope.agent]) this.p.statusChanged(name);
    return 'hive' in scope ? this.hiveSpend() : this.agentSpend(scope.agent);
  }

  /** What an agent's roster row says about its spend. */
  agentSpend(name: string): AgentSpend {
    const { today, week } = this.p.ledger.agent(name);
    const limits = this.p.book.limits({ agent: name });
    return {
      ...totals(today, week),
      ...(limits.daily !== undefined && { daily_budget_usd: limits.daily }),
      ...(limits.perTurn !== undefined && { per_turn_budget_usd: limits.perTurn }),
      budget_state: budgetState(today.usd, limits.daily, this.p.book.warnPercent),
    };
  }

  /** The hive's spend, for the snapshot, `hive_spend` and `cost`. */
  hiveSpend(): HiveSpend {
    const { ledger, book } = this.p;
    const { today, week } = ledger.hive();
    const limits = book.limits({ hive: true });
    return {
      timezone: ledger.timeZone,
      day_start: ledger.dayStart,
      week_start: ledger.weekStart,
      ...totals(today, week),
      ...(limits.daily !== undefined && { daily_budget_usd: limits.daily }),
      ...(limits.perTurn !== undefined && { per_turn_budget_usd: limits.perTurn }),
      budget_state: budgetState(today.usd, limits.daily, book.warnPercent),
      warn_percent: book.warnPercent,
    };
  }

  /** The `cost` answer: the hive, then each agent (and any removed agent that spent this week). */
  costReport(): { spend: HiveSpend; agents: AgentCost[] } {
    const known = this.p.agents.agentNames();
    const gone = this.p.ledger.agentsWithSpend().filter((name) => !known.includes(name));
    const agents: AgentCost[] = [...known.map((name) => ({ name, ...this.agentSpend(name) })), ...gone.map((name) => ({ name, ...this.agentSpend(name), removed: true }))];
    return { spend: this.hiveSpend(), agents };
  }

  /** A new budget day lifts the daily budgets' pauses; a passed reset time lifts a usage limit's (when opted in). */
  tick(): void {
    const { ledger, agents } = this.p;
    const now = this.nowS();
    if (ledger.roll()) {
      for (const name of agents.agentNames()) {
        const reason = agents.pauseReason(name);
        if (reason && DAILY_KINDS.has(reason.kind)) this.p.lifecycle.setPaused(name, false, CORE_ACTOR);
        this.p.statusChanged(name);
      }
      this.p.work.commit(() => this.p.work.announce('hive_spend', { spend: this.hiveSpend() }));
    }
    for (const name of agents.agentNames()) {
      const reason = agents.pauseReason(name);
      if (reason?.kind === 'usage_limit' && reason.resumes_at !== undefined && reason.resumes_at <= now) this.p.lifecycle.setPaused(name, false, CORE_ACTOR);
    }
    this.timer.arm();
  }

  private limitReached(agent: string, stat: TurnStat): void {
    const account = this.accountOf(agent);
    const resetsAt = stat.limit_resets_at;
    const streak = (this.limitStreaks.get(account) ?? 0) + 1;
    this.limitStreaks.set(account, streak);
    const margin = Math.min(LIMIT_RESUME_MARGIN_S * 2 ** (streak - 1), LIMIT_RESUME_MARGIN_MAX_S);
    const said = stat.note?.replace(/^claude reported a usage limit: /, '');
    const reason: PauseReason = {
      kind: 'usage_limit',
      text: `usage limit of claude account "${account}" reached${said ? ` (${said.slice(0, 200)})` : ''}`,
      since: this.nowS(),
      account,
      ...(resetsAt !== undefined && { resets_at: resetsAt }),
      ...(resetsAt !== undefined && this.p.config.auto_resume_after_limit && { resumes_at: Math.max(resetsAt, this.nowS()) + margin }),
    };
    for (const name of this.p.agents.agentNames()) if (this.accountOf(name) === account) this.hold(name, reason);
  }

  private checkBudgets(agent: string, turnCost: number): void {
    const { ledger, book, agents } = this.p;
    if (!agents.agent(agent)) return;
    const limits = book.limits({ agent });
    const pauses = budgetPausesAfterTurn({
      turnCost,
      perTurn: limits.perTurn,
      agentToday: ledger.agent(agent).today.usd,
      agentDaily: limits.daily,
      agentWaived: book.waived(agent, 'budget', ledger.dayStart),
      hiveToday: ledger.hive().today.usd,
      hiveDaily: book.limits({ hive: true }).daily,
    });
    if (pauses.agent) this.holdForBudget(agent, pauses.agent);
    if (pauses.hive) this.holdHive(pauses.hive);
  }

  /** Pause every agent the operator has not let past the hive's budget today. */
  private holdHive(pause: BudgetPause): void {
    for (const name of this.p.agents.agentNames()) {
      if (!this.p.book.waived(name, 'hive_budget', this.p.ledger.dayStart)) this.holdForBudget(name, pause);
    }
  }

  private holdForBudget(name: string, pause: BudgetPause): void {
    const resumesAt = pause.kind === 'turn_budget' ? undefined : this.p.ledger.nextDay;
    this.hold(name, { kind: pause.kind, text: pause.text, since: this.nowS(), ...(resumesAt !== undefined && { resumes_at: resumesAt }) });
  }

  /** After a budget changed: lift the daily pauses that no longer hold, pause what is now over. */
  private reconcile(actor: string | undefined): void {
    const { ledger, book, agents } = this.p;
    const day = ledger.dayStart;
    const hiveDaily = book.limits({ hive: true }).daily;
    const hiveToday = ledger.hive().today.usd;
    const hiveOver = budgetState(hiveToday, hiveDaily, 100) === 'exceeded';
    for (const name of agents.agentNames()) {
      const daily = book.limits({ agent: name }).daily;
      const spent = ledger.agent(name).today.usd;
      const agentOver = budgetState(spent, daily, 100) === 'exceeded';
      const reason = agents.pauseReason(name);
      if ((reason?.kind === 'budget' && !agentOver) || (reason?.kind === 'hive_budget' && !hiveOver)) this.p.lifecycle.setPaused(name, false, actor);
      if (agentOver && !book.waived(name, 'budget', day)) this.holdForBudget(name, agentBudgetPause(spent, daily!));
      if (hiveOver && !book.waived(name, 'hive_budget', day)) this.holdForBudget(name, hiveBudgetPause(hiveToday, hiveDaily!));
    }
  }

  /** Pause `name` for `reason` unless it is paused for something else already. */
  private hold(name: string, reason: PauseReason): void {
    const current = this.p.agents.pauseReason(name);
    if (current && current.kind !== reason.kind) return;
    const done = this.p.lifecycle.setPaused(name, true, CORE_ACTOR, reason);
    if (done !== true) this.p.log(`${reason.text}, but ${done.error}`);
  }

  private accountOf(name: string): string {
    for (const [account, members] of Object.entries(this.p.config.accounts)) if (members.includes(name)) return account;
    return 'default';
  }

  /** The next moment something is due: a budget day's start, or an auto-resume. */
  private nextDue(): number {
    let due = this.p.ledger.nextDay;
    for (const name of this.p.agents.agentNames()) {
      const at = this.p.agents.pauseReason(name)?.resumes_at;
      if (at !== undefined && this.p.agents.pauseReason(name)?.kind === 'usage_limit') due = Math.min(due, at);
    }
    return due;
  }

  private nowS(): number {
    return Math.floor(this.p.nowMs() / 1000);
  }
}

function totals(today: SpendTotals, week: SpendTotals) {
  return { today_usd: cents(today.usd), week_usd: cents(week.usd), turns_today: today.turns, turns_week: week.turns };
}

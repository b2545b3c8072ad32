/**
 * The budgets in force: the config file's, unless the operator set one at
 * runtime (`set_budget`, kept in the store and audited). A runtime budget
 * stands until the config file's value for the same scope changes: an edited
 * file is the newer word. Also the waivers: an operator who resumed an agent
 * its budget had paused lets it run past that budget for the rest of the day.
 */
import type { BudgetLimits, BudgetsConfig } from '../../protocol/index.js';
import type { UnitOfWork } from '../ports.js';
import { nowUnix } from '../refusal.js';

/** A scope's limits in force; undefined = none. */
export interface Limits {
  daily?: number;
  perTurn?: number;
}

/** `hive`, or an agent's name. */
export type BudgetScope = { hive: true } | { agent: string };

/** A change asked for: a number sets, null lifts, absent keeps. */
export interface LimitsChange {
  daily?: number | null;
  perTurn?: number | null;
}

/** Budget kinds an operator can resume past for a day. */
export type WaivableKind = 'budget' | 'hive_budget';

type StoredBudget = { scope: string; daily_usd: number | null; per_turn_usd: number | null; config_json: string };

const scopeKey = (scope: BudgetScope): string => ('hive' in scope ? 'hive' : `agent:${scope.agent}`);

function fromConfig(limits: BudgetLimits | undefined): Limits {
  const out: Limits = {};
  if (limits?.daily_usd !== undefined) out.daily = limits.daily_usd;
  if (limits?.per_turn_usd !== undefined) out.perTurn = limits.per_turn_usd;
  return out;
}

const limitsJson = (l: Limits) => JSON.stringify({ daily_usd: l.daily ?? null, per_turn_usd: l.perTurn ?? null });

export class BudgetBook {
  private readonly runtime = new Map<string, Limits>();

  constructor(
    private readonly work: UnitOfWork,
    private readonly config: BudgetsConfig,
    log: (message: string) => void,
  ) {
    const rows = work.db.prepare('SELECT scope, daily_usd, per_turn_usd, config_json FROM budgets').all() as StoredBudget[];
    for (const row of rows) {
      const configured = this.configured(row.scope);
      if (limitsJson(configured) !== row.config_json) {
        work.db.prepare('DELETE FROM budgets WHERE scope = ?').run(row.scope);
        log(`the budget set at runtime for ${row.scope} is dropped: the config file's budget for it changed since`);
        continue;
      }
      const limits: Limits = {};
      if (row.daily_usd !== null) limits.daily = row.daily_usd;
      if (row.per_turn_usd !== null) limits.perTurn = row.per_turn_usd;
      this.runtime.set(row.scope, limits);
    }
  }

  /** The percent of a daily budget at which the operator is told. */
  get warnPercent(): number {
    return this.config.warn_percent;
  }

  /**
   * A scope's limits in force. An agent's per-turn limit falls back to the
   * hive's (the hive's per-turn limit is every agent's unless it has its own).
   */
  limits(scope: BudgetScope): Limits {
    const own = this.ownLimits(scopeKey(scope));
    if ('hive' in scope || own.perTurn !== undefined) return own;
    const hivePerTurn = this.ownLimits('hive').perTurn;
    return hivePerTurn === undefined ? own : { ...own, perTurn: hivePerTurn };
  }

  /** Set a scope's limits at runtime (audited); answers the limits now in force. */
  set(scope: BudgetScope, change: LimitsChange, actor: string | undefined): Limits {
    const key = scopeKey(scope);
    const before = this.ownLimits(key);
    const next: Limits = { ...before };
    if (change.daily === null) delete next.daily;
    else if (change.daily !== undefined) next.daily = change.daily;
    if (change.perTurn === null) delete next.perTurn;
    else if (change.perTurn !== undefined) next.perTurn = change.perTurn;
    this.work.commit(() => {
      this.work.db
        .prepare(
          `INSERT INTO budgets (scope, daily_usd, per_turn_usd, config_json, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(scope) DO UPDATE SET daily_usd = excluded.daily_usd, per_turn_usd = excluded.per_turn_usd,
             config_json = excluded.config_json, set_by = excluded.set_by, set_at = excluded.set_at`,
        )
        .run(key, next.daily ?? null, next.perTurn ?? null, limitsJson(this.configured(key)), actor ?? null, nowUnix());
      this.work.audit(actor, 'set_budget', key, { before: JSON.parse(limitsJson(before)), after: JSON.parse(limitsJson(next)) });
    });
    this.runtime.set(key, next);
    return this.limits(scope);
  }

  /** Let `agent` run past a budget for the day starting at `dayStart` (unix s). */
  waive(agent: string, kind: WaivableKind, dayStart: number, actor: string | undefined): void {
    this.work.commit(() => {
      this.work.db
        .prepare('INSERT OR IGNORE INTO budget_waivers (agent, kind, day_start, waived_by, waived_at) VALUES (?, ?, ?, ?, ?)')
        .run(agent, kind, dayStart, actor ?? null, nowUnix());
      // Waivers of past days decide nothing any more.
      this.work.db.prepare('DELETE FROM budget_waivers WHERE day_start < ?').run(dayStart);
    });
  }

  /** True when the operator let `agent` run past this budget for this day. */
  waived(agent: string, kind: WaivableKind, dayStart: number): boolean {
    return this.work.db.prepare('SELECT 1 FROM budget_waivers WHERE agent = ? AND kind = ? AND day_start = ?').get(agent, kind, dayStart) !== undefined;
  }

  private ownLimits(key: string): Limits {
    return this.runtime.get(key) ?? this.configured(key);
  }

  /** What the config file says for a scope key. */
  private configured(key: string): Limits {
    if (key === 'hive') return fromConfig(this.config.hive);
    const name = key.slice('agent:'.length);
    return fromConfig(this.config.agents[name] ?? this.config.agent_default);
  }
}


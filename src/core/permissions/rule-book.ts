/**
 * The hive's tool-permission rules: seeded from the config (hive-wide and
 * per agent, kept in step with it at every start and, for one agent, when
 * a change to its config is deployed), added and removed at
 * runtime, expiring on their own, each counting the calls it decided. The
 * store holds them; the index (rule-index.ts) answers lookups.
 */
import { parseRule, type HiveConfig, type PathContext, type PermissionRule, type RuleVerdict, type ToolCall } from '../../protocol/index.js';
import type { AgentDirectory, UnitOfWork } from '../ports.js';
import { nowUnix, refuse, type Refusal } from '../refusal.js';
import { DeadlineTimer } from '../deadline-timer.js';
import { RuleIndex, type IndexedRule } from './rule-index.js';

type RuleRow = {
  id: number;
  rule: string;
  effect: 'allow' | 'deny';
  agent: string | null;
  source: 'config' | 'operator';
  created_at: number;
  created_by: string | null;
  expires_at: number | null;
  hits: number;
  last_used_at: number | null;
};

/** Most rules the operator may add at runtime (the config's own are bounded by its schema). */
export const MAX_OPERATOR_RULES = 10_000;

/** A rule to add at runtime. */
export interface NewRule {
  rule: string;
  effect: 'allow' | 'deny';
  agent?: string;
  expiresInSeconds?: number;
  actor?: string;
}

export class RuleBook {
  private readonly index = new RuleIndex();
  /** Agents whose config rules are in the store (an agent spawned since the last sync is brought in on its first call). */
  private readonly syncedAgents = new Set<string>();
  private readonly expiry: DeadlineTimer;
  private readonly countHit;

  constructor(
    private readonly work: UnitOfWork,
    private readonly agents: AgentDirectory,
  ) {
    for (const row of work.db.prepare('SELECT * FROM permission_rules ORDER BY id').all() as RuleRow[]) {
      const compiled = parseRule(row.rule);
      // A stored rule this version cannot read is left in the store, unused, rather than guessed at.
      if (compiled.ok) this.index.add({ record: toRecord(row), compiled: compiled.rule });
    }
    this.countHit = work.db.prepare('UPDATE permission_rules SET hits = hits + 1, last_used_at = ? WHERE id = ?');
    this.expiry = new DeadlineTimer(
      () => (work.db.prepare('SELECT MIN(expires_at) AS t FROM permission_rules WHERE expires_at IS NOT NULL').get() as { t: number | null }).t,
      () => this.expireDue(),
    );
  }

  /** Every rule in force (of `agent` and the hive's, when given), oldest first. */
  list(agent?: string): PermissionRule[] {
    const now = nowUnix();
    return this.index
      .all()
      .map((r) => r.record)
      .filter((r) => (agent === undefined || r.agent === null || r.agent === agent) && (r.expires_at === undefined || r.expires_at > now));
  }

  get(id: number): PermissionRule | undefined {
    return this.index.get(id)?.record;
  }

  /** Add a rule at runtime; a refusal naming the rule when it does not parse. */
  add(input: NewRule): PermissionRule | Refusal {
    const parsed = parseRule(input.rule);
    if (!parsed.ok) return refuse('bad_request', parsed.error);
    if (input.agent !== undefined && !this.agents.agent(input.agent)) return refuse('not_found', `no agent named ${JSON.stringify(input.agent)} to scope the rule to`);
    const operatorRules = this.index.all().filter((r) => r.record.source === 'operator').length;
    if (operatorRules >= MAX_OPERATOR_RULES) return refuse('conflict', `the hive already has ${MAX_OPERATOR_RULES} rules added at runtime; remove some first (hyperhive rules)`);
    const now = nowUnix();
    const record = this.work.commit(() => {
      const row: Omit<RuleRow, 'id'> = {
        rule: parsed.rule.text,
        effect: input.effect,
        agent: input.agent ?? null,
        source: 'operator',
        created_at: now,
        created_by: input.actor ?? 'operator',
        expires_at: input.expiresInSeconds === undefined ? null : now + input.expiresInSeconds,
        hits: 0,
        last_used_at: null,
      };
      const record = this.insert(row);
      this.work.audit(input.actor, 'rule_add', String(record.id), { rule: record.rule, effect: record.effect, agent: record.agent, expires_at: record.expires_at });
      return record;
    });
    this.index.add({ record, compiled: parsed.rule });
    this.expiry.arm();
    return record;
  }

  /** Remove a rule added at runtime; a config rule is changed in the config. */
  remove(id: number, actor: string | undefined): true | Refusal {
    const rule = this.index.get(id);
    if (!rule) return refuse('not_found', `no rule #${id}`);
    if (rule.record.source === 'config') {
      const where = rule.record.agent === null ? 'permissions' : `agents.${rule.record.agent}.permissions`;
      return refuse('conflict', `rule #${id} (${rule.record.rule}) comes from the hive config (${where}.${rule.record.effect}); remove it there and restart the core, or add a deny rule to override it now`);
    }
    this.drop([rule], 'removed', actor);
    return true;
  }

  /**
   * Bring the config's rules into the store: new ones added, ones the config
   * no longer lists removed, unchanged ones kept with their counts and ids.
   */
  syncConfig(config: HiveConfig): void {
    const wanted = new Map<string, ConfigRule>();
    this.syncedAgents.clear();
    wantConfigRules(wanted, config.permissions, null);
    for (const name of this.agents.agentNames()) {
      wantConfigRules(wanted, this.agents.agent(name)?.config.permissions, name);
      this.syncedAgents.add(name);
    }
    const stale = this.index.all().filter((r) => r.record.source === 'config' && !wanted.delete(configKey(r.record.rule, r.record.effect, r.record.agent)));
    if (stale.length) this.drop(stale, 'removed', 'config');
    this.insertConfigRules([...wanted.values()]);
  }

  /** Bring in the config rules of an agent created since the last sync (an approved spawn). */
  syncAgent(name: string): void {
    if (!this.syncedAgents.has(name)) this.resyncAgent(name);
  }

  /**
   * Make `name`'s config rules what its config lists now (a deployed config
   * change): new ones added, ones no longer listed removed, the rest kept.
   */
  resyncAgent(name: string): void {
    const record = this.agents.agent(name);
    if (!record) return;
    this.syncedAgents.add(name);
    const wanted = new Map<string, ConfigRule>();
    wantConfigRules(wanted, record.config.permissions, name);
    const stale = this.index.all().filter((r) => r.record.source === 'config' && r.record.agent === name && !wanted.delete(configKey(r.record.rule, r.record.effect, name)));
    if (stale.length) this.drop(stale, 'removed', 'config');
    this.insertConfigRules([...wanted.values()]);
  }

  private insertConfigRules(wanted: ConfigRule[]): void {
    if (wanted.length === 0) return;
    const now = nowUnix();
    const added = this.work.commit(() =>
      wanted.map((w) => this.insert({ ...w, source: 'config', created_at: now, created_by: 'config', expires_at: null, hits: 0, last_used_at: null })),
    );
    for (const record of added) this.index.add({ record, compiled: (parseRule(record.rule) as { ok: true; rule: IndexedRule['compiled'] }).rule });
  }

  /**
   * What the rules say about `agent`'s call. A decision counts a hit on each
   * rule that made it, in the caller's unit of work when there is one.
   */
  decide(agent: string, call: ToolCall, ctx: PathContext): RuleVerdict<IndexedRule> {
    const now = nowUnix();
    const verdict = this.index.evaluate(agent, call, ctx, now);
    if (verdict.verdict === 'ask') return verdict;
    for (const rule of verdict.by) {
      this.countHit.run(now, rule.record.id);
      rule.record = { ...rule.record, hits: rule.record.hits + 1, last_used_at: now };
    }
    return verdict;
  }

  /** Start the expiry timer (at start, after the hive is up). */
  schedule(): void {
    this.expiry.arm();
  }

  stop(): void {
    this.expiry.stop();
  }

  /** Remove every rule whose time is up. */
  expireDue(): void {
    const now = nowUnix();
    const due = this.index.all().filter((r) => r.record.expires_at !== undefined && r.record.expires_at <= now);
    if (due.length) this.drop(due, 'expired', 'core');
    // Rows the index never held (unreadable) expire too.
    this.work.db.prepare('DELETE FROM permission_rules WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
    this.expiry.arm();
  }

  private insert(row: Omit<RuleRow, 'id'>): PermissionRule {
    const id = Number(
      this.work.db
        .prepare('INSERT INTO permission_rules (rule, effect, agent, source, created_at, created_by, expires_at, hits, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(row.rule, row.effect, row.agent, row.source, row.created_at, row.created_by, row.expires_at, row.hits, row.last_used_at).lastInsertRowid,
    );
    const record = toRecord({ id, ...row });
    this.work.announce('rule_added', { rule: record });
    return record;
  }

  private drop(rules: IndexedRule[], reason: 'removed' | 'expired', actor: string | undefined): void {
    this.work.commit(() => {
      for (const rule of rules) {
        this.work.db.prepare('DELETE FROM permission_rules WHERE id = ?').run(rule.record.id);
        this.work.announce('rule_removed', { rule: rule.record, reason });
        this.work.audit(actor, reason === 'expired' ? 'rule_expired' : 'rule_rm', String(rule.record.id), { rule: rule.record.rule, effect: rule.record.effect, agent: rule.record.agent });
      }
    });
    for (const rule of rules) this.index.remove(rule.record.id);
  }
}

type ConfigRule = { rule: string; effect: 'allow' | 'deny'; agent: string | null };

/** Add the rules `lists` names (those that parse) to `wanted`, keyed by configKey. */
function wantConfigRules(wanted: Map<string, ConfigRule>, lists: HiveConfig['permissions'] | undefined, agent: string | null): void {
  for (const effect of ['allow', 'deny'] as const) {
    for (const text of lists?.[effect] ?? []) {
      const parsed = parseRule(text);
      if (parsed.ok) wanted.set(configKey(parsed.rule.text, effect, agent), { rule: parsed.rule.text, effect, agent });
    }
  }
}

function configKey(rule: string, effect: string, agent: string | null): string {
  return `${effect}\u0000${agent ?? ''}\u0000${rule}`;
}

function toRecord(row: RuleRow): PermissionRule {
  const r: PermissionRule = {
    id: row.id,
    rule: row.rule,
    effect: row.effect,
    agent: row.agent,
    source: row.source,
    created_at: row.created_at,
    hits: row.hits,
  };
  if (row.created_by !== null) r.created_by = row.created_by;
  if (row.expires_at !== null) r.expires_at = row.expires_at;
  if (row.last_used_at !== null) r.last_used_at = row.last_used_at;
  return r;
}

/**
 * The rules in force, indexed so a lookup reads only those that could apply:
 * by the tool key a rule names (`Bash`, `Edit`, `mcp__github`) and, for
 * `Bash` rules, by the program they start with. A thousand rules are looked
 * through in microseconds (bench/permission-rules.ts).
 */
import { evaluateRules, ruleKeysOf, type CompiledRule, type EffectiveRule, type PathContext, type PermissionRule, type RuleVerdict, type ToolCall } from '../../protocol/index.js';

/** A rule in force: its record and its compiled pattern. */
export interface IndexedRule {
  record: PermissionRule;
  compiled: CompiledRule;
}

interface Bucket {
  /** `Bash` rules by the program they start with. */
  byProgram: Map<string, IndexedRule[]>;
  /** Every other rule of the key (starting with a wildcard, or not a command rule). */
  general: IndexedRule[];
}

export class RuleIndex {
  private readonly buckets = new Map<string, Bucket>();
  private readonly byId = new Map<number, IndexedRule>();

  get size(): number {
    return this.byId.size;
  }

  get(id: number): IndexedRule | undefined {
    return this.byId.get(id);
  }

  /** Every rule, by id. */
  all(): IndexedRule[] {
    return [...this.byId.values()].sort((a, b) => a.record.id - b.record.id);
  }

  add(rule: IndexedRule): void {
    this.remove(rule.record.id);
    this.byId.set(rule.record.id, rule);
    let bucket = this.buckets.get(rule.compiled.tool);
    if (!bucket) {
      bucket = { byProgram: new Map(), general: [] };
      this.buckets.set(rule.compiled.tool, bucket);
    }
    const program = rule.compiled.program;
    if (program === null) bucket.general.push(rule);
    else {
      const list = bucket.byProgram.get(program);
      if (list) list.push(rule);
      else bucket.byProgram.set(program, [rule]);
    }
  }

  remove(id: number): IndexedRule | undefined {
    const rule = this.byId.get(id);
    if (!rule) return undefined;
    this.byId.delete(id);
    const bucket = this.buckets.get(rule.compiled.tool)!;
    const program = rule.compiled.program;
    const list = program === null ? bucket.general : bucket.byProgram.get(program)!;
    list.splice(list.indexOf(rule), 1);
    if (program !== null && list.length === 0) bucket.byProgram.delete(program);
    return rule;
  }

  /**
   * What the rules say about `agent`'s call at `nowSeconds`: rules for the
   * hive or for that agent, not expired; deny wins over allow.
   */
  evaluate(agent: string, call: ToolCall, ctx: PathContext, nowSeconds: number): RuleVerdict<IndexedRule> {
    const keys = ruleKeysOf(call.tool_name);
    const applies = (rule: IndexedRule) =>
      (rule.record.agent === null || rule.record.agent === agent) && (rule.record.expires_at === undefined || rule.record.expires_at > nowSeconds);
    const buckets = this.buckets;
    function* candidates(program: string | null): Iterable<EffectiveRule<IndexedRule>> {
      for (const key of keys) {
        const bucket = buckets.get(key);
        if (!bucket) continue;
        if (program !== null) {
          for (const rule of bucket.byProgram.get(program) ?? []) if (applies(rule)) yield effective(rule);
        } else {
          for (const list of bucket.byProgram.values()) for (const rule of list) if (applies(rule)) yield effective(rule);
        }
        for (const rule of bucket.general) if (applies(rule)) yield effective(rule);
      }
    }
    return evaluateRules(call, ctx, candidates);
  }
}

function effective(rule: IndexedRule): EffectiveRule<IndexedRule> {
  return { effect: rule.record.effect, compiled: rule.compiled, ref: rule };
}

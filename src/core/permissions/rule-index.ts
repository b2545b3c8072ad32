/**
 * The rules in force, indexed so a lookup reads only those that could apply:
 * by the tool key a rule names (`Bash`, `Edit`, `mcp__github`) and, for
 * `Bash` rules, by the program they start with. A thousand rules are looked
 * through in microseconds (bench/permissions.ts).
 */
import { evaluateRules, ruleKeysOf, type CompiledRule, type EffectiveRule, type PathContext, type PermissionRule, type RuleVerdict, type ToolCall } from '../../protocol/index.js';

/** A rule in force: its record and its compiled pattern. */
export interface IndexedRule {
  record: PermissionRule;
  compiled: CompiledRule;
}

/** A rule as the index holds it: made once, so a lookup allocates nothing per rule. */
type Entry = EffectiveRule<IndexedRule>;

interface Bucket {
  /** `Bash` rules by the program they start with. */
  byProgram: Map<string, Entry[]>;
  /** Every other rule of the key (starting with a wildcard, or not a command rule). */
  general: Entry[];
}

export class RuleIndex {
  private readonly buckets = new Map<string, Bucket>();
  private readonly byId = new Map<number, Entry>();

  get size(): number {
    return this.byId.size;
  }

  get(id: number): IndexedRule | undefined {
    return this.byId.get(id)?.ref;
  }

  /** Every rule, by id. */
  all(): IndexedRule[] {
    return [...this.byId.values()].map((e) => e.ref).sort((a, b) => a.record.id - b.record.id);
  }

  add(rule: IndexedRule): void {
    this.remove(rule.record.id);
    const entry: Entry = { effect: rule.record.effect, compiled: rule.compiled, ref: rule };
    this.byId.set(rule.record.id, entry);
    let bucket = this.buckets.get(rule.compiled.tool);
    if (!bucket) {
      bucket = { byProgram: new Map(), general: [] };
      this.buckets.set(rule.compiled.tool, bucket);
    }
    const program = rule.compiled.program;
    if (program === null) bucket.general.push(entry);
    else {
      const list = bucket.byProgram.get(program);
      if (list) list.push(entry);
      else bucket.byProgram.set(program, [entry]);
    }
  }

  remove(id: number): IndexedRule | undefined {
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    this.byId.delete(id);
    const bucket = this.buckets.get(entry.compiled.tool)!;
    const program = entry.compiled.program;
    const list = program === null ? bucket.general : bucket.byProgram.get(program)!;
    list.splice(list.indexOf(entry), 1);
    if (program !== null && list.length === 0) bucket.byProgram.delete(program);
    return entry.ref;
  }

  /**
   * What the rules say about `agent`'s call at `nowSeconds`: rules for the
   * hive or for that agent, not expired; deny wins over allow.
   */
  evaluate(agent: string, call: ToolCall, ctx: PathContext, nowSeconds: number): RuleVerdict<IndexedRule> {
    const keys = ruleKeysOf(call.tool_name);
    const buckets = this.buckets;
    const candidates = (program: string | null): Entry[] => {
      const out: Entry[] = [];
      const take = (list: readonly Entry[]) => {
        for (const entry of list) {
          const r = entry.ref.record;
          if ((r.agent === null || r.agent === agent) && (r.expires_at === undefined || r.expires_at > nowSeconds)) out.push(entry);
        }
      };
      for (const key of keys) {
        const bucket = buckets.get(key);
        if (!bucket) continue;
        if (program !== null) take(bucket.byProgram.get(program) ?? []);
        else for (const list of bucket.byProgram.values()) take(list);
        take(bucket.general);
      }
      return out;
    };
    return evaluateRules(call, ctx, candidates);
  }
}

/** What the console holds about tool permissions: a tool approval's call as `approval_added` carries it, and the rules kept in step by rule events. */
import type { Approval, PermissionRule, ToolApprovalEventFields } from '../../protocol/index.js';

/** Copy the call a tool approval is about from its `approval_added` event (the input when the event could carry it). */
export function withToolCall(a: Approval, ev: Partial<ToolApprovalEventFields>): Approval {
  if (typeof ev.tool_name === 'string') a.tool_name = ev.tool_name;
  if (typeof ev.summary === 'string') a.summary = ev.summary;
  if (typeof ev.tool_use_id === 'string') a.tool_use_id = ev.tool_use_id;
  if (typeof ev.rule_proposal === 'string') a.rule_proposal = ev.rule_proposal;
  if (ev.tool_input && typeof ev.tool_input === 'object') a.tool_input = ev.tool_input;
  return a;
}

/** The rules after one was added or removed; rules never fetched stay unknown (null). */
export function rulesAfter(rules: PermissionRule[] | null, change: 'added' | 'removed', rule: PermissionRule): PermissionRule[] | null {
  if (!rules) return rules;
  const others = rules.filter((r) => r.id !== rule.id);
  return change === 'added' ? [...others, rule].sort((a, b) => a.id - b.id) : others;
}

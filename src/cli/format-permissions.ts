/**
 * Human output of the ctl for tool permissions: the rules table, the tool
 * call a tool approval is about, and the rule events `watch` prints. Every
 * string from the wire passes the sanitizer.
 */
import { sanitize } from '../protocol/sanitize.js';
import type { Approval, PermissionRule } from '../protocol/records.js';
import { age, cell, renderTable } from './format.js';

/** `rules`: one row per rule, oldest first. */
export function renderRules(rules: PermissionRule[], nowSeconds: number, width?: number): string[] {
  if (rules.length === 0) return ['no rules: every tool call that needs permission waits for the operator'];
  const body = rules.map((r) => [
    `#${r.id}`,
    cell(r.effect),
    r.agent === null ? 'hive' : cell(r.agent),
    String(r.hits),
    r.last_used_at === undefined ? '-' : `${age(r.last_used_at, nowSeconds)} ago`,
    r.expires_at === undefined ? '-' : age(r.expires_at, nowSeconds),
    r.source === 'config' ? 'config' : cell(r.created_by ?? 'operator'),
    cell(r.rule),
  ]);
  return renderTable(['ID', 'EFFECT', 'SCOPE', 'HITS', 'LAST USED', 'EXPIRES', 'FROM', 'RULE'], body, width);
}

/** `rule add`: what was added, and how many waiting calls it decided. */
export function describeAddedRule(response: Record<string, unknown>, nowSeconds: number): string[] {
  const rule = response.rule as PermissionRule | undefined;
  if (!rule) return [`added rule #${cell(response.id)}`];
  const scope = rule.agent === null ? 'every agent' : cell(rule.agent);
  const until = rule.expires_at === undefined ? '' : `, for ${age(rule.expires_at, nowSeconds).replace(/^in /, '')}`;
  const lines = [`added rule #${rule.id}: ${cell(rule.effect)} ${cell(rule.rule)} for ${scope}${until}`];
  const settled = typeof response.settled === 'number' ? response.settled : 0;
  if (settled > 0) lines.push(`it decided ${settled} call${settled > 1 ? 's' : ''} that were waiting`);
  return lines;
}

/** The tool call of a tool approval, for `approval <id>`: the command or the input, then the rule proposal. */
export function renderToolCall(a: Approval): string[] {
  if (a.tool_name === undefined) return [];
  const lines = [`  ${'tool'.padEnd(13)}${cell(a.tool_name)}${a.tool_use_id ? `  (${cell(a.tool_use_id)})` : ''}`];
  const input = a.tool_input;
  if (a.tool_name === 'Bash' && input && typeof input.command === 'string') {
    if (typeof input.description === 'string') lines.push(`  ${'what'.padEnd(13)}${cell(input.description)}`);
    lines.push('', ...sanitize(input.command).split('\n').map((l) => `  $ ${l}`));
  } else if (input && a.diff === undefined) {
    lines.push('', ...sanitize(JSON.stringify(input, null, 2)).split('\n').map((l) => `  ${l}`));
  }
  if (a.rule_proposal) lines.push('', `  a rule for calls like it: hyperhive rule add allow '${cell(a.rule_proposal)}' --agent ${cell(a.agent)}`);
  return lines;
}

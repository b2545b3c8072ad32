/**
 * Tool permissions at the keyboard: `A`/`D` on a tool approval decide it and
 * open the rule form with the rule the core proposed for calls like it
 * (`Bash(npm test:*)`), to edit, scope (this agent or the hive) and time
 * (until removed, or for a while) before Enter sends the decision and the
 * rule. The rules view lists the rules; `x` removes one.
 */
import { parseRule } from '../../protocol/light.js';
import type { HostRequest } from '../../protocol/index.js';
import type { Command } from '../keys/keymap.js';
import { selectedApprovalId } from './selection.js';
import { clamp, flash, stay, type Handler, type KeyEnv, type PendingRequest, type RuleForm, type UiState } from './ui-state.js';

/** How long a rule saved from the form lasts: until removed, or for a while. */
export const RULE_EXPIRIES: readonly { label: string; seconds?: number }[] = [
  { label: 'until removed' },
  { label: 'for 1 h', seconds: 3600 },
  { label: 'for 8 h', seconds: 8 * 3600 },
  { label: 'for 24 h', seconds: 24 * 3600 },
  { label: 'for 7 d', seconds: 7 * 86_400 },
];

/** The tool approval the current view acts on, when it is one. */
export function selectedToolApproval(ui: UiState, env: KeyEnv) {
  const id = selectedApprovalId(ui, env);
  const approval = id === undefined ? undefined : env.approvalOf?.(id);
  return approval?.kind === 'tool_permission' ? approval : undefined;
}

function openForm(ui: UiState, env: KeyEnv, effect: 'allow' | 'deny') {
  const approval = selectedToolApproval(ui, env);
  if (!approval) return flash(ui, 'no tool approval selected');
  if (approval.status !== 'pending') return flash(ui, `approval #${approval.id} was already ${approval.status}`);
  const form: RuleForm = { kind: 'rule', approvalId: approval.id, agent: approval.agent, effect, text: approval.rule_proposal ?? approval.tool_name ?? '', scope: 'agent', expiry: 0 };
  return stay({ ...ui, modal: form });
}

function editForm(ui: UiState, change: (form: RuleForm) => Partial<RuleForm>) {
  return ui.modal?.kind === 'rule' ? stay({ ...ui, modal: { ...ui.modal, ...change(ui.modal) } }) : stay(ui);
}

/** The two requests Enter sends: the decision first (so the call hears the operator), then the rule. */
export function ruleFormRequests(form: RuleForm): PendingRequest[] {
  const rule = form.text.trim();
  const decision: HostRequest =
    form.effect === 'allow'
      ? { cmd: 'approve', id: form.approvalId }
      : { cmd: 'deny', id: form.approvalId, note: `The operator denied this call, and a rule now denies calls like it: ${rule}` };
  const seconds = RULE_EXPIRIES[form.expiry]?.seconds;
  const add: HostRequest = {
    cmd: 'rule_add',
    rule,
    effect: form.effect,
    ...(form.scope === 'agent' && { agent: form.agent }),
    ...(seconds !== undefined && { expires_in_seconds: seconds }),
  };
  const scope = form.scope === 'agent' ? form.agent : 'the hive';
  return [
    { request: decision, what: `${form.effect === 'allow' ? 'allow' : 'deny'} #${form.approvalId}` },
    { request: add, what: `rule: ${form.effect} ${rule} for ${scope} ${RULE_EXPIRIES[form.expiry]!.label}` },
  ];
}

/** Keys of the rule form and the rules view. */
export const RULE_COMMANDS = {
  allow_with_rule: (ui, env) => openForm(ui, env, 'allow'),
  deny_with_rule: (ui, env) => openForm(ui, env, 'deny'),
  rule_scope: (ui) => editForm(ui, (f) => ({ scope: f.scope === 'agent' ? 'hive' : 'agent' })),
  rule_expiry_next: (ui) => editForm(ui, (f) => ({ expiry: clamp(f.expiry + 1, 0, RULE_EXPIRIES.length - 1) })),
  rule_expiry_prev: (ui) => editForm(ui, (f) => ({ expiry: clamp(f.expiry - 1, 0, RULE_EXPIRIES.length - 1) })),
  rule_save: (ui) => {
    const form = ui.modal;
    if (form?.kind !== 'rule') return stay(ui);
    // A rule that does not parse keeps the form open, with the sentence saying why.
    const parsed = parseRule(form.text);
    if (!parsed.ok) return flash(ui, parsed.error);
    const requests = ruleFormRequests(form);
    return { ui: { ...ui, modal: undefined }, effects: requests.map((pending) => ({ type: 'request' as const, pending })) };
  },
  view_rules: (ui) => ({ ui: ui.view === 'rules' ? ui : { ...ui, view: 'rules', backStack: [], modal: undefined, flash: undefined }, effects: [{ type: 'fetch_rules' }] }),
  remove_rule: (ui, env) => {
    const rules = env.rules ?? [];
    const rule = rules[clamp(ui.rulesCursor ?? 0, 0, rules.length - 1)];
    if (!rule) return flash(ui, 'no rule selected');
    if (rule.source === 'config') return flash(ui, `rule #${rule.id} comes from the hive config; change it there (or add a deny rule to override it now)`);
    return { ui, effects: [], ask: { prompt: `remove rule #${rule.id} (${rule.effect} ${rule.rule})?`, requests: [{ request: { cmd: 'rule_rm', id: rule.id }, what: `remove rule #${rule.id}` }] } };
  },
} satisfies Partial<Record<Command, Handler>>;

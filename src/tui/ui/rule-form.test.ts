// Tool approvals at the keyboard: A/D open the rule form with the core's proposal; Tab, ↑/↓ and typing shape the
// rule; Enter sends the decision first, then the rule; a rule that does not parse keeps the form open; the rules view;
// y and o give the call itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hiveReducer, type HiveState } from '../client/hive-state.js';
import { initialUiState, type KeyEnv, type UiState } from './ui-state.js';
import { keyContextOf } from './key-context.js';
import { approval, approvalAdded } from '../testing/fixtures.js';
import { ENTER, ESC, envOf as baseEnv, hive as baseHive, press } from '../testing/dispatch-env.js';
import { footerHints } from '../keys/hints.js';
import type { KeyFlags } from '../keys/keymap.js';
import type { PermissionRule } from '../../protocol/index.js';

const tool = approval(7, { agent: 'iris', kind: 'tool_permission', commit_ref: '', tool_name: 'Bash', summary: 'npm test -- --watch=false', rule_proposal: 'Bash(npm test:*)', description: 'Bash: npm test -- --watch=false' });
const spawn = approval(3);

const hive = (): HiveState => baseHive({ approvals: [spawn, tool] });

function envOf(s: HiveState, rules: PermissionRule[] = []): KeyEnv {
  return baseEnv(s, { rules, approvalOf: (id) => s.approvalDetails[id] ?? s.approvals[id] });
}

const at = (env: KeyEnv, id: number): UiState => {
  const ui = initialUiState();
  return { ...ui, view: 'attention', cursor: { ...ui.cursor, attention: env.attention.findIndex((i) => i.kind === 'approval' && i.id === id) } };
};
const onTool = (env: KeyEnv): UiState => at(env, 7);

test('A on a tool approval opens the rule form with the proposal; Enter allows the call, then saves the rule for this agent', () => {
  const env = envOf(hive());
  const ui = onTool(env);
  assert.ok(footerHints(keyContextOf(ui, env)).some((h) => h.key === 'A'), 'A is offered on a tool approval');
  const opened = press(ui, env, 'A');
  assert.deepEqual(opened.ui.modal, { kind: 'rule', approvalId: 7, agent: 'iris', effect: 'allow', text: 'Bash(npm test:*)', scope: 'agent', expiry: 0 });
  assert.deepEqual(opened.effects, []);
  const saved = press(opened.ui, env, ENTER);
  assert.equal(saved.ui.modal, undefined);
  assert.deepEqual(
    saved.effects.map((e) => e.type === 'request' && e.pending.request),
    [
      { cmd: 'approve', id: 7 },
      { cmd: 'rule_add', rule: 'Bash(npm test:*)', effect: 'allow', agent: 'iris' },
    ],
  );
});

test('D, with the rule edited, widened to the hive and given 8 h: the deny says why, the rule expires', () => {
  const env = envOf(hive());
  const r = press(onTool(env), env, 'D', ['', { backspace: true }], ['', { backspace: true }], ')', ['', { tab: true }], ['', { downArrow: true }], ['', { downArrow: true }], ENTER);
  assert.deepEqual(
    r.effects.map((e) => e.type === 'request' && e.pending.request),
    [
      { cmd: 'deny', id: 7, note: 'The operator denied this call, and a rule now denies calls like it: Bash(npm test:)' },
      { cmd: 'rule_add', rule: 'Bash(npm test:)', effect: 'deny', expires_in_seconds: 8 * 3600 },
    ],
  );
});

test('a rule that does not parse keeps the form open and says why; Esc closes it and sends nothing', () => {
  const env = envOf(hive());
  const opened = press(onTool(env), env, 'A', ...Array.from({ length: 17 }, () => ['', { backspace: true }] as [string, KeyFlags]), 'Bash(npm');
  assert.equal(opened.ui.modal?.kind === 'rule' && opened.ui.modal.text, 'Bash(npm');
  const refused = press(opened.ui, env, ENTER);
  assert.deepEqual(refused.effects, []);
  assert.equal(refused.ui.modal?.kind, 'rule');
  assert.match(refused.ui.flash?.text ?? '', /^rule "Bash\(npm" does not parse: it opens "\(" but does not end with "\)"/);
  const cancelled = press(refused.ui, env, ESC);
  assert.equal(cancelled.ui.modal, undefined);
  assert.deepEqual(cancelled.effects, []);
});

test('A and D are not offered on other approvals, nor read-only, nor on a decided tool approval', () => {
  const env = envOf(hive());
  const onSpawn = at(env, 3);
  assert.equal(footerHints(keyContextOf(onSpawn, env)).some((h) => h.key === 'A'), false);
  assert.equal(press(onSpawn, env, 'A').ui.modal, undefined);
  const readOnly = { ...env, readOnly: true };
  assert.equal(press(onTool(readOnly), readOnly, 'A').ui.modal, undefined);
  const decided = hiveReducer(hive(), { type: 'approval_detail', approval: { ...tool, status: 'approved' } });
  const r = press(onTool(env), envOf(decided), 'A');
  assert.equal(r.ui.modal, undefined);
  assert.match(r.ui.flash?.text ?? '', /already approved/);
});

test('the rules view: 7 opens it and asks for the rules, x removes an operator rule after y, a config rule says where it lives', () => {
  const rules: PermissionRule[] = [
    { id: 1, rule: 'Bash(rm -rf:*)', effect: 'deny', agent: null, source: 'config', created_at: 0, hits: 2 },
    { id: 4, rule: 'Bash(npm test:*)', effect: 'allow', agent: 'iris', source: 'operator', created_at: 0, hits: 9 },
  ];
  const env = envOf(hive(), rules);
  const opened = press(initialUiState(), env, '7');
  assert.equal(opened.ui.view, 'rules');
  assert.deepEqual(opened.effects, [{ type: 'fetch_rules' }]);
  const onConfig = press(opened.ui, env, 'x');
  assert.match(onConfig.ui.flash?.text ?? '', /comes from the hive config/);
  const removed = press(opened.ui, env, 'j', 'x', 'y');
  assert.deepEqual(removed.effects.map((e) => e.type === 'request' && e.pending.request), [{ cmd: 'rule_rm', id: 4 }]);
});

test('tool fields of approval_added reach the state; rule events keep a fetched list in step', () => {
  let s = hive();
  s = hiveReducer(s, { type: 'dashboard', event: { ...approvalAdded(50, 9, { agent: 'iris', approval_kind: 'tool_permission' }), tool_name: 'Edit', summary: 'src/a.ts', tool_use_id: 'toolu_1', rule_proposal: 'Edit(src/**)', tool_input: { file_path: 'src/a.ts' }, tool_input_truncated: false } as never });
  assert.deepEqual([s.approvals[9]?.tool_name, s.approvals[9]?.summary, s.approvals[9]?.tool_use_id, s.approvals[9]?.rule_proposal, s.approvals[9]?.tool_input], ['Edit', 'src/a.ts', 'toolu_1', 'Edit(src/**)', { file_path: 'src/a.ts' }]);
  const rule: PermissionRule = { id: 5, rule: 'Read', effect: 'allow', agent: null, source: 'operator', created_at: 0, hits: 0 };
  const unfetched = hiveReducer(s, { type: 'dashboard', event: { kind: 'rule_added', seq: 51, at: 0, rule } });
  assert.equal(unfetched.rules, null, 'events alone do not make a list');
  s = hiveReducer(s, { type: 'rules', rules: [] });
  s = hiveReducer(s, { type: 'dashboard', event: { kind: 'rule_added', seq: 51, at: 0, rule } });
  assert.deepEqual(s.rules?.map((r) => r.id), [5]);
  s = hiveReducer(s, { type: 'dashboard', event: { kind: 'rule_removed', seq: 52, at: 0, rule, reason: 'expired' } });
  assert.deepEqual(s.rules, []);
});

test('y and o on a tool approval give the call: a command as it would run, an edit\'s diff (fetched first), other input as JSON', () => {
  const bash = approval(7, { ...tool, tool_input: { command: 'npm test -- --watch=false', description: 'Run the tests' } });
  const edit = approval(8, { agent: 'iris', kind: 'tool_permission', commit_ref: '', tool_name: 'Edit', summary: 'src/a.ts', tool_input: { file_path: 'src/a.ts', old_string: 'a', new_string: 'b' } });
  const fetch = approval(9, { agent: 'iris', kind: 'tool_permission', commit_ref: '', tool_name: 'WebFetch', summary: 'https://example.com', tool_input: { url: 'https://example.com' } });
  const env = envOf(baseHive({ approvals: [bash, edit, fetch] }));
  const on = (id: number, ...keys: string[]) => press(at(env, id), env, ...keys).effects;
  assert.deepEqual(on(7, 'y'), [{ type: 'copy', text: 'npm test -- --watch=false', what: 'the command of #7' }]);
  assert.deepEqual(on(7, 'o'), [{ type: 'pager', text: 'npm test -- --watch=false', what: 'the command of #7' }]);
  assert.deepEqual(on(8, 'o'), [{ type: 'pager_approval', id: 8 }], 'the diff is fetched, then paged');
  assert.deepEqual(on(9, 'y'), [{ type: 'copy', text: '{\n  "url": "https://example.com"\n}', what: 'the input of #9' }]);
  // In the approval view, with the edit's diff held.
  const diff = '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-a\n+b';
  const shown: UiState = { ...initialUiState(), view: 'approval', approvalId: 8 };
  assert.deepEqual(press(shown, { ...env, approval: { ...edit, diff } }, 'y').effects, [{ type: 'copy', text: diff, what: 'the diff of #8' }]);
});

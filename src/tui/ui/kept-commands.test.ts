import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeptAgent } from '../../protocol/index.js';
import { footerHints, helpRows } from '../keys/hints.js';
import { resolveKey } from '../keys/resolve.js';
import { KEYMAP } from '../keys/keymap.js';
import { keyContextOf } from './key-context.js';
import { keptDetails } from './kept-commands.js';
import { initialUiState, type KeyEnv, type UiState } from './ui-state.js';
import { agentRow } from '../testing/fixtures.js';
import { ENTER, ESC, envOf, hive, press, requests } from '../testing/dispatch-env.js';

const NOW = 1_763_712_000_000;
const KEPT: KeptAgent[] = [
  { name: 'scout', destroyed_at: NOW / 1000 - 7200, deployed_sha: '3f9c2ab41d0e' },
  { name: 'old', destroyed_at: NOW / 1000 - 86_400 },
];

function keptEnv(over: Partial<KeyEnv> = {}): KeyEnv {
  return envOf(hive({ agents: [agentRow('iris'), agentRow('zed')] }), { kept: KEPT, nowMs: NOW, ...over });
}
const roster = (): UiState => initialUiState();

test('the keymap: r and x on a kept row are revive and purge, mutations; purge confirms by typing the name', () => {
  const revive = KEYMAP.find((b) => b.command === 'revive')!;
  const purge = KEYMAP.find((b) => b.command === 'purge')!;
  assert.deepEqual([revive.mutation, revive.confirms, revive.items], [true, true, ['kept']]);
  assert.deepEqual([purge.mutation, purge.confirms, purge.items], [true, 'typed', ['kept']]);
  const on = (item: 'kept' | 'agent', readOnly = false) => ({ view: 'agents' as const, mode: 'normal' as const, item, readOnly, live: true });
  assert.equal(resolveKey('r', {}, on('kept')), 'revive');
  assert.equal(resolveKey('r', {}, on('agent')), 'restart', 'r on an agent still restarts it');
  assert.equal(resolveKey('x', {}, on('kept')), 'purge');
  assert.equal(resolveKey('', { return: true }, on('kept')), 'kept_details');
  assert.equal(resolveKey('', { return: true }, on('agent')), 'open');
  assert.equal(resolveKey('r', {}, on('kept', true)), undefined, 'read-only: no revive');
  assert.equal(resolveKey('x', {}, on('kept', true)), undefined, 'read-only: no purge');
});

test('footer and ? help offer revive and purge on a kept row, and hide them read-only or over HTTP', () => {
  const labels = (readOnly: boolean, decisionsOnly = false) => footerHints({ view: 'agents', mode: 'normal', item: 'kept', readOnly, live: true, decisionsOnly }).map((h) => `${h.key} ${h.label}`);
  assert.deepEqual(labels(false).slice(0, 3), ['Enter details', 'r revive', 'x purge']);
  for (const [readOnly, decisionsOnly] of [[true, false], [false, true]] as const) {
    const shown = labels(readOnly, decisionsOnly);
    assert.ok(shown.includes('Enter details'), 'details are no action');
    assert.ok(!shown.some((l) => /revive|purge/.test(l)), `hidden: ${shown.join(', ')}`);
  }
  const help = (readOnly: boolean) => helpRows({ view: 'agents', readOnly, live: true }).flatMap((s) => s.rows.map((r) => r.help)).join('\n');
  assert.match(help(false), /revive the kept agent/);
  assert.match(help(false), /purge the kept agent/);
  assert.ok(helpRows({ view: 'agents', readOnly: false, live: true }).some((s) => /a name typed to confirm/.test(s.section)), 'help describes the typed confirmation');
  assert.doesNotMatch(help(true), /revive the kept agent|purge the kept agent/);
});

test('the cursor moves from the agents onto the kept rows and back; keys for agents do not act on them', () => {
  const env = keptEnv();
  const onScout = press(roster(), env, 'j', 'j');
  assert.equal(keyContextOf(onScout.ui, env).item, 'kept');
  assert.equal(onScout.ui.cursor.agents, 2);
  const onOld = press(onScout.ui, env, 'j', 'j', 'j');
  assert.equal(onOld.ui.cursor.agents, 3, 'the cursor stops on the last kept row');
  assert.equal(keyContextOf(press(onOld.ui, env, 'k', 'k').ui, env).item, 'agent');
  assert.equal(keyContextOf(press(roster(), env, 'G').ui, env).item, 'kept', 'G goes to the last kept row');
  const message = press(onScout.ui, env, 'm');
  assert.equal(message.ui.modal, undefined, 'm opens no message to a kept agent');
  assert.match(message.ui.flash!.text, /no agent selected/);
  assert.deepEqual(requests(press(onScout.ui, env, 'p', 'y').effects), [], 'p pauses no kept agent');
});

test('r on a kept row asks, naming the agent; only y sends revive', () => {
  const env = keptEnv();
  const asked = press(roster(), env, 'j', 'j', 'r');
  assert.equal(asked.ui.modal?.kind, 'confirm');
  assert.match(asked.ui.modal!.kind === 'confirm' ? asked.ui.modal!.prompt : '', /^revive scout\? .*on 3f9c2ab41d0e once approved/);
  for (const no of ['n', ENTER, ESC, 'r'] as const) assert.deepEqual(requests(press(asked.ui, env, no).effects), [], `${JSON.stringify(no)} must not send`);
  const sent = press(asked.ui, env, 'y');
  assert.deepEqual(requests(sent.effects), [{ cmd: 'revive', name: 'scout' }]);
  const pending = sent.effects.find((e) => e.type === 'request');
  assert.equal(pending?.type === 'request' && pending.pending.queuesApproval, true, 'the answer names the approval it queued');
});

test('x on a kept row sends purge only once its name is typed; a wrong name, nothing or Esc sends nothing', () => {
  const env = keptEnv();
  const asked = press(roster(), env, 'j', 'j', 'j', 'x');
  const modal = asked.ui.modal;
  assert.equal(modal?.kind === 'input' && modal.purpose, 'confirm');
  assert.match(modal?.kind === 'input' ? modal.label : '', /^purge old for good\? .*Type old and Enter:/);
  assert.equal(keyContextOf(asked.ui, env).mode, 'input');
  assert.deepEqual(requests(press(asked.ui, env, 'y').effects), [], 'y is only a letter here');
  const wrong = press(asked.ui, env, 's', 'c', 'o', 'u', 't', ENTER);
  assert.deepEqual(requests(wrong.effects), []);
  assert.match(wrong.ui.flash!.text, /cancelled: purge old \("scout" is not old\); nothing changed/);
  assert.equal(wrong.ui.modal, undefined);
  assert.deepEqual(requests(press(asked.ui, env, ENTER).effects), [], 'Enter alone cancels');
  const esc = press(asked.ui, env, 'o', 'l', 'd', ESC);
  assert.deepEqual(requests(esc.effects), []);
  assert.match(esc.ui.flash!.text, /cancelled: purge old; nothing changed/);
  assert.deepEqual(requests(press(asked.ui, env, 'o', 'l', 'd', ENTER).effects), [{ cmd: 'purge', name: 'old' }]);
  assert.deepEqual(requests(press(asked.ui, env, ['old', { }], ENTER).effects), [{ cmd: 'purge', name: 'old' }], 'a pasted name counts as typed');
});

test('read-only: r and x on a kept row say why and send nothing; Enter still shows what is known', () => {
  const env = keptEnv({ readOnly: true });
  const onScout = press(roster(), env, 'j', 'j');
  for (const key of ['r', 'x']) {
    const r = press(onScout.ui, env, key);
    assert.equal(r.ui.modal, undefined);
    assert.deepEqual(requests(r.effects), []);
    assert.match(r.ui.flash!.text, /read-only/);
  }
  const details = press(onScout.ui, env, ENTER);
  assert.match(details.ui.flash!.text, /^scout: kept since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(2h ago\), last deployed commit 3f9c2ab41d0e; why it was destroyed is not recorded$/);
});

test('Enter on a kept row shows when it was kept, its commit and the keys that act on it', () => {
  const env = keptEnv();
  const r = press(roster(), env, 'j', 'j', 'j', ENTER);
  assert.equal(r.ui.view, 'agents', 'Enter opens no stream for a kept agent');
  assert.equal(r.ui.flash?.tone, 'info');
  assert.match(r.ui.flash!.text, /^old: kept since .* \(1d ago\), no deployed commit recorded; why it was destroyed is not recorded; r revives it \(a spawn approval\), x purges it for good$/);
  assert.equal(keptDetails(KEPT[0]!, NOW, false).includes(' r '), false);
});

test(':revive, :purge and :kept on the command line; names complete from the kept list', () => {
  const env = keptEnv();
  const onStats: UiState = { ...initialUiState(), view: 'stats' };
  assert.deepEqual(requests(press(onStats, env, ':', ...'revive old', ENTER, 'y').effects), [{ cmd: 'revive', name: 'old' }]);
  const typed = press(onStats, env, ':', ...'purge scout', ENTER);
  assert.equal(typed.ui.modal?.kind === 'input' && typed.ui.modal.purpose, 'confirm', ':purge asks for the name too');
  assert.deepEqual(requests(press(typed.ui, env, ...'scout', ENTER).effects), [{ cmd: 'purge', name: 'scout' }]);
  // A name the console does not keep goes to the core, which says what it is.
  assert.deepEqual(requests(press(onStats, env, ':', ...'revive iris', ENTER, 'y').effects), [{ cmd: 'revive', name: 'iris' }]);
  const completed = press(onStats, env, ':', ...'revive sc', ['', { tab: true }]);
  assert.equal(completed.ui.modal?.kind === 'input' && completed.ui.modal.value, 'revive scout ');
  const kept = press(onStats, env, ':', ...'kept', ENTER);
  assert.equal(kept.ui.view, 'agents');
  assert.equal(keyContextOf(kept.ui, env).item, 'kept');
  assert.equal(kept.ui.cursor.agents, 2);
  assert.match(press(onStats, keptEnv({ kept: [] }), ':', ...'kept', ENTER).ui.flash!.text, /no agent is kept/);
});

test('the cursor stays on its kept row while agents arrive above it', () => {
  const onScout = press(roster(), keptEnv(), 'j', 'j');
  const more = envOf(hive({ agents: [agentRow('abe'), agentRow('iris'), agentRow('zed')] }), { kept: KEPT, nowMs: NOW });
  const r = press(onScout.ui, more, 'r', 'y');
  assert.deepEqual(requests(r.effects), [{ cmd: 'revive', name: 'scout' }]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialUiState, type Effect, type KeyEnv } from './ui-state.js';
import { envOf, hive, press } from '../testing/dispatch-env.js';
import type { KeyFlags } from '../keys/keymap.js';

const env = (quitAsks?: string): KeyEnv => envOf(hive(), quitAsks ? { quitAsks } : {});

const quits = (r: { effects: Effect[] }) => r.effects.some((e) => e.type === 'quit');

test('the demo\'s console asks before q quits (quitting stops its hive); only y quits', () => {
  const demo = env('quit? this stops the demo hive');
  const asked = press(initialUiState(), demo, 'q');
  assert.equal(quits(asked), false);
  assert.deepEqual(asked.ui.modal, { kind: 'confirm', prompt: 'quit? this stops the demo hive', requests: [], quit: true });
  assert.equal(quits(press(asked.ui, demo, 'y')), true);
  for (const other of ['n', 'q', ['', { return: true }], ['', { escape: true }]] as const) {
    const r = press(asked.ui, demo, other as string | [string, KeyFlags]);
    assert.equal(quits(r), false, JSON.stringify(other));
    assert.equal(r.ui.modal, undefined);
  }
  assert.equal(press(asked.ui, demo, 'n').ui.flash?.text, 'cancelled: quit');
  assert.equal(quits(press(initialUiState(), demo, ['c', { ctrl: true }])), true, 'Ctrl-C still quits at once');
  assert.equal(quits(press(initialUiState(), env(), 'q')), true, 'outside the demo q quits at once');
});

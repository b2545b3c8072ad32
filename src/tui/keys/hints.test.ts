import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYMAP } from './keymap.js';
import { footerHints, helpRows, hintLine, itemHints, keyOf } from './hints.js';
import { keyContext as ctx } from '../testing/fixtures.js';

const offers = (hints: { key: string; label: string }[], key: string, label: string) => hints.some((h) => h.key === key && h.label === label);

test('footer hints and help come from the same keymap', () => {
  const hints = footerHints(ctx({ view: 'attention', item: 'approval' }));
  assert.ok(offers(hints, 'a', 'approve'));
  const help = helpRows({ view: 'attention', readOnly: false, live: true }).flatMap((s) => s.rows);
  // The pick list opens from the agent views only (M), so its keys are in their help.
  const pickOnly = (x: (typeof KEYMAP)[number]) => Boolean(x.modes?.every((m) => m === 'pick' || m === 'pick_text'));
  for (const b of KEYMAP.filter((x) => (!x.views || x.views.includes('attention')) && !pickOnly(x))) {
    assert.ok(help.some((r) => r.key === b.label && r.help === b.help), `help lacks ${b.command}`);
  }
  const agentsHelp = helpRows({ view: 'agents', readOnly: false, live: true }).flatMap((s) => s.rows);
  for (const b of KEYMAP.filter(pickOnly)) assert.ok(agentsHelp.some((r) => r.key === b.label && r.help === b.help), `agents help lacks ${b.command} in the pick list`);
});

test('the footer never offers approve on a question, on an empty queue, or inside the answer form', () => {
  assert.ok(!offers(footerHints(ctx({ view: 'attention', item: 'question' })), 'a', 'approve'), 'on a question');
  assert.ok(!offers(footerHints(ctx({ view: 'attention', item: 'none' })), 'a', 'approve'), 'on an empty queue');
  const form = footerHints(ctx({ view: 'attention', item: 'question', mode: 'answer' }));
  assert.ok(!offers(form, 'a', 'approve'), 'inside the answer form');
  assert.ok(offers(form, 'Enter', 'send') && offers(form, '1–9', 'pick') && offers(form, 'Esc', 'cancel'), 'the form offers its own keys');
  assert.ok(!offers(form, 'Space', 'toggle'), 'Space toggles only on a several-options question');
  assert.ok(offers(footerHints(ctx({ view: 'attention', item: 'question', mode: 'answer', flags: { multiChoice: true } })), 'Space', 'toggle'));
  // On a question the footer offers what a question takes.
  const onQuestion = footerHints(ctx({ view: 'attention', item: 'question' }));
  assert.ok(offers(onQuestion, 'Enter', 'answer') && offers(onQuestion, 'x', 'cancel question'));
});

test('read-only never offers cancel question, approve, or any other mutation', () => {
  for (const item of ['approval', 'question', 'message', 'none'] as const) {
    const c = ctx({ view: 'attention', item, readOnly: true });
    for (const hints of [footerHints(c), itemHints(c)]) {
      assert.ok(!offers(hints, 'x', 'cancel question'), `x offered read-only on ${item}`);
      assert.ok(!hints.some((h) => h.label === 'approve'), `approve offered read-only on ${item}`);
      const mutations = new Set(KEYMAP.filter((b) => b.mutation && !b.modes).map((b) => b.hint));
      assert.ok(!hints.some((h) => mutations.has(h.label)), `a mutation offered read-only on ${item}: ${hintLine(hints)}`);
    }
  }
  const help = helpRows({ view: 'attention', readOnly: true, live: true }).flatMap((s) => s.rows);
  assert.ok(!help.some((r) => r.key === 'x' || r.key === 'a'), 'help hides mutations read-only');
});

test('while not live, mutations stay in the footer but marked disabled', () => {
  const hints = footerHints(ctx({ view: 'attention', item: 'approval', live: false }));
  assert.equal(hints.find((h) => h.label === 'approve')?.disabled, true);
  assert.equal(hints.find((h) => h.label === 'help')?.disabled, false);
});

test('in-view hints are the keys that act on the selected item', () => {
  assert.equal(hintLine(itemHints(ctx({ view: 'attention', item: 'approval' }))), 'Enter diff · a approve · d deny');
  assert.equal(hintLine(itemHints(ctx({ view: 'attention', item: 'question' }))), 'Enter answer · x cancel question');
  assert.equal(hintLine(itemHints(ctx({ view: 'attention', item: 'message' }))), 'r mark read');
  assert.equal(hintLine(itemHints(ctx({ view: 'attention', item: 'approval', readOnly: true }))), 'Enter diff');
  assert.equal(hintLine(itemHints(ctx({ view: 'approval', item: 'approval' }))), 'a approve · d deny');
  assert.deepEqual(itemHints(ctx({ view: 'attention', item: 'none' })), []);
});

test('modal keys are in help for the views that open them', () => {
  const sections = (view: 'attention' | 'stream' | 'stats') => helpRows({ view, readOnly: false, live: true }).map((s) => s.section);
  assert.ok(sections('attention').includes('in the answer form'));
  assert.ok(sections('attention').includes('on a confirm line'));
  assert.ok(sections('stream').includes('in the search line'));
  assert.ok(!sections('stats').includes('in the answer form'));
  assert.ok(!helpRows({ view: 'attention', readOnly: true, live: true }).some((s) => s.section === 'on a confirm line'), 'read-only opens no confirm line');
});

test('views quote keys from the keymap', () => {
  assert.equal(keyOf('bottom'), 'G');
  assert.equal(keyOf('search_next'), 'n');
  assert.equal(keyOf('filter_agent'), 'f');
  assert.equal(keyOf('force_quit'), 'Ctrl-C');
});

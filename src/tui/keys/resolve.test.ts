import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYMAP, type Command } from './keymap.js';
import { availability, bindingOf, resolveBinding, resolveKey } from './resolve.js';
import { keyContext as ctx } from '../testing/fixtures.js';

test('keys resolve per view', () => {
  assert.equal(resolveKey('j', {}, ctx({ view: 'agents' })), 'down');
  assert.equal(resolveKey('', { downArrow: true }, ctx({ view: 'stats' })), 'down');
  assert.equal(resolveKey('a', {}, ctx({ view: 'attention', item: 'approval' })), 'approve');
  assert.equal(resolveKey('a', {}, ctx({ view: 'agents', item: 'agent' })), undefined, 'approve only where approvals are');
  assert.equal(resolveKey('r', {}, ctx({ view: 'attention', item: 'message' })), 'mark_read');
  assert.equal(resolveKey('r', {}, ctx({ view: 'agents', item: 'agent' })), 'restart');
  assert.equal(resolveKey('', { escape: true }, ctx({ view: 'agents' })), 'back');
  assert.equal(resolveKey('c', { ctrl: true }, ctx({ view: 'stream' })), 'force_quit');
  assert.equal(resolveKey('c', {}, ctx({ view: 'stream', item: 'agent' })), 'cancel_turn');
});

test('n means next match while searching a stream, new session otherwise', () => {
  assert.equal(resolveKey('n', {}, ctx({ view: 'stream', item: 'agent', flags: { searching: true } })), 'search_next');
  assert.equal(resolveKey('n', {}, ctx({ view: 'stream', item: 'agent' })), 'new_session');
  assert.equal(resolveKey('n', {}, ctx({ view: 'agents', item: 'agent' })), 'new_session');
});

test('read-only hides every mutation', () => {
  for (const b of KEYMAP.filter((x) => x.mutation)) {
    for (const view of b.views ?? ['agents' as const]) {
      for (const mode of b.modes ?? ['normal' as const]) {
        for (const k of b.keys) {
          const input = 'char' in k ? k.char : '';
          const flags = 'named' in k ? { [k.named]: true } : {};
          const cmd = resolveKey(input, flags, ctx({ view, mode, item: b.items?.[0] ?? 'none', readOnly: true, flags: b.when }));
          assert.notEqual(cmd, b.command, `${b.command} reachable read-only in ${view}`);
        }
      }
    }
  }
});

test('over HTTP with a token only the decisions HTTP takes are offered', () => {
  const offered = new Set<Command>();
  for (const b of KEYMAP.filter((x) => x.mutation)) {
    if (availability(b, { readOnly: false, decisionsOnly: true, live: true }) === 'enabled') offered.add(b.command);
  }
  assert.deepEqual([...offered].sort(), ['answer', 'answer_send', 'approve', 'cancel_question', 'deny']);
  assert.equal(resolveKey('m', {}, ctx({ view: 'agents', item: 'agent', decisionsOnly: true })), undefined, 'no message over HTTP');
  assert.equal(resolveKey('a', {}, ctx({ view: 'attention', item: 'approval', decisionsOnly: true })), 'approve');
  const hidden = resolveBinding('p', {}, ctx({ view: 'agents', item: 'agent', decisionsOnly: true }));
  assert.ok(hidden && 'hidden' in hidden && hidden.hidden.command === 'pause', 'the key says why nothing happened');
});

test('a row for another kind of item still takes its key, so its command can say what is missing', () => {
  const onQuestion = resolveBinding('a', {}, ctx({ view: 'attention', item: 'question' }));
  assert.ok(onQuestion && 'binding' in onQuestion);
  assert.equal(onQuestion.binding.command, 'approve');
  assert.equal(onQuestion.fits, false);
  assert.equal(resolveKey('a', {}, ctx({ view: 'attention', item: 'question' })), undefined);
  // Enter picks by item: the diff for an approval, the answer form for a question.
  assert.equal(resolveKey('', { return: true }, ctx({ view: 'attention', item: 'approval' })), 'open');
  assert.equal(resolveKey('', { return: true }, ctx({ view: 'attention', item: 'question' })), 'answer');
});

test('read-only keys resolve to the hidden row, so the console can say why nothing happened', () => {
  const r = resolveBinding('', { return: true }, ctx({ view: 'attention', item: 'question', readOnly: true }));
  assert.ok(r && 'hidden' in r);
  assert.equal(r.hidden.command, 'answer');
});

test('modal contexts are rows too: only y confirms, text goes into inputs, Esc cancels', () => {
  const confirm = ctx({ view: 'attention', mode: 'confirm', item: 'approval' });
  assert.equal(resolveKey('y', {}, confirm), 'confirm_yes');
  for (const [input, flags] of [['n', {}], ['Y', {}], ['', { return: true }], ['', { escape: true }], ['a', {}]] as const) {
    assert.equal(resolveKey(input, flags, confirm), 'confirm_no', `${JSON.stringify(input || flags)} must cancel`);
  }
  assert.equal(resolveKey('c', { ctrl: true }, confirm), 'force_quit');
  const input = ctx({ view: 'attention', mode: 'input', item: 'approval' });
  assert.equal(resolveKey('a', {}, input), 'insert_text', 'in an input, a is text, not approve');
  assert.equal(resolveKey('q', {}, input), 'insert_text');
  assert.equal(resolveKey('', { backspace: true }, input), 'delete_char');
  assert.equal(resolveKey('', { return: true }, input), 'submit');
  assert.equal(resolveKey('', { escape: true }, input), 'cancel');
  const answer = ctx({ view: 'attention', mode: 'answer', item: 'question' });
  assert.equal(resolveKey('2', {}, answer), 'option_pick');
  assert.equal(resolveKey('j', {}, answer), 'option_next');
  assert.equal(resolveKey(' ', {}, answer), undefined, 'Space toggles only when several options are allowed');
  assert.equal(resolveKey(' ', {}, { ...answer, flags: { multiChoice: true } }), 'option_toggle');
  assert.equal(resolveKey('', { return: true }, answer), 'answer_send');
  const typing = ctx({ view: 'attention', mode: 'answer_text', item: 'question' });
  assert.equal(resolveKey('2', {}, typing), 'insert_text');
  assert.equal(resolveKey('', { escape: true }, typing), 'answer_options');
  assert.equal(resolveKey('', { escape: true }, { ...typing, flags: { freeTextOnly: true } }), 'cancel');
});

test('while not live a mutation is offered but disabled; read-only hides it', () => {
  const approve = bindingOf('approve');
  assert.equal(availability(approve, { readOnly: false, live: true }), 'enabled');
  assert.equal(availability(approve, { readOnly: false, live: false }), 'disabled');
  assert.equal(availability(approve, { readOnly: true, live: true }), 'hidden');
  assert.equal(availability(bindingOf('down'), { readOnly: true, live: false }), 'enabled');
});

test('every row of a command agrees on its mutation and confirms flags (the dispatcher reads them by command)', () => {
  const seen = new Map<Command, string>();
  for (const b of KEYMAP) {
    const flags = `${Boolean(b.mutation)}/${Boolean(b.confirms)}`;
    assert.equal(seen.get(b.command) ?? flags, flags, `${b.command} rows disagree`);
    seen.set(b.command, flags);
  }
});

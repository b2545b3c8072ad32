import { test } from 'node:test';
import assert from 'node:assert/strict';
import { footerHints, helpRows, KEYMAP, resolveCommandLine, resolveKey } from './keymap.js';

test('keys resolve per view', () => {
  assert.equal(resolveKey('j', {}, { view: 'agents', readOnly: false }), 'down');
  assert.equal(resolveKey('', { downArrow: true }, { view: 'stats', readOnly: false }), 'down');
  assert.equal(resolveKey('a', {}, { view: 'attention', readOnly: false }), 'approve');
  assert.equal(resolveKey('a', {}, { view: 'agents', readOnly: false }), undefined, 'approve only where approvals are');
  assert.equal(resolveKey('r', {}, { view: 'attention', readOnly: false }), 'mark_read');
  assert.equal(resolveKey('r', {}, { view: 'agents', readOnly: false }), 'restart');
  assert.equal(resolveKey('', { escape: true }, { view: 'agents', readOnly: false }), 'back');
  assert.equal(resolveKey('c', { ctrl: true }, { view: 'stream', readOnly: false }), 'force_quit');
  assert.equal(resolveKey('c', {}, { view: 'stream', readOnly: false }), 'cancel_turn');
});

test('n means next match while searching a stream, new session otherwise', () => {
  assert.equal(resolveKey('n', {}, { view: 'stream', readOnly: false, searching: true }), 'search_next');
  assert.equal(resolveKey('n', {}, { view: 'stream', readOnly: false }), 'new_session');
  assert.equal(resolveKey('n', {}, { view: 'agents', readOnly: false }), 'new_session');
});

test('read-only hides every mutation', () => {
  for (const b of KEYMAP.filter((x) => x.mutation)) {
    for (const view of b.views ?? []) {
      for (const k of b.keys) {
        const input = 'char' in k ? k.char : '';
        const flags = 'named' in k ? { [k.named]: true } : {};
        const cmd = resolveKey(input, flags, { view, readOnly: true });
        assert.notEqual(cmd, b.command, `${b.command} reachable read-only in ${view}`);
      }
    }
  }
  assert.ok(!footerHints({ view: 'attention', readOnly: true }).some((h) => h.label === 'approve'));
});

test('footer hints and help come from the same keymap', () => {
  const hints = footerHints({ view: 'attention', readOnly: false });
  assert.ok(hints.some((h) => h.key === 'a' && h.label === 'approve'));
  const help = helpRows({ view: 'attention', readOnly: false }).flatMap((s) => s.rows);
  for (const b of KEYMAP.filter((x) => !x.views || x.views.includes('attention'))) {
    assert.ok(help.some((r) => r.key === b.label && r.help === b.help), `help lacks ${b.command}`);
  }
});

test('the command line resolves known words and explains unknown ones', () => {
  assert.deepEqual(resolveCommandLine(':stats'), { ok: true, command: 'view_stats' });
  assert.deepEqual(resolveCommandLine('q'), { ok: true, command: 'quit' });
  const bad = resolveCommandLine(':frobnicate');
  assert.equal(bad.ok, false);
  assert.match((bad as { error: string }).error, /unknown command ":frobnicate" — try .*:agents/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCommandLine } from './command-line.js';

test('the command line resolves known words and explains unknown ones', () => {
  assert.deepEqual(resolveCommandLine(':stats'), { ok: true, command: 'view_stats' });
  // `:q` quits from anywhere, as Ctrl-C does.
  assert.deepEqual(resolveCommandLine('q'), { ok: true, command: 'force_quit' });
  assert.deepEqual(resolveCommandLine(' :quit '), { ok: true, command: 'force_quit' });
  const bad = resolveCommandLine(':frobnicate');
  assert.equal(bad.ok, false);
  assert.match((bad as { error: string }).error, /unknown command ":frobnicate" — try .*:agents/);
  assert.deepEqual(resolveCommandLine(':stats iris'), { ok: false, error: '":stats" takes no arguments' });
});

test(':ctx takes a context name as its argument, or none to list them', () => {
  assert.deepEqual(resolveCommandLine(':ctx prod'), { ok: true, command: 'switch_context', args: ['prod'] });
  assert.deepEqual(resolveCommandLine('ctx'), { ok: true, command: 'switch_context' });
});

import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { render, cleanup } from 'ink-testing-library';
import { App } from './App.js';
import { noColorTheme } from './theme/theme.js';
import { KEYS, TestHive, waitFor, waitForFrame } from './testing/test-hive.js';
import { agentRow, snapshot } from './testing/fixtures.js';

afterEach(() => cleanup());

function keptHive(readOnly = false): TestHive {
  const h = new TestHive(readOnly);
  const now = Math.floor(Date.now() / 1000);
  h.apply(
    { type: 'snapshot', snapshot: snapshot({ agents: [agentRow('manager')] }) },
    { type: 'connection', info: { phase: 'live' } },
    { type: 'kept', agents: [{ name: 'scout', destroyed_at: now - 120, deployed_sha: '3f9c2ab41d0e' }, { name: 'old', destroyed_at: now - 7200 }] },
  );
  return h;
}

const mount = (h: TestHive, rows = 24) => render(<App hive={h} theme={noColorTheme} bell={false} size={{ columns: 120, rows }} />);

test('j moves onto a kept row; r asks naming it and y sends revive; the answer names the approval it queued', async () => {
  const h = keptHive();
  h.answer = (r) => ({ ok: true, response: r.cmd === 'revive' ? { version: 1, ok: true, id: 13 } : { version: 1, ok: true } });
  const r = mount(h);
  await waitForFrame(r.lastFrame, (f) => f.includes('◌ scout'));
  r.stdin.write(KEYS.down);
  const on = await waitForFrame(r.lastFrame, (f) => f.includes('› ◌ scout') || f.includes('›  ◌ scout'));
  assert.match(on, /Enter details.*r revive.*x purge/, 'the footer offers the kept row\'s keys');
  r.stdin.write('r');
  await waitForFrame(r.lastFrame, (f) => f.includes('revive scout? (a spawn approval: it comes back on 3f9c2ab41d0e once approved) [y/N]'));
  r.stdin.write('y');
  await waitFor(() => h.requests.length === 1);
  assert.deepEqual(h.requests, [{ cmd: 'revive', name: 'scout' }]);
  await waitForFrame(r.lastFrame, (f) => f.includes('✓ revive scout: approval #13 waits in the attention queue'));
});

test('x on a kept row asks for its name: a wrong one sends nothing, the right one sends purge', async () => {
  const h = keptHive();
  const r = mount(h);
  await waitForFrame(r.lastFrame, (f) => f.includes('◌ old'));
  r.stdin.write(KEYS.down);
  r.stdin.write(KEYS.down);
  await waitForFrame(r.lastFrame, (f) => /›\s+◌ old/.test(f));
  r.stdin.write('x');
  await waitForFrame(r.lastFrame, (f) => f.includes('purge old for good? Its config repos, notes and history are deleted. Type old and Enter: [▏]'));
  r.stdin.write('y');
  r.stdin.write(KEYS.enter);
  await waitForFrame(r.lastFrame, (f) => f.includes('cancelled: purge old ("y" is not old); nothing changed'));
  assert.deepEqual(h.requests, []);
  r.stdin.write('x');
  await waitForFrame(r.lastFrame, (f) => f.includes('Type old and Enter: [▏]'));
  r.stdin.write('old');
  await waitForFrame(r.lastFrame, (f) => f.includes('[old▏]'));
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.requests.length === 1);
  assert.deepEqual(h.requests, [{ cmd: 'purge', name: 'old' }]);
  await waitForFrame(r.lastFrame, (f) => f.includes('✓ purge old'));
});

test('the core\'s refusal shows as its sentence and the kept row stays', async () => {
  const h = keptHive();
  h.answer = () => ({ ok: false, error: 'a spawn of scout is already waiting for approval (#13)' });
  const r = mount(h);
  await waitForFrame(r.lastFrame, (f) => f.includes('◌ scout'));
  r.stdin.write(KEYS.down);
  r.stdin.write('r');
  await waitForFrame(r.lastFrame, (f) => f.includes('[y/N]'));
  r.stdin.write('y');
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('✗ revive scout failed: a spawn of scout is already waiting for approval (#13)'));
  assert.match(frame, /◌ scout/);
});

test('read-only: the kept title and footer offer no revive or purge, and r says why', async () => {
  const h = keptHive(true);
  const r = mount(h);
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('kept 2'));
  assert.match(frame, /kept 2 · destroyed, state kept\n/);
  r.stdin.write(KEYS.down);
  const on = await waitForFrame(r.lastFrame, (f) => /›\s+◌ scout/.test(f));
  assert.doesNotMatch(on, /revive|purge/);
  r.stdin.write('r');
  await waitForFrame(r.lastFrame, (f) => f.includes('read-only: actions are hidden'));
  r.stdin.write(KEYS.enter);
  await waitForFrame(r.lastFrame, (f) => f.includes('scout: kept since') && f.includes('last deployed commit 3f9c2ab41d0e'));
  assert.deepEqual(h.requests, []);
});

test('a cut section scrolls with the cursor and keeps its "… N more" line', async () => {
  const h = new TestHive();
  const now = Math.floor(Date.now() / 1000);
  h.apply(
    { type: 'snapshot', snapshot: snapshot({ agents: [agentRow('manager')] }) },
    { type: 'connection', info: { phase: 'live' } },
    { type: 'kept', agents: Array.from({ length: 8 }, (_, i) => ({ name: `k${i}`, destroyed_at: now - 60 * (i + 1) })) },
  );
  const r = mount(h, 30);
  const first = await waitForFrame(r.lastFrame, (f) => f.includes('kept 8'));
  assert.match(first, /◌ k0 [^\n]*\n {3}◌ k1 [^\n]*\n {3}◌ k2 [^\n]*\n {3}… 5 more\n/);
  for (let i = 0; i < 7; i++) r.stdin.write(KEYS.down);
  const moved = await waitForFrame(r.lastFrame, (f) => /›\s+◌ k6/.test(f));
  assert.match(moved, /◌ k5 [^\n]*\n›\s+◌ k6 [^\n]*\n {3}◌ k7 [^\n]*\n {3}… 5 more \(5 above\)\n/);
  assert.equal(moved.split('\n').length, first.split('\n').length, 'the section keeps its height');
});

// The console's schedules view, the roster's CPU/MEM columns and the stats view's peaks, as drawn (ink-testing-library).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { render, cleanup } from 'ink-testing-library';
import { App } from './App.js';
import { noColorTheme } from './theme/theme.js';
import { KEYS, TestHive, waitFor, waitForFrame } from './testing/test-hive.js';
import { agentRow, snapshot, turnStat } from './testing/fixtures.js';
import type { Schedule } from '../protocol/index.js';

afterEach(() => cleanup());

const NOW = Math.floor(Date.now() / 1000);
const schedule = (id: number, over: Partial<Schedule> = {}): Schedule => ({
  id, target: 'iris', prompt: 'Write the stand-up notes.', cron: '0 9 * * 1-5', tz: 'UTC', catch_up: false, state: 'active', approval_id: id + 10,
  proposed_by: 'alice', proposed_at: NOW - 86_400, next_due_at: NOW + 3600, fired: 4, missed: 1, ...over,
});

function liveHive(): TestHive {
  const h = new TestHive();
  h.apply({ type: 'snapshot', snapshot: snapshot({ agents: [agentRow('iris'), agentRow('zed')] }) }, { type: 'connection', info: { phase: 'live' } });
  return h;
}
const mount = (h: TestHive, columns = 120, rows = 24) => render(<App hive={h} theme={noColorTheme} bell={false} size={{ columns, rows }} env={{}} />);

test('5 lists the schedules with their state, when, next slot and counts; p pauses the selected one after y', async () => {
  const h = liveHive();
  h.apply({ type: 'schedules', rows: [schedule(2), schedule(3, { state: 'paused', paused_by: 'bob', target: 'zed', every_seconds: 900, cron: undefined, next_due_at: undefined, prompt: 'ping' })], asOfSeq: 0 });
  const r = mount(h);
  r.stdin.write('5');
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('SENT/MISSED'));
  assert.match(f, /schedules 2 · \/ filters · 2 live/);
  assert.match(f, /#2\s+iris\s+active\s+cron 0 9 \* \* 1-5 \(UTC\).*\(in \d+[mh]\)\s+4\/1\s+alice\s+Write the stand-up/);
  assert.match(f, /#3\s+zed\s+paused \(bob\)\s+every 15m\s+-\s/, 'a paused one has no next slot');
  assert.match(f, /#2 → iris, proposed by alice \(approval #12\)/, 'the selected one in full below');
  assert.match(f, /p pause/, 'its keys in the footer, from the keymap');
  r.stdin.write('p');
  await waitForFrame(r.lastFrame, (fr) => fr.includes('pause schedule #2 (→ iris)?'));
  r.stdin.write('y');
  await waitFor(() => h.requests.length === 1, 3000, 'the request');
  assert.deepEqual(h.requests, [{ cmd: 'set_schedule_paused', id: 2, paused: true }]);
  r.stdin.write('?');
  const help = await waitForFrame(r.lastFrame, (fr) => fr.includes('pause / resume the schedule'));
  assert.match(help, /x\s+delete the schedule/, 'help for the schedules view, from the keymap');
});

test('an empty schedules view says how one comes about; :schedule sends the proposal', async () => {
  const h = liveHive();
  const r = mount(h);
  r.stdin.write('5');
  await waitForFrame(r.lastFrame, (fr) => fr.includes('no schedules — agents propose them'));
  for (const k of ':schedule iris every 15m check the build') r.stdin.write(k);
  await waitForFrame(r.lastFrame, (fr) => fr.includes('check the build'));
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.requests.length === 1, 3000, 'the request');
  assert.deepEqual(h.requests, [{ cmd: 'schedule_prompt', to: 'iris', every_seconds: 900, prompt: 'check the build' }]);
});

test('sampled agents get CPU and MEM columns on the roster, sorted by s; the stats view shows each turn\'s peaks', async () => {
  const h = liveHive();
  const sample = (name: string, cpu: number, rss: number) => ({ name, pid: 100, cpu_percent: cpu, rss_bytes: rss, processes: 2, sampled_at: NOW });
  h.apply({ type: 'resources', samples: [sample('iris', 3, 150 * 1024 * 1024), sample('zed', 57, 40 * 1024 * 1024)] });
  const r = mount(h);
  const f = await waitForFrame(r.lastFrame, (fr) => /CPU\s+MEM/.test(fr));
  assert.match(f, /iris.*\s3%\s+150M/);
  assert.match(f, /zed.*\s57%\s+40M/);
  r.stdin.write('s');
  await waitForFrame(r.lastFrame, (fr) => fr.includes('by name'));
  r.stdin.write('s');
  const byCpu = await waitForFrame(r.lastFrame, (fr) => fr.includes('by CPU'));
  const order = byCpu.split('\n').filter((l) => l.includes('● running')).map((l) => (l.includes('zed') ? 'zed' : 'iris'));
  assert.deepEqual(order, ['zed', 'iris']);
  h.apply({ type: 'turn_stats', rows: [turnStat(1, { peak_cpu_percent: 88.4, peak_rss_bytes: 300 * 1024 * 1024 })] });
  r.stdin.write('3');
  const stats = await waitForFrame(r.lastFrame, (fr) => fr.includes('CPU PEAK'));
  assert.match(stats, /88%\s+300M/);
});

test('at 80×24 the schedules view fits, however many schedules and however long their prompts', async () => {
  const h = liveHive();
  const long = 'Check the nightly build, then write the notes.\n'.repeat(40);
  h.apply({ type: 'schedules', rows: Array.from({ length: 30 }, (_, i) => schedule(i + 1, { prompt: long, tz: 'America/Argentina/Buenos_Aires' })), asOfSeq: 0 });
  const r = mount(h, 80, 24);
  r.stdin.write('5');
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('#1 → iris'));
  const rows = f.split('\n');
  assert.ok(rows.length <= 24, `${rows.length} rows`);
  for (const l of rows) assert.ok([...l].length <= 80, `row wider than 80: ${l}`);
  assert.match(rows.at(-1)!, /\? help$/);
  assert.match(f, /schedules 30/);
});

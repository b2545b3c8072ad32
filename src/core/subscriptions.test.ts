// End-to-end: the dashboard channel and agent streams — cut, resume, resync, filters, lagged readers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { attachControl, startCore, waitFor, collectLines, type RunningCore } from '../testing/hive.js';

let core: RunningCore;

before(async () => {
  core = await startCore({ config: { manager: 'boss', stall_heartbeats: 2, agents: { boss: {}, iris: { parent: 'boss' } } } });
});
after(async () => {
  await core.cleanup();
});

type Line = Record<string, unknown> & { kind?: string; seq?: number };

test('subscribe: the snapshot and the stream are cut at one point — nothing missed, nothing repeated', async () => {
  // Traffic runs while we subscribe, so an event could fall on either side of the cut.
  let sending = true;
  const traffic = (async () => {
    let i = 0;
    while (sending) await core.request({ cmd: 'send', to: 'iris', body: `m${i++}` });
  })();
  await new Promise((r) => setTimeout(r, 50));
  const conn = await core.connect();
  const ack = await conn.request<{ ok: boolean; seq: number; snapshot: { seq: number } }>({ cmd: 'subscribe' });
  const lines = collectLines(conn);
  await new Promise((r) => setTimeout(r, 200));
  sending = false;
  await traffic;
  const last = (await core.request<{ seq: number }>({ cmd: 'state' })).seq;
  await waitFor(() => lines.length > 0 && lines[lines.length - 1]!.seq === last, { what: 'the stream to catch up' });
  assert.equal(ack.snapshot.seq, ack.seq);
  const seqs = lines.map((l) => l.seq as number);
  assert.equal(seqs[0], ack.seq + 1, 'the first streamed event follows the snapshot directly');
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1]! + 1, 'no gap, no duplicate');
  conn.close();
});

test('resume after a disconnect with since: no gap, no duplicate', async () => {
  const first = await core.connect();
  const ack = await first.request<{ seq: number }>({ cmd: 'subscribe' });
  const seen = collectLines(first);
  for (let i = 0; i < 5; i++) await core.request({ cmd: 'send', to: 'iris', body: `before ${i}` });
  await waitFor(() => seen.filter((l) => l.kind === 'sent').length === 5, { what: 'five sent events' });
  first.close();
  for (let i = 0; i < 5; i++) await core.request({ cmd: 'send', to: 'iris', body: `while away ${i}` });
  const lastSeen = seen[seen.length - 1]!.seq as number;
  const second = await core.connect();
  const resumed = await second.request<{ seq: number; snapshot?: unknown; resync?: boolean }>({ cmd: 'subscribe', since: lastSeen });
  assert.equal(resumed.snapshot, undefined);
  assert.equal(resumed.resync, undefined);
  const more = collectLines(second);
  await core.request({ cmd: 'send', to: 'iris', body: 'after' });
  await waitFor(() => more.some((l) => l.kind === 'sent' && l.body === 'after'), { what: 'the live event after resume' });
  const all = [...seen, ...more].map((l) => l.seq as number);
  assert.equal(all[0], ack.seq + 1);
  for (let i = 1; i < all.length; i++) assert.equal(all[i], all[i - 1]! + 1, `gap or duplicate at ${i}: ${all.slice(i - 1, i + 1)}`);
  const bodies = [...seen, ...more].filter((l) => l.kind === 'sent').map((l) => l.body);
  assert.deepEqual(bodies, [0, 1, 2, 3, 4].map((i) => `before ${i}`).concat([0, 1, 2, 3, 4].map((i) => `while away ${i}`), ['after']));
  second.close();
});

test('an unknown since answers resync with a fresh snapshot', async () => {
  const conn = await core.connect();
  const ack = await conn.request<{ seq: number; snapshot?: { seq: number }; resync?: boolean }>({ cmd: 'subscribe', since: 10_000_000 });
  assert.equal(ack.resync, true);
  assert.equal(ack.snapshot!.seq, ack.seq);
  conn.close();
});

test('kinds filters the dashboard stream', async () => {
  const conn = await core.connect();
  await conn.request({ cmd: 'subscribe', kinds: ['question_added'] });
  const lines = collectLines(conn);
  await core.request({ cmd: 'send', to: 'iris', body: 'noise' });
  const asked = await core.agentRequest<{ id: number }>('iris', { cmd: 'ask', question: 'filtered?' });
  await waitFor(() => lines.length >= 1, { what: 'the question event' });
  await core.request({ cmd: 'cancel_question', id: asked.id });
  assert.deepEqual(lines.map((l) => l.kind), ['question_added']);
  conn.close();
});

test('agent_stream: history then live, in order; since resumes; other agents stay out', async () => {
  const events = Array.from({ length: 30 }, (_, i) => ({ kind: 'note', text: `n${i}` }));
  assert.equal((await core.agentRequest('iris', { cmd: 'emit', events: events.slice(0, 20) })).ok, true);
  const conn = await core.connect();
  const ack = await conn.request<{ seq: number; events: Line[] }>({ cmd: 'agent_stream', name: 'iris', history: 10 });
  assert.deepEqual(ack.events.map((e) => e.text), events.slice(10, 20).map((e) => e.text));
  assert.ok(ack.events.every((e) => e.agent === 'iris' && typeof e.ts_ms === 'number'));
  const live = collectLines(conn);
  await core.agentRequest('boss', { cmd: 'emit', events: [{ kind: 'note', text: 'boss only' }] });
  await core.agentRequest('iris', { cmd: 'emit', events: events.slice(20) });
  await waitFor(() => live.length >= 10, { what: 'live events' });
  assert.deepEqual(live.map((e) => e.text), events.slice(20).map((e) => e.text));
  conn.close();
  const resumed = await core.connect();
  const again = await resumed.request<{ events: Line[]; resync?: boolean }>({ cmd: 'agent_stream', name: 'iris', since: ack.events[4]!.seq });
  assert.equal(again.resync, undefined);
  assert.deepEqual(again.events.map((e) => e.text), events.slice(15).map((e) => e.text));
  resumed.close();
  const page = await core.request<{ events: Line[] }>({ cmd: 'agent_events', name: 'iris', before: ack.events[0]!.seq, limit: 3 });
  assert.deepEqual(page.events.map((e) => e.text), ['n9', 'n8', 'n7']);
});

test('a reader that never reads is cut off with lagged; the daemon stays responsive and bounded', async () => {
  const socket = net.createConnection(core.hostSocket);
  await new Promise((r) => socket.once('connect', r));
  socket.write(JSON.stringify({ cmd: 'agent_stream', name: 'boss', history: 0 }) + '\n');
  socket.pause(); // never read
  let closed = false;
  socket.on('close', () => (closed = true));
  const payload = 'z'.repeat(4000);
  const batch = Array.from({ length: 200 }, () => ({ kind: 'note', text: payload })); // 800 KB, under the line cap
  for (let i = 0; i < 40 && !closed; i++) {
    const res = await core.agentRequest('boss', { cmd: 'emit', events: batch });
    assert.equal(res.ok, true);
    const t0 = Date.now();
    assert.equal((await core.request({ cmd: 'list' })).ok, true);
    assert.ok(Date.now() - t0 < 2000, 'the core keeps answering');
  }
  // Read what was buffered: the last line must be the lagged marker.
  socket.resume();
  let text = '';
  socket.on('data', (d) => (text += d.toString()));
  await waitFor(() => closed, { timeoutMs: 15_000, what: 'the lagged subscriber to be closed' });
  const lastLine = text.trimEnd().split('\n').pop()!;
  assert.match(lastLine, /^\{"kind":"lagged","seq":\d+\}$/);
});

test('subscribe_agent_status streams changed rows; turn state, stalls, context and last turn are derived', async () => {
  const conn = await core.connect();
  assert.equal((await conn.request({ cmd: 'subscribe_agent_status' })).ok, true);
  const rows = collectLines(conn);
  const { conn: control } = await attachControl(core.agentSocket('iris'));
  const rowOf = () => rows.map((l) => (l.agent_statuses as Line[])[0]!).filter((r) => r.name === 'iris');
  await waitFor(() => rowOf().some((r) => r.running === true), { what: 'iris running' });
  await core.agentRequest('iris', { cmd: 'set_status', text: 'reading logs' });
  await core.agentRequest('iris', {
    cmd: 'emit',
    events: [
      { kind: 'turn_state_changed', state: 'thinking', since_unix: 1000 },
      { kind: 'token_usage_changed', usage: { input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 3, cache_creation_input_tokens: 4, context_tokens: 12345 } },
      { kind: 'heartbeat', elapsed_secs: 10, stdout_bytes: 0, stdout_delta_bytes: 0, stagnant_heartbeats: 2, pid: 1, pid_alive: true },
    ],
  });
  const stalled = await waitFor(() => rowOf().find((r) => r.stalled === true), { what: 'a stalled row' });
  assert.equal(stalled.turn_state, 'thinking');
  assert.equal(stalled.turn_state_since, 1000);
  assert.equal(stalled.context_tokens, 12345);
  assert.equal(stalled.status_text, 'reading logs');
  assert.equal(typeof stalled.status_set_at, 'string');
  const stat = {
    model: 'haiku', wake_from: 'operator', result_kind: 'ok', started_at: 1000, ended_at: 1003, duration_ms: 3000,
    input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 30, cache_creation_input_tokens: 40, cost_usd: 0.0123,
    num_turns: 2, tool_call_count: 1, tool_calls: { Read: 1 }, open_threads_count: 0, open_reminders_count: 0,
  };
  assert.equal((await core.agentRequest('iris', { cmd: 'turn_stat', row: stat })).ok, true);
  await core.agentRequest('iris', { cmd: 'emit', events: [{ kind: 'turn_end', ok: true }, { kind: 'turn_state_changed', state: 'idle', since_unix: 1003 }] });
  const done = await waitFor(() => rowOf().find((r) => r.last_turn && r.turn_state === 'idle'), { what: 'the idle row with last_turn' });
  assert.deepEqual(done.last_turn, { ended_at: 1003, duration_ms: 3000, cost_usd: 0.0123, result_kind: 'ok' });
  assert.equal(done.stalled, false);
  const stats = await core.request<{ turn_stats: { agent: string; tool_calls: object; cost_usd: number }[] }>({ cmd: 'turn_stats', agent: 'iris' });
  assert.equal(stats.turn_stats[0]!.agent, 'iris');
  assert.deepEqual(stats.turn_stats[0]!.tool_calls, { Read: 1 });
  control.close();
  const stopped = await waitFor(() => rowOf().find((r, i, all) => i === all.length - 1 && r.running === false), { what: 'iris stopped' });
  assert.equal(stopped.status_text, undefined, 'no status text while not running');
  conn.close();
});

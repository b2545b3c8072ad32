// End-to-end: identity comes from the socket and allowed_recipients holds on every path into an inbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { entries, startCore, type RunningCore } from '../testing/hive.js';
import { CORE_MEASURED_TURN_KEYS, TURN_STAT_IDENTITY_KEYS } from '../protocol/index.js';

let core: RunningCore;

before(async () => {
  core = await startCore({
    config: { manager: 'boss', agents: { boss: {}, alice: { allowed_recipients: ['carol'] }, bob: {}, carol: {} } },
  });
});
after(async () => {
  await core.cleanup();
});

const ROW = {
  model: 'haiku',
  wake_from: 'operator',
  result_kind: 'ok',
  started_at: 1763702382.1,
  ended_at: 1763702390.2,
  duration_ms: 8123,
  input_tokens: 12,
  output_tokens: 410,
  cache_read_input_tokens: 17800,
  cache_creation_input_tokens: 0,
  cost_usd: 5,
  tool_call_count: 0,
  tool_calls: {},
  open_threads_count: 0,
  open_reminders_count: 0,
};

type Stats = { turn_stats: Record<string, unknown>[] };

test('turn_stat: a row naming an agent or an id is refused with a sentence and stores nothing', async () => {
  for (const key of TURN_STAT_IDENTITY_KEYS) {
    const forged = { ...ROW, [key]: key === 'id' ? 1 : 'bob' };
    const res = await core.agentRequest('alice', { cmd: 'turn_stat', row: forged });
    assert.equal(res.ok, false, key);
    assert.equal(res.code, 'bad_request', key);
    assert.match(String(res.error), new RegExp(`may not carry "${key}": the core takes the agent from the socket`), key);
  }
  for (const key of CORE_MEASURED_TURN_KEYS) {
    const claimed = await core.agentRequest('alice', { cmd: 'turn_stat', row: { ...ROW, [key]: 1 } });
    assert.deepEqual([claimed.ok, claimed.code], [false, 'bad_request'], key);
    assert.match(String(claimed.error), new RegExp(`may not carry "${key}": the core measures it`), key);
  }
  for (const garbage of [{}, { ...ROW, duration_ms: 'long' }, { ...ROW, note: 'x'.repeat(5000) }, { ...ROW, extra: 'y'.repeat(20_000) }]) {
    const res = await core.agentRequest('alice', { cmd: 'turn_stat', row: garbage });
    assert.equal(res.ok, false);
    assert.equal(res.code, 'bad_request');
  }
  assert.deepEqual((await core.request<Stats>({ cmd: 'turn_stats' })).turn_stats, [], 'nothing stored, not even {}');
  const state = await core.request<{ agents: { name: string; last_turn?: unknown }[] }>({ cmd: 'state' });
  assert.equal(state.agents.find((a) => a.name === 'bob')!.last_turn, undefined, 'bob\'s roster row was not touched');
});

test('turn_stat: a good row is stored under the socket\'s agent and the store\'s id; the ctl prints it whole', async () => {
  const res = await core.agentRequest<{ ok: boolean; id: number }>('alice', { cmd: 'turn_stat', row: ROW });
  assert.equal(res.ok, true);
  const [stat] = (await core.request<Stats>({ cmd: 'turn_stats' })).turn_stats;
  assert.equal(stat!.id, res.id);
  assert.equal(stat!.agent, 'alice');
  assert.deepEqual((await core.request<Stats>({ cmd: 'turn_stats', agent: 'bob' })).turn_stats, []);
  const out = spawnSync(process.execPath, [entries.ctl, 'stats'], { env: { ...process.env, HYPERHIVE_SOCKET: core.hostSocket }, encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, new RegExp(`#${res.id}\\s+alice`));
  assert.doesNotMatch(out.stdout, /undefined|NaN/);
});

test('a broadcast reaches only allowed recipients (and the manager) and says how many it skipped', async () => {
  const before = await core.request<{ agent_statuses: { name: string; unread: number }[] }>({ cmd: 'agent_status' });
  const unread = (rows: { name: string; unread: number }[], name: string) => rows.find((r) => r.name === name)!.unread;
  const res = await core.agentRequest('alice', { cmd: 'send', to: '*', body: 'all hands' });
  assert.deepEqual([res.ok, res.recipients, res.skipped], [true, 2, 1]);
  const after = await core.request<{ agent_statuses: { name: string; unread: number }[] }>({ cmd: 'agent_status' });
  assert.equal(unread(after.agent_statuses, 'bob'), unread(before.agent_statuses, 'bob'), 'bob is not on alice\'s list');
  assert.equal(unread(after.agent_statuses, 'carol'), unread(before.agent_statuses, 'carol') + 1);
  assert.equal(unread(after.agent_statuses, 'boss'), unread(before.agent_statuses, 'boss') + 1, 'the manager is always reachable');
  const direct = await core.agentRequest('alice', { cmd: 'send', to: 'bob', body: 'psst' });
  assert.deepEqual([direct.ok, direct.code], [false, 'forbidden']);
});

test('a peer question to an agent outside allowed_recipients is refused and reaches no inbox', async () => {
  const res = await core.agentRequest('alice', { cmd: 'ask', question: 'lunch?', to: 'bob' });
  assert.deepEqual([res.ok, res.code], [false, 'forbidden']);
  assert.match(String(res.error), /alice may not message bob/);
  const inbox = await core.agentRequest<{ messages: { body: string }[] }>('bob', { cmd: 'recv', wait_ms: 0, max: 100 });
  assert.equal(inbox.messages.filter((m) => m.body.includes('question_asked')).length, 0);
  const questions = await core.request<{ questions: { asker: string }[] }>({ cmd: 'questions' });
  assert.equal(questions.questions.filter((q) => q.asker === 'alice').length, 0);
  const allowed = await core.agentRequest('alice', { cmd: 'ask', question: 'lunch?', to: 'carol' });
  assert.equal(allowed.ok, true);
});

test('no agent verb lets one agent act as another: ack, answer, cancel and reminders stay with their socket', async () => {
  const sent = await core.request<{ id: number }>({ cmd: 'send', to: 'bob', body: 'for bob only' });
  assert.equal((await core.agentRequest<{ acked: number }>('alice', { cmd: 'ack', ids: [sent.id] })).acked, 0);
  const q = await core.agentRequest<{ id: number }>('bob', { cmd: 'ask', question: 'carol, ok?', to: 'carol' });
  const answered = await core.agentRequest('alice', { cmd: 'answer', id: q.id, answer: 'yes (as carol)' });
  assert.deepEqual([answered.ok, answered.code], [false, 'forbidden']);
  const cancelled = await core.agentRequest('alice', { cmd: 'cancel_question', id: q.id });
  assert.deepEqual([cancelled.ok, cancelled.code], [false, 'forbidden']);
  const reminder = await core.agentRequest<{ id: number }>('bob', { cmd: 'remind', message: 'later', delay_seconds: 600 });
  const gone = await core.agentRequest('alice', { cmd: 'cancel_loose_end', kind: 'reminder', id: reminder.id });
  assert.deepEqual([gone.ok, gone.code], [false, 'not_found']);
  const forged = await core.agentRequest<{ first_seq: number }>('alice', { cmd: 'emit', events: [{ kind: 'note', text: 'x', agent: 'bob', seq: 1 }] });
  const page = await core.request<{ events: { seq: number; agent: string }[] }>({ cmd: 'agent_events', name: 'alice', limit: 1 });
  assert.deepEqual([page.events[0]!.seq, page.events[0]!.agent], [forged.first_seq, 'alice']);
  assert.deepEqual((await core.request<{ events: unknown[] }>({ cmd: 'agent_events', name: 'bob' })).events, []);
});

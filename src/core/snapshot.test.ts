// End-to-end: the snapshot says who the core is and what today cost; set_model takes only the hive's models.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCore, type RunningCore } from '../testing/hive.js';
import { packageVersion } from '../protocol/command-line.js';
import type { StateSnapshot } from '../protocol/index.js';

let core: RunningCore;

before(async () => {
  core = await startCore({ config: { name: 'night-shift', models: ['sonnet', 'claude-*'], agents: { iris: {} } } });
});
after(async () => {
  await core.cleanup();
});

const turn = (cost: number) => ({
  model: 'sonnet', wake_from: 'operator', result_kind: 'ok', started_at: Date.now() / 1000 - 2, ended_at: Date.now() / 1000, duration_ms: 2000,
  input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, cost_usd: cost,
  tool_call_count: 0, tool_calls: {}, open_threads_count: 0, open_reminders_count: 0,
});

test('the snapshot carries the hive name, core version, start time, models and today\'s turns', async () => {
  const startedBefore = Date.now() / 1000;
  const first = await core.request<StateSnapshot>({ cmd: 'state' });
  assert.equal(first.hive?.name, 'night-shift');
  assert.equal(first.hive?.version, packageVersion());
  assert.ok(first.hive!.started_at <= startedBefore && first.hive!.started_at > startedBefore - 120);
  assert.deepEqual(first.hive?.models, ['sonnet', 'claude-*']);
  assert.deepEqual({ turns: first.today?.turns, cost: first.today?.cost_usd }, { turns: 0, cost: 0 });
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  assert.equal(first.today?.since, midnight.getTime() / 1000);

  assert.equal((await core.agentRequest('iris', { cmd: 'turn_stat', row: turn(0.25) })).ok, true);
  assert.equal((await core.agentRequest('iris', { cmd: 'turn_stat', row: turn(0.5) })).ok, true);
  const later = await core.request<StateSnapshot>({ cmd: 'state' });
  assert.deepEqual({ turns: later.today?.turns, cost: later.today?.cost_usd }, { turns: 2, cost: 0.75 });
});

test('set_model: the hive\'s models pass, anything else is bad_request naming the choices and reaches no agent', async () => {
  const conn = await core.connect(core.agentSocket('iris'));
  const controls: Record<string, unknown>[] = [];
  conn.on('line', (line) => controls.push(line));
  assert.equal((await conn.request({ cmd: 'control' })).ok, true);
  try {
    for (const model of ['haiku', 'not-a-model', 'claude-']) {
      const res = await core.request({ cmd: 'agent_control', name: 'iris', action: 'set_model', model });
      assert.equal(res.ok, false, model);
      assert.equal(res.code, 'bad_request');
      assert.equal(res.error, `unknown model ${JSON.stringify(model)}: this hive takes sonnet or a full claude-… name`);
    }
    for (const model of ['sonnet', 'claude-sonnet-4-5']) assert.equal((await core.request({ cmd: 'agent_control', name: 'iris', action: 'set_model', model })).ok, true, model);
    const deadline = Date.now() + 5000;
    while (controls.filter((l) => l.action === 'set_model').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(controls.filter((l) => l.action === 'set_model').map((l) => l.model), ['sonnet', 'claude-sonnet-4-5']);
  } finally {
    conn.close();
  }
});

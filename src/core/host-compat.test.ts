// End-to-end: the host socket's remaining compatibility with the reference system — agent page URLs, lifecycle scopes with class flags, and start/restart of an external agent whose harness is away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCore, waitFor, collectLines, type RunningCore } from '../testing/hive.js';
import { JsonlConnection, type AgentStatusRow } from '../protocol/index.js';

let core: RunningCore;

before(async () => {
  core = await startCore({ config: { domain: 'hive.example.org', manager: 'boss', agents: { boss: {}, iris: { parent: 'boss' }, zed: {} } } });
});
after(async () => {
  await core.cleanup();
});

const rows = async () => (await core.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' })).agent_statuses;

test('every roster row links to the agent\'s page when the hive has a domain', async () => {
  assert.deepEqual(
    (await rows()).map((r) => [r.name, r.url]),
    [['boss', 'https://hive.example.org/agent/boss/'], ['iris', 'https://hive.example.org/agent/iris/'], ['zed', 'https://hive.example.org/agent/zed/']],
  );
  const state = await core.request<{ agents: AgentStatusRow[] }>({ cmd: 'state' });
  assert.equal(state.agents.find((r) => r.name === 'iris')!.url, 'https://hive.example.org/agent/iris/');
});

test('scopes: names plus class flags, "agents": true is every agent, "manager": true the manager', async () => {
  const conn = await JsonlConnection.connect(core.hostSocket);
  await conn.request({ cmd: 'subscribe', kinds: ['transient_set'] });
  const lines = collectLines(conn);
  const startedBy = async (scope: object): Promise<string[]> => {
    const before = lines.length;
    const res = await core.request({ cmd: 'start', scope });
    assert.equal(res.ok, true, JSON.stringify(res));
    await core.request({ cmd: 'stop', scope: { agent_names: ['zed'] } }); // a marker: every start's events come before it
    await waitFor(() => lines.slice(before).some((l) => l.name === 'zed' && l.transient_kind === 'stopping'), { what: 'the marker' });
    return lines.slice(before).filter((l) => l.transient_kind === 'starting').map((l) => String(l.name));
  };
  try {
    assert.deepEqual(await startedBy({ agents: true }), ['boss', 'iris', 'zed']);
    assert.deepEqual(await startedBy({ manager: true }), ['boss']);
    assert.deepEqual(await startedBy({ agent_names: ['zed', 'iris'], manager: true }), ['boss', 'iris', 'zed'], 'a union, in hive order, once each');
    assert.deepEqual(await startedBy({ all: true }), ['boss', 'iris', 'zed'], 'hyperhive\'s older spelling still works');
  } finally {
    conn.close();
  }
});

test('start and restart of an external agent whose harness is away are recorded and answered ok; it runs once the harness attaches', async () => {
  assert.deepEqual(await core.request({ cmd: 'start', scope: { agent_names: ['iris'] } }), { version: 1, ok: true });
  assert.deepEqual(await core.request({ cmd: 'restart', name: 'iris' }), { version: 1, ok: true });
  assert.equal((await rows()).find((r) => r.name === 'iris')!.running, false, 'not running until the harness attaches');
  assert.match(core.stderr(), /iris: start recorded; under the external backend it runs once its harness attaches/);
  const harness = await JsonlConnection.connect(core.agentSocket('iris'));
  try {
    assert.equal((await harness.request({ cmd: 'control' })).ok, true);
    await waitFor(async () => (await rows()).find((r) => r.name === 'iris')!.running, { what: 'iris to run' });
  } finally {
    harness.close();
  }
});

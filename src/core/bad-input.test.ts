// End-to-end: garbage on the sockets gets a clear error, changes nothing, and the daemon keeps answering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { JsonlConnection } from '../protocol/index.js';

let core: RunningCore;

before(async () => {
  core = await startCore({ config: { manager: 'boss', agents: { boss: {}, iris: { parent: 'boss' } } } });
});
after(async () => {
  await core.cleanup();
});

/** Send raw bytes on one connection and collect every line until `count` lines arrived. */
async function raw(socketPath: string, payload: string | Buffer, count = 1): Promise<{ lines: Record<string, unknown>[]; closed: boolean }> {
  const socket = net.createConnection(socketPath);
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  let closed = false;
  socket.on('data', (d) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
    }
  });
  socket.on('close', () => (closed = true));
  socket.on('error', () => {});
  socket.write(payload);
  await waitFor(() => lines.length >= count || closed, { what: 'responses' });
  socket.destroy();
  return { lines, closed };
}

async function stateFingerprint(): Promise<string> {
  const state = await core.request<{ seq: number; agents: unknown[]; approvals: unknown[]; questions: unknown[]; operator_inbox: unknown[] }>({ cmd: 'state' });
  return JSON.stringify([state.seq, state.approvals, state.questions, state.operator_inbox, (state.agents as { name: string }[]).map((a) => a.name)]);
}

test('garbage, non-objects, unknown verbs and wrong types are answered with a sentence on a usable connection', async () => {
  const before = await stateFingerprint();
  const { lines, closed } = await raw(
    core.hostSocket,
    ['this is not json', '[1,2,3]', '"a string"', '{"nocmd":1}', '{"cmd":"frobnicate"}', '{"cmd":"approve","id":"seven"}', '{"cmd":"deny","id":-1}', '{"cmd":"list"}'].join('\n') + '\n',
    8,
  );
  assert.equal(closed, false);
  assert.equal(lines.length, 8);
  for (const line of lines.slice(0, 7)) {
    assert.equal(line.version, 1);
    assert.equal(line.ok, false);
    assert.equal(line.code, 'bad_request');
    assert.match(String(line.error), /[a-z]{3,}/);
  }
  assert.match(String(lines[0]!.error), /not valid JSON/);
  assert.match(String(lines[4]!.error), /unknown cmd "frobnicate"/);
  assert.match(String(lines[5]!.error), /field "id"/);
  assert.deepEqual(lines[7], { version: 1, ok: true, agents: ['boss', 'iris'] }, 'the connection still works');
  assert.equal(await stateFingerprint(), before);
});

test('a 3 MiB line is refused and the connection closed; the daemon keeps answering', async () => {
  const before = await stateFingerprint();
  const huge = JSON.stringify({ cmd: 'send', to: 'iris', body: 'x'.repeat(3 * 1024 * 1024) }) + '\n';
  const { lines, closed } = await raw(core.hostSocket, huge, 1);
  assert.equal(lines[0]!.ok, false);
  assert.equal(lines[0]!.code, 'too_large');
  await waitFor(() => closed || true);
  assert.equal(await stateFingerprint(), before);
  assert.deepEqual((await core.request({ cmd: 'list' })).agents, ['boss', 'iris']);
});

test('a half-open connection does not block anyone', async () => {
  const stuck = net.createConnection(core.hostSocket);
  await new Promise((r) => stuck.once('connect', r));
  stuck.write('{"cmd":"list"'); // never finished
  const res = await core.request({ cmd: 'agent_status' });
  assert.equal(res.ok, true);
  stuck.destroy();
});

test('unknown agents, unknown ids and invalid names are refused and change nothing', async () => {
  const before = await stateFingerprint();
  const cases: [object, string, RegExp][] = [
    [{ cmd: 'send', to: 'ghost', body: 'hi' }, 'not_found', /no agent named "ghost"/],
    [{ cmd: 'set_paused', name: 'ghost', paused: true }, 'not_found', /ghost/],
    [{ cmd: 'approve', id: 999 }, 'not_found', /no approval #999/],
    [{ cmd: 'deny', id: 999 }, 'not_found', /no approval #999/],
    [{ cmd: 'answer', id: 999, answer: 'x' }, 'not_found', /no question #999/],
    [{ cmd: 'approval', id: 999 }, 'not_found', /999/],
    [{ cmd: 'agent_stream', name: 'ghost' }, 'not_found', /ghost/],
    [{ cmd: 'request_spawn', name: '..' }, 'bad_request', /may only use/],
    [{ cmd: 'request_spawn', name: 'a/b' }, 'bad_request', /may only use/],
    [{ cmd: 'request_spawn', name: 'Iris' }, 'bad_request', /may only use/],
    [{ cmd: 'request_spawn', name: 'x'.repeat(64) }, 'bad_request', /63 bytes/],
    [{ cmd: 'request_spawn', name: '-lead' }, 'bad_request', /must not start/],
    [{ cmd: 'set_paused', name: '../etc', paused: true }, 'bad_request', /may only use/],
    [{ cmd: 'send', to: 'iris', body: 'x'.repeat(64 * 1024 + 1) }, 'bad_request', /larger than 64 KiB/],
    [{ cmd: 'start' }, 'bad_request', /scope names no agent/],
    [{ cmd: 'stop', scope: {} }, 'bad_request', /scope names no agent/],
    [{ cmd: 'stop', scope: { agents: false, agent_names: [] } }, 'bad_request', /scope names no agent/],
    [{ cmd: 'start', scope: { core: true } }, 'bad_request', /scope names no agent/],
    [{ cmd: 'start', scope: { agents: 'yes' } }, 'bad_request', /agents/],
    [{ cmd: 'start', scope: { agent_names: ['iris', 'ghost'] } }, 'not_found', /ghost/],
  ];
  for (const [request, code, error] of cases) {
    const res = await core.request(request);
    assert.equal(res.ok, false, JSON.stringify(request).slice(0, 80));
    assert.equal(res.code, code, JSON.stringify(request).slice(0, 80));
    assert.match(String(res.error), error);
  }
  assert.equal(await stateFingerprint(), before);
});

test('the read-only socket answers reads and forbids mutations', async () => {
  const list = await JsonlConnection.connect(core.readOnlySocket);
  assert.deepEqual((await list.request({ cmd: 'list' })).agents, ['boss', 'iris']);
  for (const request of [{ cmd: 'approve', id: 1 }, { cmd: 'send', to: 'iris', body: 'x' }, { cmd: 'set_paused', name: 'iris', paused: true }]) {
    const res = await list.request(request);
    assert.equal(res.ok, false);
    assert.equal(res.code, 'forbidden');
  }
  list.close();
});

test('agent sockets: garbage is refused, identity comes from the socket, manager verbs are the manager\'s', async () => {
  const iris = core.agentSocket('iris');
  const { lines } = await raw(iris, 'garbage\n{"cmd":"emit","events":[{"kind":"bogus"}]}\n{"cmd":"whoami"}\n', 3);
  assert.equal(lines[0]!.ok, false);
  assert.equal(lines[1]!.ok, false);
  assert.match(String(lines[1]!.error), /bad emit request/);
  assert.equal(lines[2]!.name, 'iris');
  const forbidden = await core.agentRequest('iris', { cmd: 'request_spawn', name: 'newbie' });
  assert.equal(forbidden.code, 'forbidden');
  assert.equal((await core.request<{ approvals: unknown[] }>({ cmd: 'pending' })).approvals.length, 0);
  const big = await core.agentRequest('iris', { cmd: 'send', to: 'boss', body: 'y'.repeat(70_000) });
  assert.equal(big.ok, false);
  const badName = await core.agentRequest('iris', { cmd: 'send', to: '../boss', body: 'hi' });
  assert.equal(badName.code, 'bad_request');
  const asBoss = await core.agentRequest<{ ok: boolean; id: number }>('boss', { cmd: 'request_spawn', name: 'newbie' });
  assert.equal(asBoss.ok, true);
  const deny = await core.request({ cmd: 'deny', id: asBoss.id, note: 'not today' });
  assert.equal(deny.ok, true);
});

test('bad schedule_prompt requests on either socket are refused with a sentence and store nothing', async () => {
  const before = await stateFingerprint();
  const schedules = async () => (await core.request<{ schedules: unknown[] }>({ cmd: 'schedules', all: true })).schedules;
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['host', { cmd: 'schedule_prompt', to: 'iris', prompt: 'x'.repeat(17 * 1024), every_seconds: 3600 }, /prompt is larger than 16 KiB/],
    ['host', { cmd: 'schedule_prompt', to: 'iris', prompt: '', every_seconds: 3600 }, /field "prompt"/],
    ['host', { cmd: 'schedule_prompt', to: 'iris', prompt: 'x', every_seconds: 59 }, /field "every_seconds"/],
    ['host', { cmd: 'schedule_prompt', to: 'iris', prompt: 'x', every_seconds: 1.5 }, /field "every_seconds"/],
    ['host', { cmd: 'schedule_prompt', to: 'iris', prompt: 'x', cron: '0 9 * * *', tz: 'x'.repeat(65) }, /field "tz"/],
    ['host', { cmd: 'schedule_prompt', to: 'iris', prompt: 'x', cron: '* * * * * * *' }, /five fields/],
    ['host', { cmd: 'schedule_prompt', to: '../iris', prompt: 'x', every_seconds: 60 }, /may only use a-z/],
    ['host', { cmd: 'schedule_prompt', prompt: 'x', every_seconds: 60 }, /field "to"/],
    ['host', { cmd: 'set_schedule_paused', id: 1 }, /field "paused"/],
    ['host', { cmd: 'delete_schedule', id: 'one' }, /field "id"/],
    ['agent', { cmd: 'schedule_prompt', prompt: 'x', cron: '0 9 * * *', tz: 'Atlantis/Capital' }, /unknown time zone/],
    ['agent', { cmd: 'schedule_prompt', prompt: 'x', cron: '0 9 * * *', every_seconds: 60 }, /exactly one of/],
  ];
  for (const [socket, request, error] of cases) {
    const res = socket === 'host' ? await core.request(request) : await core.agentRequest('iris', request);
    assert.equal(res.ok, false, JSON.stringify(request).slice(0, 120));
    assert.equal(res.code, 'bad_request', JSON.stringify(request).slice(0, 120));
    assert.match(String(res.error), error);
  }
  const unknown = await core.request({ cmd: 'delete_schedule', id: 4242 });
  assert.deepEqual([unknown.code, unknown.error], ['not_found', 'no schedule #4242']);
  assert.deepEqual(await schedules(), []);
  assert.equal(await stateFingerprint(), before);
});

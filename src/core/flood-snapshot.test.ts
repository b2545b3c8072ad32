// End-to-end: an agent flooding the operator inbox cannot blind the console — every answer stays under the line cap and the rest pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { JsonlConnection, MAX_LINE_BYTES } from '../protocol/index.js';
import { rawConnect, rawRequest } from './testing/raw-lines.js';

const MESSAGES = 300;
const BODY = 60 * 1024;
let core: RunningCore;

before(async () => {
  core = await startCore({ config: { manager: 'boss', agents: { boss: {}, iris: {} } } });
  const conn = await JsonlConnection.connect(core.agentSocket('iris'));
  for (let i = 0; i < MESSAGES; i++) {
    const res = await conn.request({ cmd: 'send', to: 'operator', body: `${String(i).padStart(4, '0')} ${'x'.repeat(BODY - 5)}` });
    assert.equal(res.ok, true, String(res.error));
  }
  conn.close();
  // Something else the operator must still see among the flood.
  assert.equal((await core.agentRequest('boss', { cmd: 'ask', question: 'still there?' })).ok, true);
  assert.equal((await core.request({ cmd: 'request_spawn', name: 'scout' })).ok, true);
});
after(async () => {
  await core.cleanup();
});

function bytes(line: string): number {
  return Buffer.byteLength(line);
}

test('state and the subscribe ack stay under 1 MiB, keep approvals and questions, and count what they left out', async () => {
  const stateLine = await rawRequest(core.hostSocket, { cmd: 'state' });
  assert.ok(bytes(stateLine) <= MAX_LINE_BYTES, `state is ${bytes(stateLine)} bytes`);
  const state = JSON.parse(stateLine);
  assert.equal(state.ok, true);
  assert.equal(state.counts.operator_unread, MESSAGES);
  assert.ok(state.operator_inbox.length > 0 && state.operator_inbox.length < MESSAGES, `${state.operator_inbox.length} inbox messages in the snapshot`);
  const ids = state.operator_inbox.map((m: { id: number }) => m.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'oldest first, as before');
  assert.ok(state.operator_inbox.at(-1).body.startsWith(String(MESSAGES - 1).padStart(4, '0')), 'the newest unread messages are the ones shown');
  assert.equal(state.approvals.length, 1, 'the flood did not crowd out the approval');
  assert.equal(state.questions.length, 1, 'nor the question');
  assert.deepEqual([state.counts.approvals_pending, state.counts.questions_open, state.counts.agents], [1, 1, 2]);

  const sub = await rawConnect(core.hostSocket);
  sub.send('{"cmd":"subscribe"}');
  await waitFor(() => sub.lines.length >= 1, { what: 'the subscribe ack' });
  assert.ok(bytes(sub.lines[0]!) <= MAX_LINE_BYTES, `the ack is ${bytes(sub.lines[0]!)} bytes`);
  const ack = JSON.parse(sub.lines[0]!);
  assert.deepEqual([ack.version, ack.ok, ack.snapshot.counts.operator_unread], [1, true, MESSAGES]);
  await core.agentRequest('iris', { cmd: 'send', to: 'operator', body: 'one more' });
  await waitFor(() => sub.lines.some((l) => l.includes('"one more"')), { what: 'the live operator_message' });
  sub.close();
});

test('operator_inbox pages with before through all 300, every page under the cap', async () => {
  const seen = new Set<number>();
  let before: number | undefined;
  let pages = 0;
  for (;;) {
    const line = await rawRequest(core.hostSocket, { cmd: 'operator_inbox', limit: 1000, unread: true, ...(before !== undefined && { before }) });
    assert.ok(bytes(line) <= MAX_LINE_BYTES, `page ${pages} is ${bytes(line)} bytes`);
    const page = JSON.parse(line) as { messages: { id: number }[]; more: boolean };
    pages++;
    for (const m of page.messages) seen.add(m.id);
    if (!page.more) break;
    before = page.messages.at(-1)!.id;
  }
  assert.equal(seen.size, MESSAGES + 1);
  assert.ok(pages > 10, `${pages} pages`);
});

test('recv, turn_stats, agent_events, pending and questions answer under the cap however much is asked', async () => {
  const flooded = await JsonlConnection.connect(core.agentSocket('iris'));
  for (let i = 0; i < 40; i++) await flooded.request({ cmd: 'send', to: 'boss', body: 'y'.repeat(BODY) });
  flooded.close();
  const recv = await rawRequest(core.agentSocket('boss'), { cmd: 'recv', wait_ms: 0, max: 1000 });
  assert.ok(bytes(recv) <= MAX_LINE_BYTES, `recv is ${bytes(recv)} bytes`);
  const got = JSON.parse(recv).messages.length;
  assert.ok(got > 0 && got < 40, `${got} messages in one recv`);
  const again = JSON.parse(await rawRequest(core.agentSocket('boss'), { cmd: 'recv', wait_ms: 0, max: 1000 }));
  assert.ok(again.messages.length > 0, 'the rest come with the next recv');
  for (const request of [
    { cmd: 'pending' }, { cmd: 'pending', open: true, limit: 1000 }, { cmd: 'questions' }, { cmd: 'questions', limit: 1000 },
    { cmd: 'turn_stats', limit: 10000 }, { cmd: 'agent_events', name: 'iris', limit: 10000 },
  ]) {
    const line = await rawRequest(core.hostSocket, request);
    assert.ok(bytes(line) <= MAX_LINE_BYTES, `${request.cmd} is ${bytes(line)} bytes`);
    assert.equal(JSON.parse(line).ok, true, line.slice(0, 200));
  }
});

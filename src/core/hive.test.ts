// End-to-end: the broker, questions, reminders and approvals over real sockets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { attachControl, startCore, waitFor, collectLines, type RunningCore } from '../testing/hive.js';
import { JsonlConnection, type InboxMessage, type Question } from '../protocol/index.js';

let core: RunningCore;

before(async () => {
  core = await startCore({
    config: {
      manager: 'boss',
      agents: { boss: {}, iris: { parent: 'boss', allowed_recipients: ['damo'] }, damo: { parent: 'boss' }, lone: { allowed_recipients: [] } },
    },
  });
});
after(async () => {
  await core.cleanup();
});

type Recv = { ok: boolean; messages: InboxMessage[] };
const recv = (name: string, wait_ms = 0, max = 50) => core.agentRequest<Recv>(name, { cmd: 'recv', wait_ms, max });

async function drain(name: string): Promise<InboxMessage[]> {
  const res = await recv(name);
  if (res.messages.length) await core.agentRequest(name, { cmd: 'ack', ids: res.messages.map((m) => m.id) });
  return res.messages;
}

test('recv long-polls until a message arrives', async () => {
  const started = Date.now();
  const pending = recv('damo', 5000);
  await new Promise((r) => setTimeout(r, 100));
  const sent = await core.request<{ ok: boolean; id: number }>({ cmd: 'send', to: 'damo', body: 'wake up' });
  const res = await pending;
  assert.equal(res.messages.length, 1);
  assert.equal(res.messages[0]!.id, sent.id);
  assert.equal(res.messages[0]!.from, 'operator');
  assert.ok(Date.now() - started < 4000, 'answered on arrival, not at the deadline');
  await core.agentRequest('damo', { cmd: 'ack', ids: [sent.id] });
});

test('recv times out empty', async () => {
  const res = await recv('damo', 150);
  assert.deepEqual(res.messages, []);
});

test('delivered-but-unacked messages are handed out again to the next harness session only', async () => {
  await core.request({ cmd: 'send', to: 'damo', body: 'important' });
  const { conn: control } = await attachControl(core.agentSocket('damo'));
  const first = await recv('damo');
  assert.equal(first.messages.length, 1);
  assert.deepEqual((await recv('damo')).messages, [], 'not handed out twice within one session');
  control.close();
  const { conn: again } = await attachControl(core.agentSocket('damo'));
  const second = await recv('damo');
  assert.deepEqual(second.messages.map((m) => m.id), first.messages.map((m) => m.id), 'redelivered after reconnect');
  await core.agentRequest('damo', { cmd: 'ack', ids: [first.messages[0]!.id] });
  again.close();
  const { conn: third } = await attachControl(core.agentSocket('damo'));
  assert.deepEqual((await recv('damo')).messages, [], 'acked messages are gone');
  third.close();
});

test('allowed_recipients is enforced, the manager and the operator always reachable', async () => {
  const refused = await core.agentRequest('iris', { cmd: 'send', to: 'lone', body: 'hi' });
  assert.equal(refused.code, 'forbidden');
  assert.match(String(refused.error), /iris may not message lone/);
  assert.equal((await core.agentRequest('iris', { cmd: 'send', to: 'damo', body: 'hi' })).ok, true);
  assert.equal((await core.agentRequest('lone', { cmd: 'send', to: 'boss', body: 'hi boss' })).ok, true);
  assert.equal((await core.agentRequest('lone', { cmd: 'send', to: 'operator', body: 'hi op' })).ok, true);
  assert.equal((await drain('damo'))[0]!.body, 'hi');
  assert.equal((await drain('boss'))[0]!.body, 'hi boss');
});

test('a broadcast reaches every other agent with the hint; operator messages land in the operator inbox', async () => {
  for (const name of ['boss', 'iris', 'damo', 'lone']) await drain(name);
  const sent = await core.agentRequest('damo', { cmd: 'send', to: '*', body: 'standup in 5' });
  assert.deepEqual([sent.ok, sent.recipients, sent.skipped], [true, 3, 0]);
  for (const name of ['boss', 'iris', 'lone']) {
    const [m] = await drain(name);
    assert.match(m!.body, /^\[broadcast.*\] standup in 5$/);
    assert.equal(m!.from, 'damo');
  }
  assert.deepEqual(await drain('damo'), []);
  const inbox = await core.request<{ messages: { id: number; from: string; body: string; read: boolean }[] }>({ cmd: 'operator_inbox' });
  const op = inbox.messages.find((m) => m.body === 'hi op')!;
  assert.equal(op.from, 'lone');
  assert.equal(op.read, false);
  assert.equal((await core.request({ cmd: 'mark_read', ids: [op.id] })).marked, 1);
  const after = await core.request<{ messages: { id: number; read: boolean }[] }>({ cmd: 'operator_inbox' });
  assert.equal(after.messages.find((m) => m.id === op.id)!.read, true);
});

test('questions: operator answer reaches the asker once; a second answer conflicts', async () => {
  await drain('iris');
  const asked = await core.agentRequest<{ ok: boolean; id: number }>('iris', { cmd: 'ask', question: 'ship it?', options: ['yes', 'no'], ttl_seconds: 999_999 });
  const q = (await core.request<{ questions: Question[] }>({ cmd: 'questions' })).questions.find((x) => x.id === asked.id)!;
  assert.equal(q.target, null);
  assert.ok(q.deadline_at! - q.asked_at <= 6 * 3600, 'TTL capped at 6 h');
  assert.equal((await core.request({ cmd: 'answer', id: asked.id, answer: 'yes', actor: 'op@host' })).ok, true);
  const again = await core.request({ cmd: 'answer', id: asked.id, answer: 'no' });
  assert.equal(again.code, 'conflict');
  const [helper] = await drain('iris');
  assert.equal(helper!.from, 'system');
  assert.deepEqual(JSON.parse(helper!.body), { event: 'question_answered', id: asked.id, question: 'ship it?', answer: 'yes', answerer: 'operator' });
});

test('peer questions: the target is told, only the target may answer', async () => {
  await drain('damo');
  await drain('iris');
  const asked = await core.agentRequest<{ ok: boolean; id: number }>('iris', { cmd: 'ask', question: 'lunch?', to: 'damo' });
  const [note] = await drain('damo');
  assert.equal(JSON.parse(note!.body).event, 'question_asked');
  assert.equal((await core.agentRequest('boss', { cmd: 'answer', id: asked.id, answer: 'sure' })).code, 'forbidden');
  assert.equal((await core.agentRequest('damo', { cmd: 'answer', id: asked.id, answer: 'sure' })).ok, true);
  const [answered] = await drain('iris');
  assert.equal(JSON.parse(answered!.body).answerer, 'damo');
});

test('questions expire with [expired] from the watchdog; the asker may cancel its own', async () => {
  await drain('iris');
  const asked = await core.agentRequest<{ ok: boolean; id: number }>('iris', { cmd: 'ask', question: 'quick?', ttl_seconds: 1 });
  const expired = await waitFor(
    async () => (await core.request<{ questions: Question[] }>({ cmd: 'questions' })).questions.find((x) => x.id === asked.id && x.answer),
    { timeoutMs: 5000, what: 'the watchdog' },
  );
  assert.equal(expired.answer, '[expired]');
  assert.equal(expired.answerer, 'ttl-watchdog');
  const other = await core.agentRequest<{ ok: boolean; id: number }>('iris', { cmd: 'ask', question: 'never mind?' });
  assert.equal((await core.agentRequest('damo', { cmd: 'cancel_question', id: other.id })).code, 'forbidden');
  assert.equal((await core.agentRequest('iris', { cmd: 'cancel_question', id: other.id })).ok, true);
  const cancelled = (await core.request<{ questions: Question[] }>({ cmd: 'questions' })).questions.find((x) => x.id === other.id)!;
  assert.equal(cancelled.answer, '[cancelled by iris]');
  assert.equal(cancelled.cancelled, true);
});

test('reminders arrive from "reminder" when due, count in the status row, and are capped at 50', async () => {
  await drain('damo');
  const set = await core.agentRequest('damo', { cmd: 'remind', message: 'check the build', delay_seconds: 0.3 });
  assert.equal(set.ok, true);
  const status = async () =>
    (await core.request<{ agent_statuses: { name: string; pending_reminders: number }[] }>({ cmd: 'agent_status' })).agent_statuses.find((r) => r.name === 'damo')!;
  const res = await recv('damo', 5000);
  assert.equal(res.messages[0]!.from, 'reminder');
  assert.equal(res.messages[0]!.body, 'check the build');
  await core.agentRequest('damo', { cmd: 'ack', ids: [res.messages[0]!.id] });
  assert.equal((await status()).pending_reminders, 0);
  for (let i = 0; i < 50; i++) assert.equal((await core.agentRequest('damo', { cmd: 'remind', message: `r${i}`, delay_seconds: 3600 })).ok, true);
  assert.equal((await status()).pending_reminders, 50);
  const over = await core.agentRequest('damo', { cmd: 'remind', message: 'one too many', delay_seconds: 3600 });
  assert.equal(over.ok, false);
  assert.match(String(over.error), /50 pending reminders/);
  const ends = await core.agentRequest<{ reminders: { id: number }[] }>('damo', { cmd: 'loose_ends' });
  assert.equal(ends.reminders.length, 50);
  assert.equal((await core.agentRequest('damo', { cmd: 'cancel_loose_end', kind: 'reminder', id: ends.reminders[0]!.id })).ok, true);
  assert.equal((await status()).pending_reminders, 49);
});

test('20 concurrent approve/deny on one approval: exactly one wins', async () => {
  const spawn = await core.request<{ ok: boolean; id: number }>({ cmd: 'request_spawn', name: 'racer' });
  const conns = await Promise.all(Array.from({ length: 20 }, () => core.connect()));
  const results = await Promise.all(conns.map((c, i) => c.request(i % 2 ? { cmd: 'approve', id: spawn.id } : { cmd: 'deny', id: spawn.id, note: `no ${i}` })));
  for (const c of conns) c.close();
  const winners = results.filter((r) => r.ok);
  assert.equal(winners.length, 1, JSON.stringify(results));
  for (const loser of results.filter((r) => !r.ok)) assert.equal(loser.code, 'conflict');
  const approval = (await core.request<{ approval: { status: string } }>({ cmd: 'approval', id: spawn.id })).approval;
  assert.ok(approval.status === 'approved' || approval.status === 'denied');
});

test('approving a spawn under the external backend registers the agent with its socket and state dir', async () => {
  const spawn = await core.request<{ ok: boolean; id: number }>({ cmd: 'request_spawn', name: 'newcomer', description: 'helps iris', actor: 'op@box' });
  const dup = await core.request({ cmd: 'request_spawn', name: 'newcomer' });
  assert.equal(dup.code, 'conflict');
  assert.equal((await core.request({ cmd: 'approve', id: spawn.id, actor: 'op@box' })).ok, true);
  const approval = (await core.request<{ approval: { status: string; resolved_by: string } }>({ cmd: 'approval', id: spawn.id })).approval;
  assert.equal(approval.status, 'approved');
  assert.equal(approval.resolved_by, 'op@box');
  assert.ok((await core.request<{ agents: string[] }>({ cmd: 'list' })).agents.includes('newcomer'));
  assert.ok(fs.existsSync(path.join(core.stateDir, 'agents', 'newcomer')));
  assert.equal((fs.statSync(core.agentSocket('newcomer')).mode & 0o777), 0o600);
  assert.equal((await core.agentRequest('newcomer', { cmd: 'whoami' })).name, 'newcomer');
});

test('the manager is told how its spawn request was resolved', async () => {
  await drain('boss');
  const req = await core.agentRequest<{ ok: boolean; id: number }>('boss', { cmd: 'request_spawn', name: 'helper', description: 'extra hands' });
  assert.equal((await core.request({ cmd: 'deny', id: req.id, note: 'budget' })).ok, true);
  const [m] = await drain('boss');
  assert.deepEqual(JSON.parse(m!.body), { event: 'approval_resolved', id: req.id, agent: 'helper', kind: 'spawn', status: 'denied', note: 'budget' });
});

test('set_paused writes the marker, is idempotent, works on a stopped agent, and reaches a running harness', async () => {
  const marker = path.join(core.stateDir, 'agents', 'lone', 'paused');
  const { conn: control, ack } = await attachControl(core.agentSocket('damo'));
  assert.equal(ack.paused, false);
  const lines = collectLines(control);
  for (let i = 0; i < 2; i++) assert.equal((await core.request({ cmd: 'set_paused', name: 'lone', paused: true })).ok, true);
  assert.ok(fs.existsSync(marker));
  assert.equal((await core.request({ cmd: 'set_paused', name: 'damo', paused: true })).ok, true);
  await waitFor(() => lines.some((l) => l.action === 'pause'), { what: 'a pause control line' });
  const rows = (await core.request<{ agent_statuses: { name: string; paused: boolean; running: boolean }[] }>({ cmd: 'agent_status' })).agent_statuses;
  assert.equal(rows.find((r) => r.name === 'lone')!.paused, true);
  assert.equal(rows.find((r) => r.name === 'lone')!.running, false);
  assert.equal(rows.find((r) => r.name === 'damo')!.running, true);
  await core.request({ cmd: 'set_paused', name: 'lone', paused: false });
  await core.request({ cmd: 'set_paused', name: 'damo', paused: false });
  assert.ok(!fs.existsSync(marker));
  await waitFor(() => lines.some((l) => l.action === 'resume'), { what: 'a resume control line' });
  control.close();
});

test('one harness session per agent: a second control subscription is refused while the first is connected', async () => {
  const { conn: first } = await attachControl(core.agentSocket('lone'));
  const second = await JsonlConnection.connect(core.agentSocket('lone'));
  const refused = await second.request<{ ok: boolean; code: string; error: string }>({ cmd: 'control' });
  assert.deepEqual([refused.ok, refused.code], [false, 'conflict']);
  assert.match(refused.error, /lone already has a harness attached; a second one is refused while the first is connected/);
  const lines = collectLines(first);
  assert.equal((await core.request({ cmd: 'agent_control', name: 'lone', action: 'compact' })).ok, true);
  await waitFor(() => lines.some((l) => l.action === 'compact'), { what: 'the control line on the first session' });
  first.close();
  const { conn: next } = await attachControl(core.agentSocket('lone'));
  next.close();
  second.close();
});

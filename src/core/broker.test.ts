// The broker on an in-memory store: inboxes, redelivery per session, recipient rules, the operator inbox, long-poll.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Broker, BROADCAST_HINT, type SendReceipt } from './broker.js';
import { testPorts } from './testing/service-ports.js';

function setup() {
  const ports = testPorts({
    agents: { boss: {}, iris: { allowed_recipients: ['damo'] }, damo: {}, lone: { allowed_recipients: [] } },
    manager: 'boss',
  });
  return { ports, broker: new Broker(ports) };
}

test('a message waits in the inbox, is handed out once per session, again after a new session, and is gone once acked', () => {
  const { ports, broker } = setup();
  const id = (broker.send('operator', 'damo', 'hello', 7) as SendReceipt).id;
  assert.equal(broker.unread('damo'), 1);
  assert.deepEqual(ports.statusChanges, ['damo'], 'the unread count feeds the roster');
  const first = broker.take('damo', 10);
  assert.deepEqual(first.map((m) => [m.id, m.from, m.body, m.in_reply_to]), [[id, 'operator', 'hello', 7]]);
  assert.deepEqual(broker.take('damo', 10), [], 'not twice in one session');
  broker.newSession('damo');
  assert.deepEqual(broker.take('damo', 10).map((m) => m.id), [id], 'redelivered to the next session');
  assert.equal(broker.ack('damo', [id, 12345]), 1, 'only its own unacked ids count');
  assert.equal(broker.unread('damo'), 0);
  broker.newSession('damo');
  assert.deepEqual(broker.take('damo', 10), []);
  const events = ports.events().map(({ seq: _seq, at: _at, ...rest }) => rest);
  assert.deepEqual(events, [
    { kind: 'sent', from: 'operator', to: 'damo', body: 'hello', id, in_reply_to: 7 },
    { kind: 'delivered', from: 'operator', to: 'damo', body: 'hello', id },
    { kind: 'delivered', from: 'operator', to: 'damo', body: 'hello', id },
  ]);
});

test('a message another agent already acked cannot be acked by someone else', () => {
  const { broker } = setup();
  const id = (broker.send('operator', 'damo', 'x') as SendReceipt).id;
  assert.equal(broker.ack('iris', [id]), 0);
  assert.equal(broker.unread('damo'), 1);
});

test('allowed_recipients is enforced; the manager and the operator are always reachable', () => {
  const { broker } = setup();
  assert.deepEqual(broker.send('iris', 'lone', 'hi'), { refused: true, code: 'forbidden', error: 'iris may not message lone (allowed: damo and the manager)' });
  assert.deepEqual(broker.send('lone', 'iris', 'hi'), { refused: true, code: 'forbidden', error: 'lone may not message iris (allowed: nobody and the manager)' });
  assert.equal(typeof (broker.send('iris', 'damo', 'hi') as SendReceipt).id, 'number');
  assert.equal(typeof (broker.send('lone', 'boss', 'hi') as SendReceipt).id, 'number');
  assert.equal(typeof (broker.send('lone', 'operator', 'hi') as SendReceipt).id, 'number');
  assert.deepEqual(broker.send('iris', 'ghost', 'hi'), { refused: true, code: 'not_found', error: 'no agent named "ghost"' });
});

test('a broadcast reaches every other agent with the hint, in one transaction', () => {
  const { ports, broker } = setup();
  const receipt = broker.send('damo', '*', 'standup') as SendReceipt;
  assert.deepEqual([receipt.recipients, receipt.skipped], [3, 0]);
  for (const name of ['boss', 'iris', 'lone']) {
    const [m] = broker.take(name, 10);
    assert.equal(m!.body, BROADCAST_HINT + 'standup');
    assert.equal(m!.from, 'damo');
    if (name === 'boss') assert.equal(m!.id, receipt.id, 'the receipt carries the first copy');
  }
  assert.deepEqual(broker.take('damo', 10), []);
  const sent = ports.events().filter((e) => e.kind === 'sent');
  assert.deepEqual(sent.map((e) => e.to), ['boss', 'iris', 'lone']);
  const lonely = new Broker(testPorts({ agents: { solo: {} } }));
  assert.deepEqual(lonely.send('solo', '*', 'anyone?'), { refused: true, code: 'not_found', error: 'there is no other agent to broadcast to' });
});

test('a broadcast reaches only the recipients the sender may message, and says how many it skipped', () => {
  const { ports, broker } = setup();
  const receipt = broker.send('iris', '*', 'standup') as SendReceipt;
  assert.deepEqual([receipt.recipients, receipt.skipped], [2, 1]);
  assert.deepEqual(ports.events().filter((e) => e.kind === 'sent').map((e) => e.to), ['boss', 'damo']);
  assert.equal(broker.unread('lone'), 0, 'lone is not in iris\'s allowed_recipients');
  const fenced = new Broker(testPorts({ agents: { a: { allowed_recipients: [] }, b: {} } }));
  assert.deepEqual(fenced.send('a', '*', 'hi'), { refused: true, code: 'forbidden', error: 'a may not message b (allowed: nobody)' });
  assert.equal(fenced.unread('b'), 0);
});

test('the operator inbox: messages announced, listed newest first, unread for the snapshot, marked read once', () => {
  const { ports, broker } = setup();
  const a = (broker.send('iris', 'operator', 'first') as SendReceipt).id;
  const b = (broker.send('damo', 'operator', 'second', a) as SendReceipt).id;
  assert.deepEqual(broker.operatorInbox(undefined, 10, false).items.map((m) => [m.id, m.read]), [[b, false], [a, false]]);
  assert.deepEqual(broker.operatorInbox(undefined, 10, true).items.map((m) => m.id), [b, a], 'newest first');
  assert.equal(broker.operatorInbox(undefined, 10, false).items[0]!.in_reply_to, a);
  assert.equal(broker.markOperatorRead([a, 999], 'op@box'), 1);
  assert.equal(broker.markOperatorRead([a], 'op@box'), 0, 'already read');
  assert.deepEqual(broker.operatorInbox(undefined, 10, true).items.map((m) => m.id), [b]);
  assert.equal(broker.unreadOperatorCount(), 1);
  assert.deepEqual(broker.operatorInbox(b, 10, false).items.map((m) => m.id), [a], 'before pages on to older messages');
  const kinds = ports.events().map((e) => e.kind);
  assert.deepEqual(kinds, ['sent', 'operator_message', 'sent', 'operator_message', 'operator_read']);
  assert.deepEqual(ports.audits().map((r) => [r.actor, r.action, r.detail]), [['op@box', 'mark_read', { ids: [a] }]]);
  assert.deepEqual(ports.statusChanges, [], 'the operator has no roster row');
});

test('helper events and posts arrive from their sender; nothing goes to an agent that is gone', () => {
  const { broker } = setup();
  broker.notify('iris', { event: 'restarted', reason: 'crash' });
  broker.post('reminder', 'iris', 'check the build');
  broker.notify('ghost', { event: 'restarted', reason: 'crash' });
  broker.post('reminder', 'ghost', 'nobody');
  const got = broker.take('iris', 10);
  assert.deepEqual(got.map((m) => [m.from, m.body]), [['system', '{"event":"restarted","reason":"crash"}'], ['reminder', 'check the build']]);
  assert.equal(broker.unread('ghost'), 0);
});

test('recv waits for a message; a send in a rolled-back transaction leaves nothing behind', { timeout: 10_000 }, async () => {
  const { ports, broker } = setup();
  const waiting = broker.recv('damo', 5000, 10, () => false);
  assert.throws(() =>
    ports.work.commit(() => {
      broker.send('operator', 'damo', 'rolled back');
      throw new Error('boom');
    }),
  );
  assert.equal(broker.unread('damo'), 0);
  assert.deepEqual(ports.events(), []);
  const id = (broker.send('operator', 'damo', 'real') as SendReceipt).id;
  assert.deepEqual((await waiting).map((m) => [m.id, m.body]), [[id, 'real']]);
});

test('recv returns empty at its deadline or when its client is gone; undeliver hands messages out again', async () => {
  const { broker } = setup();
  assert.deepEqual(await broker.recv('damo', 20, 10, () => false), []);
  let gone = false;
  const waiting = broker.recv('damo', 5000, 10, () => gone);
  gone = true;
  broker.wakeAll();
  assert.deepEqual(await waiting, []);
  const id = (broker.send('operator', 'damo', 'x') as SendReceipt).id;
  assert.deepEqual(broker.take('damo', 10).map((m) => m.id), [id]);
  broker.undeliver([id]);
  assert.deepEqual(broker.take('damo', 10).map((m) => m.id), [id], 'handed out again in the same session');
});

test('an agent\'s unhandled mail is capped: past it sends are refused with a sentence, and reading makes room', () => {
  const ports = testPorts({ agents: { iris: {}, damo: {} } });
  const broker = new Broker(ports, { maxBytesPerInbox: 1024 * 1024, maxAgeSeconds: 86_400, unreadBytesPerSender: 100 * 1024 });
  const body = 'x'.repeat(30 * 1024);
  const ids = [0, 1, 2].map(() => (broker.send('iris', 'operator', body) as SendReceipt).id);
  const refused = broker.send('iris', 'damo', body);
  assert.deepEqual(refused, {
    refused: true,
    code: 'conflict',
    error: 'iris has 0.1 MiB of messages not yet handled by their recipients (at most 0.1 MiB); send again once they have read some',
  });
  assert.equal(broker.unread('damo'), 0, 'nothing was stored');
  assert.equal((broker.send('operator', 'damo', body) as SendReceipt).recipients, 1, 'the operator is not held to it');
  assert.equal(broker.markOperatorRead([ids[0]!], undefined), 1);
  assert.equal(typeof (broker.send('iris', 'damo', body) as SendReceipt).id, 'number', 'a read message made room');
  const fresh = new Broker(ports, { maxBytesPerInbox: 1024 * 1024, maxAgeSeconds: 86_400, unreadBytesPerSender: 100 * 1024 });
  assert.equal(fresh.ledger.unread('iris'), broker.ledger.unread('iris'), 'the allowance is read back from the store');
});

test('handled messages are kept per inbox by bytes and age; unhandled ones are never dropped', () => {
  const ports = testPorts({ agents: { iris: {}, damo: {} } });
  const broker = new Broker(ports, { maxBytesPerInbox: 200 * 1024, maxAgeSeconds: 3600, unreadBytesPerSender: 64 * 1024 * 1024 });
  const body = 'y'.repeat(50 * 1024);
  const waiting = (broker.send('iris', 'damo', 'still unread') as SendReceipt).id;
  const handled: number[] = [];
  for (let i = 0; i < 8; i++) {
    const id = (broker.send('iris', 'damo', body) as SendReceipt).id;
    assert.equal(broker.ack('damo', [id]), 1);
    handled.push(id);
  }
  const left = (ports.db.prepare("SELECT id FROM messages WHERE recipient = 'damo' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
  assert.ok(left.includes(waiting), 'the unhandled message stays');
  const keptHandled = left.filter((id) => id !== waiting);
  assert.ok(keptHandled.length >= 2 && keptHandled.length <= 4, `${keptHandled.length} handled messages kept`);
  assert.deepEqual(keptHandled, handled.slice(-keptHandled.length), 'the newest are kept');
  broker.ledger.sweep(Math.floor(Date.now() / 1000) + 3601);
  const afterAge = (ports.db.prepare("SELECT id FROM messages WHERE recipient = 'damo'").all() as { id: number }[]).map((r) => r.id);
  assert.deepEqual(afterAge, [waiting], 'an hour on only the unhandled message is left');
});

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../testing/hive.js';
import { scriptedSocket, type ScriptedSocket } from '../testing/scripted-socket.js';
import {
  applyAck,
  applyEvent,
  backoffDelayMs,
  CLIENT_PROTOCOL_VERSION,
  hostRequestLine,
  openRequest,
  Subscription,
  socketTransport,
  type AckStep,
  type Channel,
  type EventLine,
  type SubscriptionCursor,
  type SubscriptionHandlers,
  type SubscriptionStatus,
} from './subscription.js';

const dashboard: Channel = { kind: 'dashboard' };

test('first subscribe has no since; the ack seq becomes the cursor', () => {
  const start: SubscriptionCursor = { lastSeq: undefined };
  assert.deepEqual(hostRequestLine(openRequest({ kind: 'dashboard', kinds: ['sent'] }, start)), { cmd: 'subscribe', kinds: ['sent'] });
  const { cursor, notice, reset } = applyAck(start, { seq: 41, snapshot: {} } as { seq: number });
  assert.equal(cursor.lastSeq, 41);
  assert.equal(notice, undefined);
  assert.equal(reset, true);
  assert.deepEqual(hostRequestLine(openRequest(dashboard, cursor)), { cmd: 'subscribe', since: 41 });
});

test('a resume keeps its cursor so replayed events print; repeats are dropped', () => {
  let cursor: SubscriptionCursor = { lastSeq: 10 };
  const step = applyAck(cursor, { seq: 15 });
  cursor = step.cursor;
  assert.equal(step.reset, false);
  assert.equal(cursor.lastSeq, 10, 'replayed events 11..15 still to come');
  const seen: number[] = [];
  for (const seq of [9, 10, 11, 12, 12, 13]) {
    const ev = applyEvent(cursor, { seq });
    cursor = ev.cursor;
    if (ev.fresh) seen.push(seq);
  }
  assert.deepEqual(seen, [11, 12, 13]);
});

test('resync says events were missed and jumps to the ack', () => {
  const { cursor, notice, reset } = applyAck({ lastSeq: 3 }, { seq: 900, resync: true });
  assert.equal(cursor.lastSeq, 900);
  assert.equal(reset, true);
  assert.match(notice!, /after seq 3 .*missed.*seq 900/);
});

test('an agent stream asks for history first, then resumes after the ack, which carries the events', () => {
  const channel: Channel = { kind: 'agent', name: 'iris', history: 100 };
  assert.deepEqual(hostRequestLine(openRequest(channel, { lastSeq: undefined })), { cmd: 'agent_stream', name: 'iris', history: 100 });
  const fresh = applyAck({ lastSeq: undefined }, { seq: 500, events: [{ kind: 'note', seq: 7 }, { kind: 'note', seq: 9 }] });
  assert.equal(fresh.reset, true);
  assert.deepEqual(fresh.events.map((e) => e.seq), [7, 9]);
  assert.equal(fresh.cursor.lastSeq, 500, 'the ack cuts the shared seq space: live events come after it');
  assert.deepEqual(hostRequestLine(openRequest(channel, fresh.cursor)), { cmd: 'agent_stream', name: 'iris', since: 500 });
  const resumed = applyAck(fresh.cursor, { seq: 900, events: [{ kind: 'note', seq: 500 }, { kind: 'note', seq: 640 }] });
  assert.equal(resumed.reset, false);
  assert.deepEqual(resumed.events.map((e) => e.seq), [640], 'what was held already is dropped');
  assert.equal(resumed.cursor.lastSeq, 900);
  const resync = applyAck(resumed.cursor, { seq: 5000, resync: true, events: [{ kind: 'note', seq: 4999 }] });
  assert.equal(resync.reset, true);
  assert.deepEqual(resync.events.map((e) => e.seq), [4999]);
  assert.equal(resync.cursor.lastSeq, 5000);
});

test('reconnect backoff grows, is capped, and is jittered in its upper half', () => {
  const policy = { firstMs: 100, maxMs: 5000 };
  const top = () => 1;
  assert.equal(backoffDelayMs(1, policy, top), 100);
  assert.equal(backoffDelayMs(2, policy, top), 200);
  assert.equal(backoffDelayMs(50, policy, top), 5000);
  assert.equal(backoffDelayMs(50, policy, () => 0), 2500);
  for (let i = 0; i < 50; i++) {
    const d = backoffDelayMs(3, policy);
    assert.ok(d >= 200 && d <= 400, `${d} within the third step's band`);
  }
});

test('the client speaks the protocol version of src/protocol', async () => {
  const { PROTOCOL_VERSION } = await import('./index.js');
  assert.equal(CLIENT_PROTOCOL_VERSION, PROTOCOL_VERSION);
});

// The shell, against a scripted server on a real Unix socket.

const servers: ScriptedSocket[] = [];
const subscriptions: Subscription[] = [];
after(async () => {
  for (const s of subscriptions) s.stop();
  for (const s of servers) await s.close();
});

const ok = (fields: object) => ({ version: 1, ok: true, ...fields });
const fast = { backoff: { firstMs: 5, maxMs: 20 } };

function follow(path: string, channel: Channel, handlers: Partial<SubscriptionHandlers> = {}, options = fast) {
  const acks: AckStep[] = [];
  const events: EventLine[] = [];
  const statuses: SubscriptionStatus[] = [];
  const sub = new Subscription(
    socketTransport(path),
    channel,
    {
      onAck: handlers.onAck ?? ((step) => void acks.push(step)),
      onEvent: (ev) => events.push(ev),
      onStatus: (s) => statuses.push(s),
    },
    options,
  );
  subscriptions.push(sub);
  sub.start();
  return { sub, acks, events, statuses, seqs: () => events.map((e) => e.seq) };
}

test('lines in the same chunk as the ack are held until it is handled, then delivered once each', async () => {
  const server = await scriptedSocket((_req, conn) => conn.write(ok({ seq: 10, snapshot: {} }), { kind: 'sent', seq: 10 }, { kind: 'sent', seq: 11 }, { kind: 'sent', seq: 11 }, { kind: 'sent', seq: 12 }));
  servers.push(server);
  const order: string[] = [];
  const f = follow(server.path, dashboard, {
    onAck: async () => {
      order.push('ack');
      await new Promise((r) => setTimeout(r, 30)); // e.g. the console's schemas still loading
      order.push('ack handled');
    },
  });
  await waitFor(() => f.events.length === 2, { what: 'the held events' });
  assert.deepEqual(f.seqs(), [11, 12]);
  assert.deepEqual(order, ['ack', 'ack handled']);
  assert.deepEqual(f.statuses.at(-1), { phase: 'live' });
  assert.deepEqual(server.requests, [{ cmd: 'subscribe' }]);
});

test('a lagged close resumes after the last event delivered, without repeats', async () => {
  const server = await scriptedSocket((_req, conn, i) => {
    if (i === 0) {
      conn.write(ok({ seq: 5, snapshot: {} }), { kind: 'sent', seq: 6 }, { kind: 'sent', seq: 7 }, { kind: 'lagged', seq: 9 });
      conn.end();
    } else {
      conn.write(ok({ seq: 9 }), { kind: 'sent', seq: 7 }, { kind: 'sent', seq: 8 }, { kind: 'sent', seq: 9 });
    }
  });
  servers.push(server);
  const f = follow(server.path, dashboard);
  await waitFor(() => f.events.length === 4, { what: 'events across the resume' });
  assert.deepEqual(f.seqs(), [6, 7, 8, 9]);
  assert.deepEqual(server.requests, [{ cmd: 'subscribe' }, { cmd: 'subscribe', since: 7 }]);
  const lagged = f.statuses.find((s) => s.phase === 'down');
  assert.equal(lagged?.phase === 'down' && lagged.cause, 'lagged');
  assert.equal(lagged?.phase === 'down' && lagged.laggedAt, 9);
  assert.deepEqual(f.acks.map((a) => a.reset), [true, false]);
});

test('a drop then a resume point the core no longer has: the ack is a fresh picture', async () => {
  const server = await scriptedSocket((_req, conn, i) => {
    if (i === 0) {
      conn.write(ok({ seq: 3, snapshot: {} }));
      conn.end();
    } else conn.write(ok({ seq: 900, resync: true, snapshot: {} }), { kind: 'sent', seq: 901 });
  });
  servers.push(server);
  const f = follow(server.path, dashboard);
  await waitFor(() => f.events.length === 1, { what: 'the event after the resync' });
  assert.deepEqual(f.acks.map((a) => [a.reset, a.notice !== undefined]), [[true, false], [true, true]]);
  const down = f.statuses.find((s) => s.phase === 'down');
  assert.deepEqual(down?.phase === 'down' && [down.cause, down.reason, down.everLive], ['closed', 'the core closed the connection', true]);
});

test('a core speaking another protocol is incompatible, and its ack is never used', async () => {
  const server = await scriptedSocket((_req, conn) => conn.write({ version: 2, ok: true, seq: 1, snapshot: {} }, { kind: 'sent', seq: 2 }));
  servers.push(server);
  const f = follow(server.path, dashboard);
  await waitFor(() => f.statuses.length > 0, { what: 'a status' });
  assert.deepEqual(
    f.statuses.map((s) => s.phase === 'incompatible' && [s.theirVersion, s.reason]),
    [[2, `core speaks protocol 2, this client speaks ${CLIENT_PROTOCOL_VERSION}`]],
  );
  assert.equal(f.acks.length, 0);
  assert.equal(f.events.length, 0);
});

test('a refusal, an unusable ack and an unreachable socket are said with their reasons, and retried', async () => {
  const server = await scriptedSocket((_req, conn, i) => {
    if (i === 0) conn.write({ version: 1, ok: false, error: 'unknown event kind "bogus"', code: 'bad_request' });
    else conn.write(ok({ seq: 1, snapshot: { bad: true } }));
  });
  servers.push(server);
  let acks = 0;
  const f = follow(server.path, dashboard, { onAck: () => (++acks === 1 ? 'the core sent a snapshot this client cannot read' : undefined) });
  await waitFor(() => f.statuses.some((s) => s.phase === 'live'), { what: 'live on the third try' });
  const downs = f.statuses.flatMap((s) => (s.phase === 'down' ? [[s.cause, s.reason, s.attempt]] : []));
  assert.deepEqual(downs, [
    ['refused', 'unknown event kind "bogus"', 1],
    ['unreadable', 'the core sent a snapshot this client cannot read', 2],
  ]);
  const refused = f.statuses[0]!;
  assert.equal(refused.phase === 'down' && refused.response?.code, 'bad_request');

  const nowhere = follow(`${server.path}.missing`, dashboard);
  await waitFor(() => nowhere.statuses.length >= 2, { what: 'two tries' });
  const first = nowhere.statuses[0]!;
  assert.ok(first.phase === 'down' && first.cause === 'unreachable' && !first.everLive);
  assert.match(first.phase === 'down' ? first.reason : '', /^no hive at .*\.missing — is hyperhive-core running\?$/);
  nowhere.sub.stop();
  await nowhere.sub.done;
});

test('an agent stream delivers its ack events through onAck and resumes after the ack seq', async () => {
  const server = await scriptedSocket((_req, conn, i) => {
    if (i === 0) {
      conn.write(ok({ seq: 50, events: [{ kind: 'note', seq: 40 }] }), { kind: 'note', seq: 51 });
      conn.end();
    } else conn.write(ok({ seq: 60, events: [{ kind: 'note', seq: 51 }, { kind: 'note', seq: 55 }] }), { kind: 'note', seq: 61 });
  });
  servers.push(server);
  const f = follow(server.path, { kind: 'agent', name: 'iris', history: 10 });
  await waitFor(() => f.events.length === 2, { what: 'live events on both links' });
  assert.deepEqual(server.requests, [{ cmd: 'agent_stream', name: 'iris', history: 10 }, { cmd: 'agent_stream', name: 'iris', since: 51 }]);
  assert.deepEqual(f.acks.map((a) => [a.reset, a.events.map((e) => e.seq)]), [[true, [40]], [false, [55]]]);
  assert.deepEqual(f.seqs(), [51, 61]);
});

test('stop ends the subscription during its backoff', async () => {
  const server = await scriptedSocket((_req, conn) => conn.end());
  servers.push(server);
  const f = follow(server.path, dashboard, {}, { backoff: { firstMs: 60_000, maxMs: 60_000 } });
  await waitFor(() => f.statuses.length === 1, { what: 'the first failure' });
  const first = f.statuses[0]!;
  assert.match(first.phase === 'down' ? first.reason : '', /closed the connection before answering/);
  f.sub.stop();
  await f.sub.done;
  assert.equal(server.requests.length, 1);
});

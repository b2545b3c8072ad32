import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAck, applyEvent, reconnectDelayMs, subscribeRequest, type WatchCursor } from './watch.js';

test('first subscribe has no since; the ack seq becomes the cursor', () => {
  const start: WatchCursor = { lastSeq: undefined };
  assert.deepEqual(subscribeRequest(start, ['sent']), { cmd: 'subscribe', kinds: ['sent'] });
  const { cursor, notice } = applyAck(start, { seq: 41, snapshot: {} } as { seq: number });
  assert.equal(cursor.lastSeq, 41);
  assert.equal(notice, undefined);
  assert.deepEqual(subscribeRequest(cursor), { cmd: 'subscribe', since: 41 });
});

test('a resume keeps its cursor so replayed events print; repeats are dropped', () => {
  let cursor: WatchCursor = { lastSeq: 10 };
  cursor = applyAck(cursor, { seq: 15 }).cursor;
  assert.equal(cursor.lastSeq, 10, 'replayed events 11..15 still to come');
  const seen: number[] = [];
  for (const seq of [9, 10, 11, 12, 12, 13]) {
    const step = applyEvent(cursor, { seq });
    cursor = step.cursor;
    if (step.fresh) seen.push(seq);
  }
  assert.deepEqual(seen, [11, 12, 13]);
});

test('resync says events were missed and jumps to the ack', () => {
  const { cursor, notice } = applyAck({ lastSeq: 3 }, { seq: 900, resync: true });
  assert.equal(cursor.lastSeq, 900);
  assert.match(notice!, /after seq 3 .*missed.*seq 900/);
});

test('reconnect backoff grows and is capped', () => {
  assert.equal(reconnectDelayMs(0), 100);
  assert.equal(reconnectDelayMs(1), 200);
  assert.equal(reconnectDelayMs(50), 5000);
});

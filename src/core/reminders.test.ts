// Reminders on an in-memory store: limits, cancel, delivery from "reminder" when due, the pending count on the roster.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Reminders } from './reminders.js';
import { testPorts } from './testing/service-ports.js';
import { MAX_PENDING_REMINDERS } from '../protocol/index.js';

function setup(t: TestContext) {
  const ports = testPorts({ agents: { iris: {}, damo: {} } });
  const reminders = new Reminders(ports);
  t.after(() => reminders.stop());
  return { ports, reminders };
}

test('a reminder is pending until due, counted for the roster, and cancelled only by its agent', (t) => {
  const { ports, reminders } = setup(t);
  const set = reminders.add('iris', 'check the build', 3600) as { id: number; due_at: number };
  assert.ok(set.due_at > Date.now() / 1000 + 3590);
  assert.deepEqual(reminders.pending('iris').items, [{ id: set.id, message: 'check the build', due_at: set.due_at }]);
  assert.equal(reminders.pendingCount('iris'), 1);
  assert.deepEqual(ports.statusChanges, ['iris']);
  assert.deepEqual(reminders.cancel('damo', set.id), { refused: true, code: 'not_found', error: `damo has no pending reminder #${set.id}` });
  assert.equal(reminders.cancel('iris', set.id), true);
  assert.equal(reminders.pendingCount('iris'), 0);
  assert.deepEqual(ports.statusChanges, ['iris', 'iris']);
  assert.equal((reminders.cancel('iris', set.id) as { code: string }).code, 'not_found', 'a cancelled reminder is no longer pending');
});

test('exactly one of delay or time, at most a year ahead, at most 50 pending per agent', (t) => {
  const { reminders } = setup(t);
  const now = Date.now() / 1000;
  assert.deepEqual(reminders.add('iris', 'x'), { refused: true, code: 'bad_request', error: 'give exactly one of delay_seconds or at_unix' });
  assert.equal((reminders.add('iris', 'x', 5, now + 5) as { code: string }).code, 'bad_request');
  assert.deepEqual(reminders.add('iris', 'x', 400 * 24 * 3600), { refused: true, code: 'bad_request', error: 'a reminder may be set at most a year ahead' });
  for (let i = 0; i < MAX_PENDING_REMINDERS; i++) assert.ok('id' in (reminders.add('iris', `r${i}`, undefined, now + 3600 + i) as object));
  assert.deepEqual(reminders.add('iris', 'one too many', 60), {
    refused: true,
    code: 'conflict',
    error: `iris already has ${MAX_PENDING_REMINDERS} pending reminders; cancel one first`,
  });
  assert.equal(reminders.pendingCount('iris'), MAX_PENDING_REMINDERS);
  assert.ok('id' in (reminders.add('damo', 'another agent has its own cap', 60) as object));
});

test('due reminders are posted from "reminder" in due order and leave the pending list; later ones wait', (t) => {
  const { ports, reminders } = setup(t);
  const now = Date.now() / 1000;
  reminders.add('iris', 'second', undefined, now - 5);
  reminders.add('damo', 'first', undefined, now - 10);
  reminders.add('iris', 'later', 3600);
  ports.statusChanges.length = 0;
  reminders.deliverDue();
  assert.deepEqual(ports.posted, [
    { from: 'reminder', agent: 'damo', body: 'first' },
    { from: 'reminder', agent: 'iris', body: 'second' },
  ]);
  assert.deepEqual(reminders.pending('iris').items.map((r) => r.message), ['later']);
  assert.equal(reminders.pendingCount('damo'), 0);
  assert.deepEqual(ports.statusChanges, ['damo', 'iris']);
  reminders.deliverDue();
  assert.equal(ports.posted.length, 2, 'each is delivered once');
});

test('the timer delivers a reminder by itself when it falls due', { timeout: 10_000 }, async (t) => {
  const { ports, reminders } = setup(t);
  reminders.add('iris', 'soon', 0.2);
  const deadline = Date.now() + 8000;
  while (ports.posted.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(ports.posted, [{ from: 'reminder', agent: 'iris', body: 'soon' }]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { openDatabase } from '../store/database.js';
import { DashboardChannel } from './dashboard-channel.js';

function channel(retain = 100_000) {
  const db = openDatabase(':memory:');
  return { db, ch: new DashboardChannel(db, retain) };
}

test('seq is monotonic and replay returns exactly the events after since', () => {
  const { db, ch } = channel();
  db.transaction(() => {
    for (let i = 0; i < 5; i++) ch.append('agent_removed', { name: `a${i}` });
  })();
  ch.flush();
  assert.equal(ch.currentSeq, 5);
  const lines = ch.replay(2, null)!;
  assert.deepEqual(lines.map((l) => JSON.parse(l).seq), [3, 4, 5]);
  assert.deepEqual(ch.replay(5, null), []);
});

test('replay filters by kind and refuses unknown or pruned seqs', () => {
  const { db, ch } = channel(3);
  db.transaction(() => {
    ch.append('agent_removed', { name: 'x' });
    ch.append('operator_read', { ids: [1] });
    ch.append('agent_removed', { name: 'y' });
  })();
  ch.flush();
  assert.deepEqual(ch.replay(0, new Set(['operator_read']))!.map((l) => JSON.parse(l).kind), ['operator_read']);
  assert.equal(ch.replay(99, null), null, 'a seq from the future means resync');
  db.transaction(() => {
    for (let i = 0; i < 5; i++) ch.append('agent_removed', { name: `z${i}` });
  })();
  ch.flush();
  ch.prune();
  assert.equal(ch.replay(1, null), null, 'pruned history means resync');
  assert.equal(ch.replay(6, null)!.length, 2);
});

test('a rolled-back transaction gives its seqs back and broadcasts nothing', () => {
  const { db, ch } = channel();
  const seen: string[] = [];
  ch.onFlush = (kind) => seen.push(kind);
  const start = ch.currentSeq;
  assert.throws(() =>
    db.transaction(() => {
      ch.append('agent_removed', { name: 'x' });
      throw new Error('boom');
    })(),
  );
  ch.rollback(start);
  ch.flush();
  assert.equal(ch.currentSeq, start);
  assert.deepEqual(seen, []);
  db.transaction(() => ch.append('agent_removed', { name: 'y' }))();
  ch.flush();
  assert.equal(ch.currentSeq, start + 1);
  assert.deepEqual(seen, ['agent_removed']);
});

test('seq survives reopening the store', () => {
  const file = `/tmp/hh-dash-${process.pid}.sqlite`;
  const db = openDatabase(file);
  const ch = new DashboardChannel(db);
  db.transaction(() => ch.append('agent_removed', { name: 'x' }))();
  db.close();
  const again = new DashboardChannel(openDatabase(file));
  assert.equal(again.currentSeq, 1);
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      rmSync(file + suffix, { force: true });
    } catch {
      /* absent */
    }
  }
});

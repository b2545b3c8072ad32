import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../store/index.js';
import { DashboardChannel } from './dashboard-channel.js';
import { Subscriber } from './subscriber.js';

/** Both ends of a real Unix socket connection; `firstLine` reads what the server end sent. */
async function socketPair(): Promise<{ server: net.Socket; firstLine: () => Promise<string>; close: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hh-dash-'));
  const listener = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  await new Promise<void>((resolve) => listener.listen(path.join(dir, 's.sock'), resolve));
  const client = net.createConnection(path.join(dir, 's.sock'));
  const server = await accepted;
  let received = '';
  client.setEncoding('utf8');
  const firstLine = new Promise<string>((resolve) => {
    client.on('data', (chunk: string) => {
      received += chunk;
      const nl = received.indexOf('\n');
      if (nl !== -1) resolve(received.slice(0, nl));
    });
  });
  return {
    server,
    firstLine: () => firstLine,
    close: () => {
      client.destroy();
      server.destroy();
      listener.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function channel(retain = 100_000) {
  const db = openDatabase(':memory:');
  return { db, ch: new DashboardChannel(db, { maxEvents: retain }) };
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

test('a rolled-back transaction gives its seqs back and broadcasts nothing', { timeout: 10_000 }, async () => {
  const { db, ch } = channel();
  const pair = await socketPair();
  try {
    ch.subscribe(new Subscriber(pair.server, ch.currentSeq));
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
    db.transaction(() => ch.append('agent_removed', { name: 'y' }))();
    ch.flush();
    assert.equal(ch.currentSeq, start + 1);
    // The subscriber's first line is the committed event: the rolled-back one never went out.
    const line = JSON.parse(await pair.firstLine());
    assert.deepEqual([line.kind, line.seq, line.name], ['agent_removed', start + 1, 'y']);
  } finally {
    pair.close();
  }
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

test('the channel keeps its events within their bytes; a resume from before the cut is a resync', () => {
  const db = openDatabase(':memory:');
  const ch = new DashboardChannel(db, { maxEvents: 100_000, maxBytes: 256 * 1024 });
  for (let i = 0; i < 40; i++) {
    db.transaction(() => ch.append('operator_read', { ids: [i], pad: 'z'.repeat(20 * 1024) }))();
    ch.flush();
  }
  const { b } = db.prepare('SELECT SUM(bytes) AS b FROM dashboard_events').get() as { b: number };
  assert.ok(b <= 256 * 1024, `${b} bytes kept`);
  assert.equal(ch.replay(0, null), null);
  const kept = ch.replay(ch.currentSeq - 3, null)!;
  assert.deepEqual(kept.map((l) => JSON.parse(l).ids[0]), [37, 38, 39]);
});

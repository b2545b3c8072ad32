// A subscriber on a real socket pair: catch-up from a store, then live; a catch-up that finds nothing new turns live at once.
// A subscriber set: one write per subscriber per turn of the event loop, and never an event a subscriber already holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Subscriber, SubscriberSet, type CatchUpRead } from './subscriber.js';
import { waitFor } from '../../testing/hive.js';

async function pair(): Promise<{ server: net.Socket; received: () => string; close: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-sub-'));
  const listener = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  await new Promise<void>((resolve) => listener.listen(path.join(dir, 's.sock'), resolve));
  const client = net.createConnection(path.join(dir, 's.sock'));
  let text = '';
  client.on('data', (d) => (text += d.toString()));
  const server = await accepted;
  return { server, received: () => text, close: () => { client.destroy(); server.destroy(); listener.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

test('catch-up reads the store a slice at a time as the output drains; a live event meanwhile comes from the store, once', async () => {
  const p = await pair();
  try {
    const pad = 'p'.repeat(400_000);
    const line = (seq: number) => `{"seq":${seq},"pad":"${pad}"}\n`;
    const stored = Array.from({ length: 10 }, (_, i) => line(i + 1));
    const reads: number[] = [];
    const read: CatchUpRead = (after) => {
      reads.push(after);
      const slice = stored.slice(after, after + 1);
      return { lines: slice.join(''), lastSeq: after + slice.length, done: after + slice.length >= stored.length };
    };
    const sub = new Subscriber(p.server, 0, { catchUp: read });
    assert.ok(reads.length < 10, 'it stopped reading once the output held about 1 MiB');
    // An event is stored, then broadcast: during catch-up the broadcast is skipped and the store has it.
    stored.push(line(11));
    sub.write(line(11), 11);
    await waitFor(() => p.received().includes('"seq":11'), { timeoutMs: 10_000, what: 'every event' });
    sub.write(line(12), 12);
    await waitFor(() => p.received().includes('"seq":12') && p.received().endsWith('\n'), { what: 'a live event after catch-up' });
    const seqs = p.received().trim().split('\n').map((l) => JSON.parse(l).seq);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'no gap, no repeat');
  } finally {
    p.close();
  }
});

test('a catch-up that reads nothing new (the store ends below the channel\'s seq) turns live instead of spinning', async () => {
  const p = await pair();
  try {
    let reads = 0;
    const sub = new Subscriber(p.server, 5, { catchUp: (after) => (reads++, { lines: '', lastSeq: after, done: false }) });
    assert.equal(reads, 1);
    sub.write('{"seq":9}\n', 9);
    await waitFor(() => p.received().includes('"seq":9'), { what: 'the live event' });
  } finally {
    p.close();
  }
});

/** An output that records each write it is handed (what the subscriber's transport would send as one write). */
function recorder(): { out: Writable; writes: string[] } {
  const writes: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  return { out, writes };
}

const ev = (seq: number, kind = 'sent') => ({ line: `{"kind":"${kind}","seq":${seq}}\n`, kind, seq });
function broadcastAll(set: SubscriberSet, events: { line: string; kind: string; seq: number }[]): void {
  set.broadcast(events.map((e) => e.line), events.map((e) => e.kind), events.map((e) => e.seq));
}

test('everything broadcast in one turn of the event loop reaches each subscriber as one write, in order, after the turn', async () => {
  const set = new SubscriberSet();
  const a = recorder();
  const b = recorder();
  set.add(new Subscriber(a.out, 0));
  set.add(new Subscriber(b.out, 0, { framing: 'sse' }));
  broadcastAll(set, [ev(1), ev(2)]);
  broadcastAll(set, [ev(3)]);
  broadcastAll(set, [ev(4, 'agent_status')]);
  assert.deepEqual(a.writes, [], 'nothing is written during the turn that committed');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(a.writes, [[1, 2, 3].map((s) => ev(s).line).join('') + ev(4, 'agent_status').line]);
  assert.equal(b.writes.length, 1);
  assert.deepEqual([...b.writes[0]!.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])), [1, 2, 3, 4]);
  broadcastAll(set, [ev(5)]);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(a.writes.slice(1), [ev(5).line], 'the next turn is its own write');
});

test('a subscriber that joins during the turn, past some of its events, is handed only the ones after its seq', async () => {
  const set = new SubscriberSet();
  const early = recorder();
  set.add(new Subscriber(early.out, 0));
  broadcastAll(set, [ev(1), ev(2), ev(3)]);
  // Joined after the commit of seq 2 (its cut, or what its catch-up read from the store), filtered or not.
  const late = recorder();
  set.add(new Subscriber(late.out, 2));
  const lateFiltered = recorder();
  set.add(new Subscriber(lateFiltered.out, 2, { kinds: new Set(['sent']) }));
  const caughtUp = recorder();
  set.add(new Subscriber(caughtUp.out, 3));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(early.writes, [ev(1).line + ev(2).line + ev(3).line]);
  assert.deepEqual(late.writes, [ev(3).line]);
  assert.deepEqual(lateFiltered.writes, [ev(3).line]);
  assert.deepEqual(caughtUp.writes, [], 'a subscriber already holding every event gets nothing twice');
});

test('a turn whose events together pass a subscriber\'s cap lags it rather than going out as one write over the cap', async () => {
  const set = new SubscriberSet();
  const small = recorder();
  const roomy = recorder();
  set.add(new Subscriber(small.out, 0, { capBytes: 60 }));
  set.add(new Subscriber(roomy.out, 0));
  broadcastAll(set, [ev(1), ev(2)]);
  broadcastAll(set, [ev(3)]);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(small.writes, ['{"kind":"lagged","seq":0}\n'], 'only the lagged line, naming the last seq it was handed');
  assert.deepEqual(roomy.writes, [ev(1).line + ev(2).line + ev(3).line]);
});

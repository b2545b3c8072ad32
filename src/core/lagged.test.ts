// End-to-end: a slow reader that falls behind is told so — it reads every line it was sent, whole, then `lagged`, then EOF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { JsonlConnection } from '../protocol/index.js';

let core: RunningCore;
before(async () => {
  core = await startCore({ config: { agents: { iris: {} } } });
});
after(async () => {
  await core.cleanup();
});

/** Subscribe on a raw socket and stop reading right after asking. */
async function stalledSubscriber(request: object): Promise<net.Socket> {
  const socket = net.createConnection(core.hostSocket);
  await new Promise((r) => socket.once('connect', r));
  socket.write(JSON.stringify(request) + '\n');
  socket.pause();
  return socket;
}

/** Read `socket` to its end slowly: each chunk, then a pause. */
function readSlowly(socket: net.Socket, pauseMs: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      socket.pause();
      setTimeout(() => socket.resume(), pauseMs);
    });
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', () => {});
    socket.resume();
  });
}

test('a slow agent_stream reader gets whole lines, then lagged naming the last event it got, then EOF', async () => {
  const socket = await stalledSubscriber({ cmd: 'agent_stream', name: 'iris', history: 0 });
  const emitter = await JsonlConnection.connect(core.agentSocket('iris'));
  const note = 'q'.repeat(30_000);
  for (let i = 0; i < 40; i++) {
    const res = await emitter.request({ cmd: 'emit', events: Array.from({ length: 20 }, (_, j) => ({ kind: 'note', text: `${i}.${j} ${note}` })) });
    assert.equal(res.ok, true);
  }
  emitter.close();
  const text = await readSlowly(socket, 30);
  assert.ok(text.endsWith('\n'), 'the stream ends with a whole line');
  const lines = text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as { kind?: string; seq?: number; ok?: boolean });
  const lagged = lines.at(-1)!;
  assert.equal(lagged.kind, 'lagged', 'the last line says why the connection ends');
  const events = lines.slice(1, -1);
  assert.ok(events.length > 0 && events.length < 800, `${events.length} of 800 events before the cut`);
  assert.equal(lagged.seq, events.at(-1)!.seq, 'lagged names the last event the reader got: it resumes right after');
  for (let i = 1; i < events.length; i++) assert.equal(events[i]!.seq, events[i - 1]!.seq! + 1, 'no hole before the cut');

  // Resuming from the lagged seq: what fits comes in the ack, the rest follows from the store, nothing is missed.
  const resumed = await JsonlConnection.connect(core.hostSocket);
  const got: number[] = [];
  resumed.on('line', (l) => got.push(l.seq as number));
  const ack = await resumed.request<{ resync?: boolean; events: { seq: number }[] }>({ cmd: 'agent_stream', name: 'iris', since: lagged.seq });
  assert.equal(ack.resync, undefined);
  const last = lagged.seq! + (800 - events.length);
  await waitFor(() => got.at(-1) === last, { timeoutMs: 20_000, what: `events up to seq ${last}` });
  const all = [...ack.events.map((e) => e.seq), ...got];
  assert.deepEqual(all, Array.from({ length: last - lagged.seq! }, (_, i) => lagged.seq! + 1 + i), 'every event after the cut, once, in order');
  resumed.close();
});

test('a slow dashboard reader is told it lagged too, and resuming from its seq misses nothing', async () => {
  const socket = await stalledSubscriber({ cmd: 'subscribe', kinds: ['sent'] });
  const body = 'w'.repeat(60_000);
  const sender = await JsonlConnection.connect(core.hostSocket);
  // 10.8 MB: more than the 8 MiB a subscriber may have queued, and little enough past it that a resume replays the rest.
  for (let i = 0; i < 180; i++) assert.equal((await sender.request({ cmd: 'send', to: 'iris', body: `${i} ${body}` })).ok, true);
  const text = await readSlowly(socket, 30);
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { kind?: string; seq?: number; body?: string });
  const lagged = lines.at(-1)!;
  assert.equal(lagged.kind, 'lagged');
  const resumed = await JsonlConnection.connect(core.hostSocket);
  const ack = await resumed.request<{ resync?: boolean }>({ cmd: 'subscribe', kinds: ['sent'], since: lagged.seq });
  const replayed: { seq: number; body: string }[] = [];
  resumed.on('line', (l) => replayed.push(l as { seq: number; body: string }));
  assert.notEqual(ack.resync, true, 'what was missed is still stored and replayed');
  await waitFor(() => replayed.some((l) => l.body.startsWith('179 ')), { what: 'the replay up to the last message' });
  assert.equal(replayed[0]!.body.split(' ')[0], String(Number(lines.at(-2)!.body!.split(' ')[0]) + 1), 'the replay starts right after the last message read');
  resumed.close();
  sender.close();
});

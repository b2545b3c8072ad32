// End-to-end: an agent emitting 1 MB events leaves its stream usable, the core's memory and the store's size bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { JsonlConnection, MAX_LINE_BYTES } from '../protocol/index.js';
import { rawConnect, rawRequest, type RawConnection } from './testing/raw-lines.js';
import { memoryOf, storeBytes, storeContentBytes } from './testing/process-stats.js';

const EVENTS = 150;
const EVENT_BYTES = 1_000_000;
const CAP_MIB = 4;
let core: RunningCore;
let viewers: RawConnection[] = [];

before(async () => {
  core = await startCore({ config: { agents: { iris: {} }, retention: { agent_events: { max_mib: CAP_MIB } } } });
  viewers = await Promise.all([0, 1, 2].map(() => rawConnect(core.hostSocket)));
  for (const v of viewers) v.send('{"cmd":"agent_stream","name":"iris"}');
  await waitFor(() => viewers.every((v) => v.lines.length >= 1), { what: 'three agent_stream acks' });
  const emitter = await JsonlConnection.connect(core.agentSocket('iris'));
  for (let i = 0; i < EVENTS; i++) {
    const res = await emitter.request({ cmd: 'emit', events: [{ kind: 'note', text: `${i} `.padEnd(EVENT_BYTES, 'n') }] });
    assert.equal(res.ok, true, String(res.error));
  }
  emitter.close();
});
after(async () => {
  for (const v of viewers) v.close();
  await core.cleanup();
});

test('live viewers get every event, each cut to 64 KiB with its full size, none lagged', async () => {
  await waitFor(() => viewers.every((v) => v.lines.length >= 1 + EVENTS), { timeoutMs: 30_000, what: 'every event at every viewer' });
  for (const v of viewers) {
    const events = v.lines.slice(1).map((l) => JSON.parse(l));
    assert.equal(events.filter((e) => e.kind === 'lagged').length, 0);
    for (const line of v.lines.slice(1)) assert.ok(Buffer.byteLength(line) <= 64 * 1024, `a live line of ${Buffer.byteLength(line)} bytes`);
    assert.equal(events.at(-1).full_bytes, Buffer.byteLength(JSON.stringify({ kind: 'note', seq: events.at(-1).seq, agent: 'iris', ts_ms: events.at(-1).ts_ms, text: `${EVENTS - 1} `.padEnd(EVENT_BYTES, 'n') })));
    assert.match(events.at(-1).text, /\[… \d+ bytes cut\]$/);
  }
});

test('agent_stream and agent_events still answer, under the line cap, and page back through what is kept', async () => {
  const conn = await rawConnect(core.hostSocket);
  conn.send('{"cmd":"agent_stream","name":"iris","history":10000}');
  await waitFor(() => conn.lines.length >= 1, { what: 'the ack' });
  conn.close();
  assert.ok(Buffer.byteLength(conn.lines[0]!) <= MAX_LINE_BYTES, `ack of ${Buffer.byteLength(conn.lines[0]!)} bytes`);
  const ack = JSON.parse(conn.lines[0]!);
  assert.equal(ack.ok, true);
  assert.ok(ack.events.length > 5 && ack.more === true, `${ack.events.length} events in the ack, more: ${ack.more}`);
  let before = ack.events[0].seq;
  let kept = ack.events.length;
  for (;;) {
    const line = await rawRequest(core.hostSocket, { cmd: 'agent_events', name: 'iris', limit: 10000, before });
    assert.ok(Buffer.byteLength(line) <= MAX_LINE_BYTES);
    const page = JSON.parse(line);
    kept += page.events.length;
    if (!page.more) break;
    before = page.events.at(-1).seq;
  }
  assert.ok(kept < EVENTS && kept * 64 * 1024 <= CAP_MIB * 1024 * 1024 * 1.01, `${kept} events kept under a ${CAP_MIB} MiB cap`);
});

test('the core\'s memory and the store file stay bounded', () => {
  const memory = memoryOf(core.proc.pid!);
  assert.ok(memory.peak < 400 * 1024 * 1024, `peak RSS ${(memory.peak / 1048576).toFixed(0)} MiB`);
  const file = path.join(core.stateDir, 'hyperhive.sqlite');
  const content = storeContentBytes(file);
  assert.ok(content < (CAP_MIB + 2) * 1024 * 1024, `store content ${(content / 1048576).toFixed(1)} MiB under a ${CAP_MIB} MiB event cap`);
  // On disk the WAL adds what it holds until its next checkpoint (at most about 64 MiB, then truncated).
  const disk = storeBytes(file);
  assert.ok(disk.main + disk.wal < (CAP_MIB + 64 + 8) * 1024 * 1024, `store files ${((disk.main + disk.wal) / 1048576).toFixed(1)} MiB`);
});

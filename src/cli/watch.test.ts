/** The watch's words on stderr and its outcomes, against a scripted core on a real Unix socket. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../testing/hive.js';
import { scriptedSocket, type ScriptedSocket } from '../testing/scripted-socket.js';
import { watchDashboard, type WatchIo } from './watch.js';

const servers: ScriptedSocket[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

function watchIo(socketPath: string, extra: Partial<WatchIo> = {}) {
  const printed: Record<string, unknown>[] = [];
  const notices: string[] = [];
  let interrupt!: () => void;
  const io: WatchIo = {
    socketPath,
    onEvent: (ev) => printed.push(ev),
    notice: (text) => notices.push(text),
    interrupted: new Promise<void>((resolve) => (interrupt = resolve)),
    ...extra,
  };
  return { io, printed, notices, interrupt: () => interrupt() };
}

test('a drop and a lagged close are said on stderr and resumed after the last printed seq', async () => {
  const server = await scriptedSocket((_req, conn, i) => {
    if (i === 0) {
      conn.write({ version: 1, ok: true, seq: 4 }, { kind: 'sent', seq: 5 });
      conn.end();
    } else if (i === 1) {
      conn.write({ version: 1, ok: true, seq: 6 }, { kind: 'sent', seq: 6 }, { kind: 'lagged', seq: 8 });
      conn.end();
    } else conn.write({ version: 1, ok: true, seq: 9, resync: true, snapshot: {} }, { kind: 'sent', seq: 10 });
  });
  servers.push(server);
  const w = watchIo(server.path, { kinds: ['sent'], since: 4 });
  const done = watchDashboard(w.io);
  await waitFor(() => w.printed.length === 3, { what: 'three events' });
  w.interrupt();
  assert.deepEqual(await done, { kind: 'ok' });
  assert.deepEqual(w.printed.map((e) => e.seq), [5, 6, 10]);
  assert.deepEqual(server.requests, [
    { cmd: 'subscribe', kinds: ['sent'], since: 4 },
    { cmd: 'subscribe', kinds: ['sent'], since: 5 },
    { cmd: 'subscribe', kinds: ['sent'], since: 6 },
  ]);
  assert.deepEqual(w.notices, [
    'connection to the core was lost; resuming after seq 5',
    'reconnected; resuming after seq 5',
    'fell behind the core (lagged at seq 8); resuming after seq 6',
    'reconnected; resuming after seq 6',
    'events after seq 6 are no longer stored; some were missed — continuing from seq 9',
  ]);
});

test('unreachable at the start, refused, and another protocol end the watch with a sentence', async () => {
  const missing = watchIo('/nonexistent/host.sock');
  assert.deepEqual(await watchDashboard(missing.io), { kind: 'unreachable', message: 'no hive at /nonexistent/host.sock — is hyperhive-core running?' });

  const refusing = await scriptedSocket((_req, conn) => conn.write({ version: 1, ok: false, error: 'unknown event kind "bogus"', code: 'bad_request' }));
  const newer = await scriptedSocket((_req, conn) => conn.write({ version: 2, ok: true, seq: 1, snapshot: {} }));
  servers.push(refusing, newer);
  const refused = await watchDashboard(watchIo(refusing.path).io);
  assert.deepEqual(refused, { kind: 'refused', response: { version: 1, ok: false, error: 'unknown event kind "bogus"', code: 'bad_request' } });
  const incompatible = await watchDashboard(watchIo(newer.path).io);
  assert.deepEqual(incompatible, { kind: 'refused', response: { ok: false, error: 'core speaks protocol 2, this client speaks 1 — upgrade one of them' } });
});

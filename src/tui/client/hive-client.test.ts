/** The connection layer against the real hyperhive-core (compiled) on real sockets in a temp dir. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCore, waitFor, type RunningCore } from '../../testing/hive.js';
import { HiveClient } from './hive-client.js';
import { streamLineAt, streamLineCount } from './stream-buffer.js';

const config = { name: 'tui-test', backend: 'external', manager: 'manager', agents: { manager: {}, iris: { parent: 'manager' } } };
const cores: RunningCore[] = [];
const clients: HiveClient[] = [];
after(async () => {
  for (const c of clients) c.stop();
  for (const c of cores) await c.cleanup();
});

function client(socketPath: string, readOnly = false): HiveClient {
  const c = new HiveClient({ socketPath, readOnly, backoff: { firstMs: 50, maxMs: 200 } });
  clients.push(c);
  c.start();
  return c;
}

test('unreachable: says why and where, keeps trying, never throws', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tui-'));
  const sock = path.join(dir, 'host.sock');
  const c = client(sock);
  await waitFor(() => c.getState().connection.phase === 'unreachable', { what: 'unreachable' });
  const conn = c.getState().connection;
  assert.equal(conn.reason, `no hive at ${sock} — is hyperhive-core running?`);
  assert.ok(conn.nextTryAt && conn.nextTryAt > Date.now() - 1000);
  await waitFor(() => (c.getState().connection.attempt ?? 0) >= 3, { what: 'retries' });
  c.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('live snapshot, events once per frame, stale across a core restart, resume without loss or duplicates', async () => {
  const core = await startCore({ config });
  cores.push(core);
  const c = client(core.hostSocket);
  let notifications = 0;
  c.subscribe(() => notifications++);
  await waitFor(() => c.getState().connection.phase === 'live' && c.getState().agents.iris, { what: 'live with iris' });

  const first = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'alpha' });
  await waitFor(() => c.getState().approvals[first.id], { what: 'approval via subscription' });
  assert.equal(c.getState().alerts, 1);

  // A burst of dashboard events arrives as a few flushes, not one update each.
  const before = notifications;
  await Promise.all(Array.from({ length: 40 }, (_, i) => core.request({ cmd: 'send', to: 'iris', body: `note ${i}` })));
  const { seq: target } = await core.request<{ seq: number }>({ cmd: 'state' });
  await waitFor(() => c.getState().seq >= target, { what: 'client caught up with the burst' });
  assert.ok(notifications - before < 20, `40 events caused ${notifications - before} notifications`);

  // The core goes away: data stays, marked stale, the client keeps trying.
  await core.stop();
  await waitFor(() => ['reconnecting', 'stale'].includes(c.getState().connection.phase), { what: 'reconnecting' });
  assert.ok(c.getState().connection.staleSince);
  assert.ok(c.getState().approvals[first.id], 'last data kept');

  // Same state dir, new process: resume with since.
  const again = await startCore({ dir: core.dir });
  cores.push(again);
  await waitFor(() => c.getState().connection.phase === 'live', { timeoutMs: 10_000, what: 'live again' });
  assert.equal(c.getState().connection.staleSince, undefined);
  const second = await again.request<{ id: number }>({ cmd: 'request_spawn', name: 'beta' });
  await waitFor(() => c.getState().approvals[second.id], { what: 'second approval' });
  await again.request({ cmd: 'approve', id: first.id });
  await waitFor(() => c.getState().approvals[first.id]?.status !== 'pending', { what: 'resolution seen' });
  assert.equal(c.getState().alerts, 2, 'each approval counted exactly once across the restart');
  const pending = Object.values(c.getState().approvals).filter((a) => a.status === 'pending').map((a) => a.id);
  assert.deepEqual(pending, [second.id]);
});

test('agent stream: history, live events, ✓ from results, paging older history', async () => {
  const core = await startCore({ config });
  cores.push(core);
  const emit = (events: object[]) => core.agentRequest('iris', { cmd: 'emit', events });
  await emit(Array.from({ length: 300 }, (_, i) => ({ kind: 'note', text: `old ${i}` })));
  const c = new HiveClient({ socketPath: core.hostSocket, readOnly: false, streamHistory: 100, backoff: { firstMs: 50, maxMs: 50 } });
  clients.push(c);
  c.start();
  await waitFor(() => c.getState().connection.phase === 'live', { what: 'live' });
  c.watchStreams(['iris']);
  await waitFor(() => c.getState().streams.iris && streamLineCount(c.getState().streams.iris!) === 100, { what: '100 history lines' });
  assert.equal(streamLineAt(c.getState().streams.iris!, 99)!.text, 'note: old 299');

  await emit([
    { kind: 'stream', data: { type: 'assistant', message: { content: [{ type: 'tool_use', id: 'tu1', name: 'Read', input: { file_path: 'package.json' } }] } } },
    { kind: 'stream', data: { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 'tu1', content: '{}' }] } } },
  ]);
  await waitFor(() => c.getState().streams.iris!.ring.last()?.toolStatus === 'ok', { what: 'tool ✓' });
  assert.equal(c.getState().streams.iris!.ring.last()!.text, '» Read package.json');

  await c.loadOlder('iris');
  await waitFor(() => streamLineCount(c.getState().streams.iris!) === 301, { what: 'older page' });
  const buf = c.getState().streams.iris!;
  assert.equal(streamLineAt(buf, 0)!.text, 'note: old 0');
  assert.equal(buf.historyExhausted, false, 'a full page may have more before it');
  await c.loadOlder('iris');
  await waitFor(() => c.getState().streams.iris!.historyExhausted, { what: 'history exhausted' });
  assert.equal(streamLineCount(c.getState().streams.iris!), 301);
  c.watchStreams([]);
  await waitFor(() => !c.getState().streams.iris, { what: 'stream dropped' });
});

test('mutations carry the actor; the read-only socket refuses them with a sentence', async () => {
  const core = await startCore({ config });
  cores.push(core);
  const c = client(core.hostSocket);
  await waitFor(() => c.getState().connection.phase === 'live', { what: 'live' });
  const { id } = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'gamma' });
  const denied = await c.request({ cmd: 'deny', id, note: 'not now' });
  assert.equal(denied.ok, true);
  const list = await core.request<{ approvals: { id: number; status: string; note?: string; resolved_by?: string }[] }>({ cmd: 'pending' });
  const row = list.approvals.find((a) => a.id === id)!;
  assert.equal(row.status, 'denied');
  assert.equal(row.note, 'not now');
  assert.match(row.resolved_by ?? '', new RegExp(`^${os.userInfo().username}@`));
  const again = await c.request({ cmd: 'deny', id });
  assert.equal(again.ok, false);

  const ro = client(core.readOnlySocket, true);
  await waitFor(() => ro.getState().connection.phase === 'live', { what: 'read-only live' });
  const refused = await ro.request({ cmd: 'set_paused', name: 'iris', paused: true });
  assert.equal(refused.ok, false);
  assert.ok((refused as { error: string }).error.length > 10);
});

test('the kept list follows destroy, revival and purge as they happen', async () => {
  const core = await startCore({ config: { ...config, agents: { manager: {}, iris: { parent: 'manager' }, scout: { parent: 'manager' } } } });
  cores.push(core);
  assert.equal((await core.request({ cmd: 'destroy', name: 'scout' })).ok, true);
  const c = client(core.hostSocket);
  await waitFor(() => c.getState().kept.map((k) => k.name).join() === 'scout', { what: 'scout kept, loaded with the first picture' });
  assert.equal((await core.request({ cmd: 'destroy', name: 'iris' })).ok, true);
  await waitFor(() => c.getState().kept.map((k) => k.name).sort().join() === 'iris,scout', { what: 'iris kept once destroyed' });
  const { id } = await core.request<{ id: number }>({ cmd: 'revive', name: 'iris' });
  assert.equal((await core.request({ cmd: 'approve', id })).ok, true);
  await waitFor(() => c.getState().kept.map((k) => k.name).join() === 'scout', { what: 'iris back in the roster, out of the kept list' });
  assert.equal((await core.request({ cmd: 'purge', name: 'scout' })).ok, true);
  await waitFor(() => c.getState().kept.length === 0, { what: 'scout purged for good' });
});

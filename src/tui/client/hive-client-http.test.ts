/** The console's connection layer over HTTP + SSE against the real core: the same states, stale marking and lossless resume as on the socket, and requests over HTTP. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startCore, waitFor, type RunningCore } from '../../testing/hive.js';
import { HiveClient } from './hive-client.js';
import { streamLineAt, streamLineCount } from './stream-buffer.js';

const config = { name: 'tui-http', backend: 'external', manager: 'manager', agents: { manager: {}, iris: { parent: 'manager' } } };
const TOKEN = '0c1d2e3f4a5b6c7d8e9fa0b1c2d3e4f5';
const cores: RunningCore[] = [];
const clients: HiveClient[] = [];
after(async () => {
  for (const c of clients) c.stop();
  for (const c of cores) await c.cleanup();
});

/** A port nobody listens on now (the core is restarted on it, so it cannot be 0). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('over SSE: live, stale across a core restart, then resumed with no line lost or shown twice', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tuihc-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const listen = `127.0.0.1:${await freePort()}`;
  const core = await startCore({ dir, config, http: listen });
  cores.push(core);
  const c = new HiveClient({ http: { url: core.httpUrl! }, readOnly: false, backoff: { firstMs: 50, maxMs: 200 } });
  clients.push(c);
  c.start();
  await waitFor(() => c.getState().connection.phase === 'live' && c.getState().agents.iris, { what: 'live with iris' });
  const link = c.getState().connection;
  assert.deepEqual([link.where, link.readOnly, link.decisionsOnly], [core.httpUrl, true, false], 'no token: read-only');
  c.watchStreams(['iris']);
  const emit = (from: number, to: number) => core.agentRequest('iris', { cmd: 'emit', events: Array.from({ length: to - from }, (_, i) => ({ kind: 'note', text: `n${from + i}` })) });
  await waitFor(() => c.getState().streams.iris?.lastSeq !== undefined && c.getState().streams.iris!.lastSeq >= 0, { what: 'the stream open' });
  await emit(0, 50);
  const first = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'alpha' });
  await waitFor(() => c.getState().approvals[first.id] && streamLineCount(c.getState().streams.iris!) === 50, { what: 'approval and lines over SSE' });

  await core.stop();
  await waitFor(() => ['reconnecting', 'stale'].includes(c.getState().connection.phase), { what: 'reconnecting' });
  assert.ok(c.getState().connection.staleSince, 'the data is marked stale');
  assert.ok(c.getState().approvals[first.id], 'and kept');

  const again = await startCore({ dir, config, http: listen });
  cores.push(again);
  await again.agentRequest('iris', { cmd: 'emit', events: Array.from({ length: 50 }, (_, i) => ({ kind: 'note', text: `n${50 + i}` })) });
  await waitFor(() => c.getState().connection.phase === 'live', { timeoutMs: 10_000, what: 'live again' });
  assert.equal(c.getState().connection.staleSince, undefined);
  const second = await again.request<{ id: number }>({ cmd: 'request_spawn', name: 'beta' });
  await waitFor(() => c.getState().approvals[second.id] && streamLineCount(c.getState().streams.iris!) >= 100, { what: 'events after the restart' });
  const buffer = c.getState().streams.iris!;
  const texts = Array.from({ length: streamLineCount(buffer) }, (_, i) => streamLineAt(buffer, i)!.text);
  assert.deepEqual(texts, Array.from({ length: 100 }, (_, i) => `note: n${i}`), 'every line once, in order');
  assert.equal(c.getState().alerts, 2, 'each approval counted once across the restart');
});

test('over HTTP with the token: decisions go through and are refused once resolved; other verbs say they need the socket', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tuihc-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, TOKEN, { mode: 0o600 });
  const core = await startCore({ dir, config, http: '127.0.0.1:0', args: ['--http-token-file', tokenFile] });
  cores.push(core);
  const c = new HiveClient({ http: { url: core.httpUrl!, token: TOKEN }, readOnly: false });
  clients.push(c);
  c.start();
  await waitFor(() => c.getState().connection.phase === 'live', { what: 'live' });
  assert.equal(c.getState().connection.decisionsOnly, true);
  const { id } = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'gamma' });
  assert.deepEqual(await c.request({ cmd: 'deny', id, note: 'not now' }), { ok: true, response: { version: 1, ok: true } });
  const denied = (await core.request<{ approval: { status: string; note: string; resolved_by: string } }>({ cmd: 'approval', id })).approval;
  assert.deepEqual([denied.status, denied.note, denied.resolved_by], ['denied', 'not now', 'http:127.0.0.1']);
  assert.deepEqual(await c.request({ cmd: 'deny', id }), { ok: false, error: `approval #${id} was already denied` });
  assert.deepEqual(await c.request({ cmd: 'send', to: 'iris', body: 'hi' }), { ok: false, error: 'send is not served over HTTP; use the host socket' });
  await c.fetchApproval(id);
  await waitFor(() => c.getState().approvalDetails[id], { what: 'the approval fetched over HTTP' });
});

// End-to-end: idle connections flooding one agent's socket take no more than their share; the operator and a spawn are unaffected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { AGENT_SOCKET_CONNECTIONS } from './servers/connection-limits.js';

const LIMIT = 256;
let core: RunningCore;
const flood: { socket: net.Socket; text: string; closed: boolean }[] = [];

before(async () => {
  core = await startCore({ config: { agents: { iris: {}, damo: {} } }, openFileLimit: LIMIT });
});
after(async () => {
  for (const c of flood) c.socket.destroy();
  await core.cleanup();
});

function openIdle(socketPath: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const c = { socket: net.createConnection(socketPath), text: '', closed: false };
    c.socket.on('data', (d) => (c.text += d.toString()));
    c.socket.on('close', () => (c.closed = true));
    c.socket.on('error', () => {});
    flood.push(c);
  }
}

const fdCount = () => fs.readdirSync(`/proc/${core.proc.pid}/fd`).length;

test('hundreds of idle connections to one agent socket: a few dozen kept, the rest refused; the operator and the other agents unaffected', async () => {
  openIdle(core.agentSocket('iris'), 400);
  await waitFor(() => flood.filter((c) => c.closed).length === 400 - AGENT_SOCKET_CONNECTIONS, { what: 'the connections over the cap refused' });
  assert.match(flood.find((c) => c.closed)!.text, /iris's socket already has 48 connections; close some and try again/);
  assert.ok(fdCount() < LIMIT / 2, `${fdCount()} descriptors in use`);
  assert.deepEqual((await core.request({ cmd: 'list' })).agents, ['damo', 'iris']);
  assert.equal((await core.agentRequest('damo', { cmd: 'whoami' })).name, 'damo', 'another agent still reaches its socket');
});

test('a spawn approval under that pressure works whole: the new agent answers on its own socket', async () => {
  const { id } = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'scout' });
  const approved = await core.request({ cmd: 'approve', id });
  assert.equal(approved.ok, true, String(approved.error));
  assert.ok((await core.request<{ agents: string[] }>({ cmd: 'list' })).agents.includes('scout'));
  assert.equal((await core.agentRequest('scout', { cmd: 'whoami' })).name, 'scout');
});

test('a spawn whose socket cannot be opened fails as a whole and leaves nothing; it works once the cause is gone', async () => {
  // Something else listens where the new agent's socket would be: opening it fails like a listen that hit EMFILE.
  const socketPath = core.agentSocket('ghost');
  fs.mkdirSync(path.dirname(socketPath), { recursive: true });
  const squatter = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve) => squatter.listen(socketPath, resolve));
  const { id } = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'ghost' });
  const refused = await core.request({ cmd: 'approve', id });
  assert.deepEqual([refused.ok, refused.code], [false, 'unavailable']);
  assert.match(String(refused.error), /could not create ghost: .*in use by another process/);
  assert.ok(!(await core.request<{ agents: string[] }>({ cmd: 'list' })).agents.includes('ghost'), 'no agent');
  assert.equal(fs.existsSync(path.join(core.stateDir, 'agents', 'ghost')), false, 'no state dir');
  const pending = await core.request<{ approvals: { id: number; status: string }[] }>({ cmd: 'pending' });
  assert.equal(pending.approvals.find((a) => a.id === id)!.status, 'failed');
  await new Promise<void>((resolve) => squatter.close(() => resolve()));
  fs.rmSync(path.dirname(socketPath), { recursive: true, force: true });
  const again = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'ghost' });
  assert.equal((await core.request({ cmd: 'approve', id: again.id })).ok, true);
  assert.equal((await core.agentRequest('ghost', { cmd: 'whoami' })).name, 'ghost');
});

// The line server's connection limits on real Unix sockets: a cap per socket, a budget shared by sockets, a first-request deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLineServer } from './line-server.js';
import { ConnectionBudget, agentConnectionBudget, operatorSocketConnections } from './connection-limits.js';
import { waitFor } from '../../testing/hive.js';

async function serve(options: Omit<Parameters<typeof createLineServer>[1], 'log'>, logs: string[] = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ls-'));
  const socketPath = path.join(dir, 's.sock');
  const { server, connections } = createLineServer(() => ({ version: 1, ok: true }), { ...options, log: (m) => logs.push(m) });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return { socketPath, connections, close: () => { server.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** A client connection that records what it got and whether it was closed. */
function client(socketPath: string) {
  const socket = net.createConnection(socketPath);
  const state = { text: '', closed: false, socket };
  socket.on('data', (d) => (state.text += d.toString()));
  socket.on('close', () => (state.closed = true));
  socket.on('error', () => {});
  return state;
}

test('a socket holds at most its cap; the rest are refused at once with a sentence', async () => {
  const logs: string[] = [];
  const s = await serve({ maxConnections: 5, label: "iris's socket" }, logs);
  try {
    const clients = Array.from({ length: 12 }, () => client(s.socketPath));
    await waitFor(() => clients.filter((c) => c.closed).length === 7, { what: 'seven refused' });
    for (const c of clients.filter((c) => c.closed)) {
      const answer = JSON.parse(c.text);
      assert.deepEqual([answer.ok, answer.code], [false, 'unavailable']);
      assert.match(answer.error, /iris's socket already has 5 connections; close some and try again/);
    }
    assert.equal(s.connections.size, 5);
    assert.match(logs[0]!, /refused a connection to iris's socket/);
    const open = clients.find((c) => !c.closed)!;
    open.socket.write('{"cmd":"list"}\n');
    await waitFor(() => open.text.includes('"ok":true'), { what: 'an answer on a kept connection' });
    for (const c of clients) c.socket.destroy();
    await waitFor(() => s.connections.size === 0, { what: 'the slots to be given back' });
    const again = client(s.socketPath);
    again.socket.write('{"cmd":"list"}\n');
    await waitFor(() => again.text.includes('"ok":true'), { what: 'room again' });
    again.socket.destroy();
  } finally {
    s.close();
  }
});

test('sockets sharing a budget hold at most the budget together', async () => {
  const budget = new ConnectionBudget(4);
  const a = await serve({ maxConnections: 10, budget });
  const b = await serve({ maxConnections: 10, budget });
  try {
    const clients = [...Array.from({ length: 3 }, () => client(a.socketPath)), ...Array.from({ length: 3 }, () => client(b.socketPath))];
    await waitFor(() => clients.filter((c) => c.closed).length === 2, { what: 'two refused' });
    assert.equal(a.connections.size + b.connections.size, 4);
    assert.equal(budget.inUse, 4);
    for (const c of clients.filter((c) => c.closed)) assert.match(c.text, /connections for agents are all in use \(4\)/);
    for (const c of clients) c.socket.destroy();
    await waitFor(() => budget.inUse === 0, { what: 'the budget back' });
  } finally {
    a.close();
    b.close();
  }
});

test('a connection that sends no whole request in time is closed with a sentence; one that does stays', async () => {
  const s = await serve({ maxConnections: 10, firstRequestTimeoutMs: 200 });
  try {
    const idle = client(s.socketPath);
    const halfLine = client(s.socketPath);
    halfLine.socket.write('{"cmd":"li');
    const busy = client(s.socketPath);
    busy.socket.write('{"cmd":"list"}\n');
    await waitFor(() => idle.closed && halfLine.closed, { what: 'the idle connections closed' });
    assert.match(idle.text, /no request within 0.2 s of connecting/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(busy.closed, false, 'a connection that asked in time is not timed out later');
    busy.socket.destroy();
  } finally {
    s.close();
  }
});

test('the caps follow the descriptor limit', () => {
  assert.equal(agentConnectionBudget(1024), 512);
  assert.equal(agentConnectionBudget(64), 48);
  assert.equal(operatorSocketConnections(1024), 153);
  assert.equal(operatorSocketConnections(50), 16);
  assert.equal(operatorSocketConnections(1 << 20), 1024);
});

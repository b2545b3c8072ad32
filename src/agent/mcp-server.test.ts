import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LineSplitter, encodeLine } from '../protocol/index.js';
import { AGENT_MAIN } from './test-paths.js';

/** A stand-in agent socket that records requests and answers like the core would. */
async function fakeAgentSocket(dir: string): Promise<{ socketPath: string; requests: Record<string, unknown>[]; close: () => void }> {
  const socketPath = path.join(dir, 'mcp.sock');
  const requests: Record<string, unknown>[] = [];
  const server = net.createServer((sock) => {
    const splitter = new LineSplitter();
    sock.on('data', (chunk) => {
      for (const piece of splitter.push(chunk)) {
        if (piece.kind !== 'line') continue;
        const req = JSON.parse(piece.line) as Record<string, unknown>;
        requests.push(req);
        if (req.cmd === 'send' && req.to === 'nobody') sock.write(encodeLine({ version: 1, ok: false, error: 'no agent named "nobody"', code: 'not_found' }));
        else if (req.cmd === 'send') sock.write(encodeLine({ version: 1, ok: true, id: 41 }));
        else if (req.cmd === 'whoami') sock.write(encodeLine({ version: 1, ok: true, name: 'iris', manager: false, model: 'haiku' }));
        else sock.write(encodeLine({ version: 1, ok: true }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
  return { socketPath, requests, close: () => server.close() };
}

async function connectMcp(args: string[]): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [AGENT_MAIN, 'mcp', ...args], stderr: 'ignore' });
  const client = new Client({ name: 'test', version: '0' });
  await client.connect(transport);
  return client;
}

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { type: string; text: string }[]).map((c) => c.text).join('');
}

test('mcp over stdio: worker tools, forwarding, core errors and bad arguments', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-mcp-'));
  const core = await fakeAgentSocket(dir);
  const client = await connectMcp(['--socket', core.socketPath, '--name', 'iris']);
  try {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(names, ['answer', 'ask', 'cancel_loose_end', 'cancel_question', 'get_loose_ends', 'permission_prompt', 'recv', 'remind', 'schedule_prompt', 'send', 'set_status', 'whoami']);

    const sent = await client.callTool({ name: 'send', arguments: { to: 'manager', body: 'hello' } });
    assert.equal(sent.isError, undefined);
    assert.deepEqual(JSON.parse(text(sent)), { ok: true, id: 41 });
    assert.deepEqual(core.requests.at(-1), { cmd: 'send', to: 'manager', body: 'hello' });

    const refused = await client.callTool({ name: 'send', arguments: { to: 'nobody', body: 'x' } });
    assert.equal(refused.isError, true);
    assert.equal(text(refused), 'send: no agent named "nobody"');

    const before = core.requests.length;
    const bad = await client.callTool({ name: 'ask', arguments: { question: '' } });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /ask: .*question/);
    assert.equal(core.requests.length, before, 'a bad call must not reach the socket');

    const scheduled = await client.callTool({ name: 'schedule_prompt', arguments: { prompt: 'stand-up notes', cron: '0 9 * * 1-5', tz: 'Europe/Berlin' } });
    assert.equal(scheduled.isError, undefined);
    assert.deepEqual(core.requests.at(-1), { cmd: 'schedule_prompt', prompt: 'stand-up notes', cron: '0 9 * * 1-5', tz: 'Europe/Berlin' });
    const tooOften = await client.callTool({ name: 'schedule_prompt', arguments: { prompt: 'x', every_seconds: 5 } });
    assert.equal(tooOften.isError, true);
    assert.match(text(tooOften), /schedule_prompt: .*every_seconds/);

    const loose = await client.callTool({ name: 'get_loose_ends', arguments: {} });
    assert.equal(loose.isError, undefined);
    assert.deepEqual(core.requests.at(-1), { cmd: 'loose_ends' });
  } finally {
    await client.close();
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('mcp: the manager gets the manager tools; an unreachable hive is a clear tool error', async () => {
  const client = await connectMcp(['--socket', '/nonexistent/dir/mcp.sock', '--name', 'manager', '--manager']);
  try {
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const t of ['request_spawn', 'request_apply_commit', 'start', 'stop', 'restart']) assert.ok(names.includes(t), t);
    const res = await client.callTool({ name: 'whoami', arguments: {} });
    assert.equal(res.isError, true);
    assert.match(text(res), /whoami: cannot reach the hive: no hive at \/nonexistent\/dir\/mcp\.sock/);
    // The permission prompt never fails open: an unreachable hive is a deny claude can read.
    const asked = await client.callTool({ name: 'permission_prompt', arguments: { tool_name: 'Bash', input: { command: 'ls' }, tool_use_id: 'toolu_1' } });
    assert.equal(asked.isError, undefined);
    const decision = JSON.parse(text(asked)) as { behavior: string; message: string };
    assert.equal(decision.behavior, 'deny');
    assert.match(decision.message, /could not be asked \(no hive at \/nonexistent\/dir\/mcp\.sock.*\); the tool was not run/);
  } finally {
    await client.close();
  }
});

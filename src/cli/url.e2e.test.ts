// End-to-end: the compiled `hyperhive` ctl with --url against the real core's HTTP API — the read verbs print what they print over the socket, watch follows the SSE stream, and the rest is refused with a sentence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { entries, runProgram, startCore, waitFor, type RunningCore } from '../testing/hive.js';

let core: RunningCore;

before(async () => {
  core = await startCore({ http: '127.0.0.1:0', config: { agents: { iris: {} } } });
});
after(async () => {
  await core?.cleanup();
});

const ctl = (args: string[]) => runProgram(entries.ctl, args, { env: { HYPERHIVE_SOCKET: '/nonexistent/host.sock' } });

test('read verbs over --url answer as over the socket', async () => {
  const spawned = (await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'scout' })).id;
  await core.agentRequest('iris', { cmd: 'ask', question: 'Over HTTP?' });
  await core.request({ cmd: 'schedule_prompt', to: 'iris', prompt: 'tick', every_seconds: 3600 });
  for (const verb of [['status'], ['pending'], ['approval', String(spawned)], ['questions'], ['stats'], ['schedules'], ['schedules', '--all'], ['resources'], ['search', 'scout'], ['messages', '--agent', 'iris']]) {
    const overHttp = await ctl(['--url', core.httpUrl!, '--json', ...verb]);
    const overSocket = await ctl(['--socket', core.hostSocket, '--json', ...verb]);
    assert.equal(overHttp.code, 0, `${verb.join(' ')}: ${overHttp.stderr}`);
    assert.deepEqual(JSON.parse(overHttp.stdout), JSON.parse(overSocket.stdout), verb.join(' '));
  }
  const table = await ctl(['--url', core.httpUrl!, 'status']);
  assert.match(table.stdout, /^NAME\s+STATE[\s\S]*\niris\s+stopped/);
  const missing = await ctl(['--url', core.httpUrl!, 'approval', '999']);
  assert.deepEqual([missing.code, missing.stderr], [1, 'hyperhive: no approval #999\n']);
});

test('watch over --url prints events as they happen', async () => {
  const child = spawn(process.execPath, [entries.ctl, '--url', core.httpUrl!, 'watch', '--kinds', 'sent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await waitFor(async () => {
      await core.request({ cmd: 'send', to: 'iris', body: 'seen over sse' });
      return out.includes('operator → iris: seen over sse');
    }, { what: 'the event in watch' });
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0);
});

test('--url refuses what it does not serve, an unreachable URL, and two hives at once', async () => {
  const approve = await ctl(['--url', core.httpUrl!, 'approve', '1']);
  assert.equal(approve.code, 2);
  assert.match(approve.stderr, /^hyperhive: approve needs the host socket \(--socket\); --url serves status, pending, approval, questions, stats, search, messages, schedules, resources and watch/);
  const nobody = await ctl(['--url', 'http://127.0.0.1:9', 'status']);
  assert.equal(nobody.code, 2);
  assert.match(nobody.stderr, /^hyperhive: (nothing is listening on|cannot reach) http:\/\/127\.0\.0\.1:9/);
  const both = await ctl(['--url', core.httpUrl!, '--socket', core.hostSocket, 'status']);
  assert.deepEqual([both.code, both.stderr.split('\n')[0]], [2, 'hyperhive: --socket and --url each name a hive; give one']);
  const noToken = await ctl(['--url', core.httpUrl!, '--token-file', '/nonexistent/token', 'status']);
  assert.deepEqual([noToken.code, noToken.stderr], [2, 'hyperhive: cannot read the token file /nonexistent/token: no such file\n']);
});

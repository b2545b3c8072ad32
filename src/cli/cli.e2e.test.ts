/**
 * End to end: the compiled `hyperhive` ctl against a real hyperhive-core
 * (external backend) in a temp dir. The test itself acts as the agents on
 * their sockets.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { attachControl, entries, runProgram, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import type { JsonlConnection } from '../protocol/client.js';

interface CtlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let core: RunningCore;

function ctl(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CtlResult> {
  return runProgram(entries.ctl, args, { ...options, env: { HYPERHIVE_SOCKET: core.hostSocket, ...options.env } });
}

// Anything that could move the cursor, retitle the window, write the clipboard or ring the bell.
const HOSTILE = 'pwn\u001b[2J\u001b]0;title\u0007\u001b]52;c;aGk=\u0007\u009b31m\u202eEND';
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function assertTerminalSafe(text: string): void {
  assert.doesNotMatch(text, TERMINAL_UNSAFE, JSON.stringify(text));
}

/** Hold an agent's control subscription (the external backend then counts it as running). */
async function attachAgent(name: string): Promise<{ conn: JsonlConnection; lines: Record<string, unknown>[] }> {
  const { conn } = await attachControl(core.agentSocket(name));
  const lines: Record<string, unknown>[] = [];
  conn.on('line', (line) => lines.push(line));
  return { conn, lines };
}

before(async () => {
  core = await startCore({ config: { manager: 'boss', agents: { boss: {}, iris: { parent: 'boss' }, zed: {} } } });
});

after(async () => {
  await core?.cleanup();
  // The watch test restarts the core on the same dir, which `cleanup` then leaves in place.
  if (core) rmSync(core.dir, { recursive: true, force: true });
});

test('status shows the roster with hostile status text sanitized; --json is the verbatim response', async () => {
  const iris = await attachAgent('iris');
  try {
    assert.equal((await core.agentRequest('iris', { cmd: 'set_status', text: `busy ${HOSTILE}` })).ok, true);
    const human = await ctl(['status']);
    assert.equal(human.code, 0, human.stderr);
    assertTerminalSafe(human.stdout);
    const lines = human.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+STATE\s+TURN/);
    const irisLine = lines.find((l) => l.startsWith('iris '));
    assert.match(irisLine!, /^iris\s+running\s+idle \d+s\s+haiku\s+.*busy pwn.*END$/);
    assert.match(lines.find((l) => l.startsWith('zed '))!, /^zed\s+stopped\s/);

    const json = await ctl(['status', '--json']);
    assert.equal(json.code, 0);
    assertTerminalSafe(json.stdout.replace(/\n$/, ''));
    const response = JSON.parse(json.stdout) as { ok: boolean; agent_statuses: Array<{ name: string; status_text?: string }> };
    assert.equal(response.ok, true);
    assert.equal(response.agent_statuses.find((r) => r.name === 'iris')!.status_text, `busy ${HOSTILE}`);

    const list = await ctl(['list']);
    assert.deepEqual(list.stdout.trim().split('\n'), ['boss', 'iris', 'zed']);
  } finally {
    iris.conn.close();
  }
});

test('spawn, pending, approval, approve; a second resolution is refused with exit 1', async () => {
  const spawned = await ctl(['spawn', 'scout', '--description', `needs ${HOSTILE}`]);
  assert.equal(spawned.code, 0, spawned.stderr);
  const id = Number(/approval #(\d+)/.exec(spawned.stdout)![1]);

  const pending = await ctl(['pending']);
  assert.equal(pending.code, 0);
  assertTerminalSafe(pending.stdout);
  assert.match(pending.stdout, new RegExp(`^#${id}\\s+scout\\s+spawn\\s+pending\\s+\\d+s\\s+needs pwn.*END$`, 'm'));

  const detail = await ctl(['approval', String(id)]);
  assert.equal(detail.code, 0);
  assert.match(detail.stdout, new RegExp(`^approval #${id}  spawn for scout  pending`));
  assertTerminalSafe(detail.stdout);

  const approved = await ctl(['approve', String(id)]);
  assert.equal(approved.code, 0, approved.stderr);
  assert.equal(approved.stdout, `approved #${id}\n`);
  const resolved = JSON.parse((await ctl(['approval', String(id), '--json'])).stdout) as { approval: { status: string; resolved_by?: string } };
  assert.equal(resolved.approval.status, 'approved');

  const again = await ctl(['deny', String(id), '--note', 'too late']);
  assert.equal(again.code, 1);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, new RegExp(`^hyperhive: approval #${id} was already approved\\n$`));

  const againJson = await ctl(['--json', 'approve', String(id)]);
  assert.equal(againJson.code, 1);
  assert.deepEqual(JSON.parse(againJson.stdout), { version: 1, ok: false, error: `approval #${id} was already approved`, code: 'conflict' });

  const missing = await ctl(['approval', '9999']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no approval #9999/);
});

test('questions and answer: hostile question sanitized, answer reaches the asker, second answer refused', async () => {
  const asked = await core.agentRequest<{ id: number }>('iris', { cmd: 'ask', question: `ship ${HOSTILE}?`, options: ['yes', 'no'] });
  const questions = await ctl(['questions']);
  assert.equal(questions.code, 0);
  assertTerminalSafe(questions.stdout);
  assert.match(questions.stdout, new RegExp(`^#${asked.id}\\s+iris\\s+operator\\s+\\d+s\\s+in \\d+h\\s+ship pwn.*END\\? \\[yes \\| no\\]$`, 'm'));

  const answered = await ctl(['answer', String(asked.id), 'yes']);
  assert.equal(answered.code, 0, answered.stderr);
  assert.equal(answered.stdout, `answered question #${asked.id}\n`);
  const inbox = await core.agentRequest<{ messages: Array<{ from: string; body: string }> }>('iris', { cmd: 'recv', wait_ms: 0, max: 100 });
  const helper = inbox.messages.map((m) => JSON.parse(m.body) as { event?: string; id?: number; answer?: string }).find((b) => b.event === 'question_answered' && b.id === asked.id);
  assert.equal(helper?.answer, 'yes');

  assert.doesNotMatch((await ctl(['questions'])).stdout, new RegExp(`^#${asked.id}\\s`, 'm'));
  assert.match((await ctl(['questions', '--all'])).stdout, new RegExp(`^#${asked.id}\\s.*answered\\s+ship .*→ yes \\(operator\\)$`, 'm'));

  const twice = await ctl(['answer', String(asked.id), 'no']);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /already answered/);
});

test('send puts text (from args or stdin) in an agent inbox; an unknown agent is refused', async () => {
  const sent = await ctl(['send', 'zed', 'hello', 'there']);
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(sent.stdout, /^sent #\d+ to zed\n$/);
  const piped = await ctl(['send', 'zed', '-'], { stdin: 'line one\nline two\n' });
  assert.equal(piped.code, 0, piped.stderr);
  const inbox = await core.agentRequest<{ messages: Array<{ from: string; body: string }> }>('zed', { cmd: 'recv', wait_ms: 0, max: 100 });
  assert.deepEqual(inbox.messages.map((m) => [m.from, m.body]), [['operator', 'hello there'], ['operator', 'line one\nline two']]);

  const broadcast = await ctl(['send', '*', 'all hands']);
  assert.equal(broadcast.code, 0, broadcast.stderr);
  assert.match(broadcast.stdout, /^broadcast from #\d+ to \d+ agents\n$/);
  const zedInbox = await core.agentRequest<{ messages: Array<{ body: string }> }>('zed', { cmd: 'recv', wait_ms: 0, max: 100 });
  assert.ok(zedInbox.messages.some((m) => m.body.endsWith('all hands')));

  const unknown = await ctl(['send', 'nobody', 'hi']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'hyperhive: no agent named "nobody"\n');
  const tooBig = await ctl(['send', 'zed', '-'], { stdin: 'x'.repeat(70 * 1024) });
  assert.equal(tooBig.code, 1);
  assert.match(tooBig.stderr, /larger than 64 KiB/);
});

test('inbox shows hostile agent text sanitized and --mark-read marks it', async () => {
  await core.agentRequest('iris', { cmd: 'send', to: 'operator', body: `report ${HOSTILE}` });
  const inbox = await ctl(['inbox']);
  assert.equal(inbox.code, 0);
  assertTerminalSafe(inbox.stdout);
  assert.match(inbox.stdout, /^\*#\d+\s+iris\s+\d+s\s+report pwn.*END$/m);
  const marked = await ctl(['inbox', '--mark-read']);
  assert.equal(marked.code, 0, marked.stderr);
  assert.match(marked.stdout, /marked 1 read\n$/);
  const after = JSON.parse((await ctl(['inbox', '--json'])).stdout) as { messages: Array<{ read: boolean }> };
  assert.ok(after.messages.length > 0 && after.messages.every((m) => m.read));
});

test('stats lists turns with totals, filtered by agent', async () => {
  const row = {
    model: 'haiku', wake_from: 'operator', result_kind: 'ok', started_at: 1000, ended_at: 1012, duration_ms: 12_000,
    input_tokens: 10, output_tokens: 300, cache_read_input_tokens: 2000, cache_creation_input_tokens: 0, cost_usd: 0.05,
    tool_call_count: 3, tool_calls: { send: 3 }, open_threads_count: 0, open_reminders_count: 0,
  };
  await core.agentRequest('iris', { cmd: 'turn_stat', row });
  await core.agentRequest('iris', { cmd: 'turn_stat', row: { ...row, result_kind: 'failed', cost_usd: 0.01 } });
  await core.agentRequest('zed', { cmd: 'turn_stat', row });
  const stats = await ctl(['stats', '--agent', 'iris']);
  assert.equal(stats.code, 0, stats.stderr);
  const lines = stats.stdout.trimEnd().split('\n');
  assert.equal(lines.filter((l) => /^#\d+\s+iris\s/.test(l)).length, 2);
  assert.equal(lines.filter((l) => /\bzed\b/.test(l)).length, 0);
  assert.match(lines.at(-1)!, /^iris\s+2\s+1\s+24\.0s\s+\$0\.0600\s+4\.0k\s+600\s+6$/);
});

test('pause, resume and control reach the agent; refusals for a stopped agent exit 1', async () => {
  const zed = await attachAgent('zed');
  try {
    assert.equal((await ctl(['pause', 'zed'])).code, 0);
    await waitFor(() => zed.lines.some((l) => l.action === 'pause'), { what: 'pause on the control channel' });
    const paused = JSON.parse((await ctl(['status', '--json'])).stdout) as { agent_statuses: Array<{ name: string; paused: boolean }> };
    assert.equal(paused.agent_statuses.find((r) => r.name === 'zed')!.paused, true);
    assert.match((await ctl(['status'])).stdout, /^zed\s+paused\s/m);
    assert.equal((await ctl(['resume', 'zed'])).stdout, 'resumed zed\n');

    // A model the hive does not take is refused by the core, with the valid choices, and never reaches the agent.
    const badModel = await ctl(['control', 'zed', 'set-model', 'not-a-model']);
    assert.equal(badModel.code, 1);
    assert.equal(badModel.stderr, 'hyperhive: unknown model "not-a-model": this hive takes fable, opus, sonnet, haiku or a full claude-… name\n');
    const control = await ctl(['control', 'zed', 'set-model', 'opus']);
    assert.equal(control.code, 0, control.stderr);
    const line = await waitFor(() => zed.lines.find((l) => l.action === 'set_model'), { what: 'set_model on the control channel' });
    assert.equal(line.model, 'opus');
    assert.equal(zed.lines.filter((l) => l.action === 'set_model').length, 1, 'the refused model was never sent');
    assert.match(String(line.actor), /^[^@\s]+@\S+/);
  } finally {
    zed.conn.close();
  }
  await waitFor(async () => !(JSON.parse((await ctl(['status', '--json'])).stdout) as { agent_statuses: Array<{ name: string; running: boolean }> }).agent_statuses.find((r) => r.name === 'zed')!.running, { what: 'zed to stop running' });
  const refused = await ctl(['control', 'zed', 'compact']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^hyperhive: zed is not running/);
  const start = await ctl(['start', 'zed']);
  assert.equal(start.code, 0, 'the external backend records the wish');
  assert.equal(start.stdout, 'started zed\n');
  const zedRow = (JSON.parse((await ctl(['status', '--json'])).stdout) as { agent_statuses: Array<{ name: string; running: boolean }> }).agent_statuses.find((r) => r.name === 'zed')!;
  assert.equal(zedRow.running, false, 'it runs once its harness attaches');
});

test('the read-only socket refuses mutations with exit 1 and answers reads', async () => {
  const env = { HYPERHIVE_SOCKET: core.readOnlySocket };
  const refused = await ctl(['approve', '1'], { env });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /not allowed on the read-only socket/);
  assert.equal((await ctl(['pending'], { env })).code, 0);
});

test('unreachable core: exit 2 with a sentence naming where it looked', async () => {
  const viaEnv = await ctl(['status'], { env: { HYPERHIVE_SOCKET: '/nonexistent/host.sock' } });
  assert.equal(viaEnv.code, 2);
  assert.equal(viaEnv.stdout, '');
  assert.match(viaEnv.stderr, /^hyperhive: no hive at \/nonexistent\/host\.sock — is hyperhive-core running\? \(socket from \$HYPERHIVE_SOCKET\)\n$/);
  const viaFlag = await ctl(['--socket', '/nonexistent/other.sock', 'watch']);
  assert.equal(viaFlag.code, 2);
  assert.match(viaFlag.stderr, /no hive at \/nonexistent\/other\.sock .*\(socket from --socket\)/);
});

test('usage errors exit 2 with a usage line and send nothing', async () => {
  const before = JSON.parse((await ctl(['pending', '--json'])).stdout) as { approvals: unknown[] };
  for (const args of [['approve'], ['approve', 'seven'], ['frobnicate'], ['send', 'Bad/Name', 'x'], ['deny', '1', '--bogus']]) {
    const result = await ctl(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, /^hyperhive: .+\nusage: hyperhive/, args.join(' '));
    assert.equal(result.stdout, '');
  }
  const afterwards = JSON.parse((await ctl(['pending', '--json'])).stdout) as { approvals: unknown[] };
  assert.deepEqual(afterwards, before);
  const help = await ctl(['help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /approve <id>/);
});

/** Start `hyperhive watch` and collect its output as it arrives. */
function startWatch(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [entries.ctl, 'watch', ...args], { env: { ...process.env, HYPERHIVE_SOCKET: core.hostSocket }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

test('watch prints dashboard events, resumes after the core restarts without repeats, Ctrl-C exits 0', async () => {
  const watch = startWatch(['--json', '--kinds', 'sent,operator_message']);
  try {
    await waitFor(async () => {
      await core.request({ cmd: 'send', to: 'zed', body: 'first' });
      return watch.out().includes('"body":"first"');
    }, { what: 'the first event in watch output' });

    await core.stop();
    core = await startCore({ dir: core.dir });
    await waitFor(() => /connection to the core was lost/.test(watch.err()), { what: 'the lost-connection notice' });
    await waitFor(async () => {
      await core.agentRequest('iris', { cmd: 'send', to: 'operator', body: `second ${HOSTILE}` });
      return watch.out().includes('"kind":"operator_message"');
    }, { timeoutMs: 15_000, what: 'an event after the restart' });
    assert.match(watch.err(), /reconnected; resuming after seq \d+/);

    const events = watch.out().trim().split('\n').map((l) => JSON.parse(l) as { kind: string; seq: number });
    const seqs = events.map((e) => e.seq);
    assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'seqs strictly increase, no repeats');
    assert.ok(events.every((e) => e.kind === 'sent' || e.kind === 'operator_message'));
  } finally {
    watch.child.kill('SIGINT');
  }
  assert.equal(await watch.exit, 0);
});

test('watch in human form prints one sanitized line per event', async () => {
  const watch = startWatch(['--kinds', 'operator_message']);
  try {
    await waitFor(async () => {
      await core.agentRequest('iris', { cmd: 'send', to: 'operator', body: `multi\nline ${HOSTILE}` });
      return watch.out().includes('END');
    }, { what: 'a human watch line' });
    const line = watch.out().split('\n').find((l) => l.includes('END'))!;
    assert.match(line, /^\d\d:\d\d:\d\d +\d+  operator_message +#\d+ from iris: multi line pwn.*END$/);
    assertTerminalSafe(watch.out());
  } finally {
    watch.child.kill('SIGINT');
  }
  assert.equal(await watch.exit, 0);
});

test('watch that falls behind is lagged by the core, says so, and resumes without gaps', async () => {
  const watch = startWatch(['--kinds', 'sent']);
  const conn = await core.connect();
  try {
    // Live once one of these reaches it (the first may be sent before it subscribed; an event can arrive after its send's answer).
    await waitFor(async () => {
      await conn.request({ cmd: 'send', to: 'zed', body: 'lag-warmup' });
      return watch.out().includes('operator → zed: lag-warmup');
    }, { what: 'watch to be live' });
    const marker = (await conn.request<{ id: number }>({ cmd: 'send', to: 'zed', body: 'lag-start' })).id;
    await waitFor(() => watch.out().includes(`#${marker} operator → zed: lag-start`), { what: 'the start marker' });
    // Stop the reader, then queue more than the core's 8 MiB per-subscriber buffer.
    watch.child.kill('SIGSTOP');
    const body = 'x'.repeat(60 * 1024);
    const ids: number[] = [];
    for (let i = 0; i < 160; i++) ids.push((await conn.request<{ id: number }>({ cmd: 'send', to: 'zed', body })).id);
    watch.child.kill('SIGCONT');
    await waitFor(() => watch.out().includes(`#${ids.at(-1)} operator → zed`), { timeoutMs: 20_000, what: 'the last event after resuming' });
    assert.match(watch.err(), /fell behind the core \(lagged at seq \d+\); resuming after seq \d+/);
    const shown = [...watch.out().matchAll(/ sent +#(\d+) operator → zed/g)].map((m) => Number(m[1])).filter((id) => id >= marker);
    assert.deepEqual(shown, [marker, ...ids], 'every event once, in order');
  } finally {
    conn.close();
    watch.child.kill('SIGCONT');
    watch.child.kill('SIGINT');
  }
  assert.equal(await watch.exit, 0);
});

test('watch with a kind the core does not know is refused with exit 1', async () => {
  const refused = await ctl(['watch', '--kinds', 'sent,bogus']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^hyperhive: bad subscribe request: .*kinds/);
});

test('cancel-question withdraws a question; stop and version answer', async () => {
  const asked = await core.agentRequest<{ id: number }>('zed', { cmd: 'ask', question: 'still needed?' });
  const cancelled = await ctl(['cancel-question', `#${asked.id}`]);
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.equal(cancelled.stdout, `cancelled question #${asked.id}\n`);
  const all = JSON.parse((await ctl(['questions', '--json'])).stdout) as { questions: Array<{ id: number; answer?: string; cancelled?: boolean }> };
  const q = all.questions.find((x) => x.id === asked.id)!;
  assert.equal(q.cancelled, true);
  assert.equal(q.answer, '[cancelled]');

  const stopped = await ctl(['stop', '--all']);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.equal(stopped.stdout, 'stopped all agents\n');
  const version = await ctl(['--version']);
  assert.match(version.stdout, /^hyperhive \d+\.\d+\.\d+\n$/);
});

// End-to-end: the daemon's life — config errors, one core per runtime dir, clean stop, crash safety.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startCore, entries, waitFor } from '../testing/hive.js';

function runCore(args: string[]): { status: number | null; stderr: string } {
  const res = spawnSync(process.execPath, [entries.core, ...args], { encoding: 'utf8', timeout: 15_000 });
  return { status: res.status, stderr: res.stderr };
}

test('a bad config is a one-line error naming the field, with a non-zero exit', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-'));
  const cases: [unknown, RegExp][] = [
    [{ name: 'x', agents: { Bad: {} } }, /field "agents\.Bad": agent name "Bad" may only use/],
    [{ name: 'x', backend: 'docker' }, /field "backend"/],
    [{ name: 'x', agents: { iris: { model: 7 } } }, /field "agents\.iris\.model"/],
    [{ name: 'x', manager: 'ghost' }, /field "manager": manager "ghost" is not an agent/],
    [{ agents: {} }, /field "name"/],
  ];
  for (const [config, error] of cases) {
    const file = path.join(dir, 'hive.json');
    fs.writeFileSync(file, JSON.stringify(config));
    const res = runCore(['--config', file, '--runtime-dir', path.join(dir, 'run'), '--state-dir', path.join(dir, 'state')]);
    assert.equal(res.status, 1);
    assert.match(res.stderr, error);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
  }
  fs.writeFileSync(path.join(dir, 'broken.json'), '{ nope');
  assert.match(runCore(['--config', path.join(dir, 'broken.json')]).stderr, /not valid JSON/);
  assert.match(runCore(['--config', path.join(dir, 'missing.json')]).stderr, /cannot read config .*no such file/);
  assert.equal(runCore(['--bogus']).status, 2);
  fs.writeFileSync(path.join(dir, 'good.json'), JSON.stringify({ name: 'x' }));
  const badHttp = runCore(['--config', path.join(dir, 'good.json'), '--http', 'everywhere']);
  assert.match(badHttp.stderr, /--http: expected HOST:PORT/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('sockets have their modes; a second core on the same runtime dir refuses; SIGTERM cleans up', async () => {
  const core = await startCore({ config: { agents: { iris: {} } } });
  try {
    assert.equal(fs.statSync(core.hostSocket).mode & 0o777, 0o660);
    assert.equal(fs.statSync(core.runtimeDir).mode & 0o777, 0o751);
    assert.equal(fs.statSync(core.agentSocket('iris')).mode & 0o777, 0o600);
    const second = runCore(['--config', core.configPath, '--state-dir', core.stateDir, '--runtime-dir', core.runtimeDir]);
    assert.equal(second.status, 1);
    assert.match(second.stderr, new RegExp(`another hyperhive-core \\(pid ${core.proc.pid}, state dir ${core.stateDir}\\) is already running on ${core.runtimeDir}`));
    assert.equal((await core.request({ cmd: 'list' })).ok, true, 'the first core is untouched');
    assert.equal(await core.stop(), 0);
    assert.ok(!fs.existsSync(core.hostSocket));
    assert.ok(!fs.existsSync(core.agentSocket('iris')));
    // The lock file stays (removing it would let two cores lock different files); who held it goes.
    assert.ok(!fs.existsSync(path.join(core.runtimeDir, 'core.owner')));
  } finally {
    await core.cleanup();
  }
});

test('a crash loses no committed state; stale sockets are replaced; due reminders arrive after the restart', async () => {
  const first = await startCore({ config: { agents: { iris: {} } } });
  const dir = first.dir;
  try {
    const sent = await first.request<{ id: number }>({ cmd: 'send', to: 'iris', body: 'survive this' });
    const spawn = await first.request<{ id: number }>({ cmd: 'request_spawn', name: 'later' });
    await first.agentRequest('iris', { cmd: 'remind', message: 'after the crash', delay_seconds: 1 });
    const seqBefore = (await first.request<{ seq: number }>({ cmd: 'state' })).seq;
    first.proc.kill('SIGKILL');
    await waitFor(() => first.proc.exitCode !== null || first.proc.signalCode !== null, { what: 'the core to die' });
    assert.ok(fs.existsSync(first.hostSocket), 'a stale socket file is left behind');
    const second = await startCore({ dir });
    try {
      const state = await second.request<{ seq: number; approvals: { id: number; status: string }[] }>({ cmd: 'state' });
      assert.ok(state.seq >= seqBefore, 'seq survives the restart');
      assert.equal(state.approvals.find((a) => a.id === spawn.id)!.status, 'pending');
      // A slow restart may find the reminder due already, in the same recv as the message.
      const received: { id: number; body: string; from: string }[] = [];
      const reminder = await waitFor(
        async () => {
          const res = await second.agentRequest<{ messages: { id: number; from: string; body: string }[] }>('iris', { cmd: 'recv', wait_ms: 2000, max: 10 });
          received.push(...res.messages);
          return received.find((m) => m.from === 'reminder');
        },
        { what: 'the reminder', timeoutMs: 10_000 },
      );
      assert.equal(received[0]!.id, sent.id, 'the message sent before the crash comes first');
      assert.equal(reminder.body, 'after the crash');
    } finally {
      await second.cleanup();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('seq never goes back: destroy --purge of the agent with the newest events, then a restart', async () => {
  const first = await startCore({ config: { agents: { iris: {}, bob: {} } } });
  const dir = first.dir;
  try {
    await first.agentRequest('iris', { cmd: 'emit', events: [{ kind: 'note', text: 'older' }] });
    const newest = await first.agentRequest<{ last_seq: number }>('bob', { cmd: 'emit', events: [{ kind: 'note', text: 'x' }, { kind: 'note', text: 'y' }] });
    assert.equal((await first.request({ cmd: 'destroy', name: 'bob', purge: true })).ok, true);
    const dashboardSeq = (await first.request<{ seq: number }>({ cmd: 'state' })).seq;
    assert.equal(await first.stop(), 0);
    const second = await startCore({ dir, config: { name: 'test', backend: 'external', agents: { iris: {} } } });
    try {
      const next = await second.agentRequest<{ first_seq: number }>('iris', { cmd: 'emit', events: [{ kind: 'note', text: 'after' }] });
      assert.equal(next.first_seq, newest.last_seq + 1, 'the purged events\' seqs are never handed out again');
      const state = await second.request<{ seq: number }>({ cmd: 'state' });
      assert.ok(state.seq >= dashboardSeq, 'the dashboard channel does not go back either');
    } finally {
      await second.cleanup();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// End-to-end: the real hyperhive-core with `backend: "nixos-container"` and the fake
// nixos-container on PATH, driven through host.sock; and, in process, an update that hangs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCore, repoRoot, waitFor, entries, type RunningCore } from '../../testing/hive.js';
import { startDaemon } from '../daemon.js';
import { parseHiveConfig, type AgentStatusRow, type Approval, type TurnStat } from '../../protocol/index.js';

const FAKE = path.join(repoRoot, 'fixtures', 'fake-nixos-container.mjs');
const FAKE_CLAUDE = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');

/** A temp dir with `bin/nixos-container` (the fake) and the fake's state dir. */
function fakeOnPath() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ncbin-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.symlinkSync(FAKE, path.join(dir, 'bin', 'nixos-container'));
  const fakeDir = path.join(dir, 'fake');
  fs.mkdirSync(fakeDir);
  const calls = () =>
    fs
      .readFileSync(path.join(fakeDir, 'calls.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { argv: string[] }).argv)
      .filter((argv) => argv[0] !== 'status');
  return {
    dir,
    fakeDir,
    env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, FAKE_NIXOS_CONTAINER_DIR: fakeDir },
    calls,
    behave: (b: object) => fs.writeFileSync(path.join(fakeDir, 'behaviour.json'), JSON.stringify(b)),
    containerUp: (name: string) => {
      try {
        process.kill(Number(fs.readFileSync(path.join(fakeDir, 'containers', name, 'pid'), 'utf8')), 0);
        return true;
      } catch {
        return false;
      }
    },
  };
}

const row = async (core: RunningCore, name: string) =>
  (await core.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' })).agent_statuses.find((r) => r.name === name);

test('spawn, approve, run a turn, stop, start, destroy: all through host.sock, each a nixos-container command', async () => {
  const fake = fakeOnPath();
  const core = await startCore({
    env: fake.env,
    config: {
      backend: 'nixos-container',
      nixos_container: { conf_dir: path.join(fake.fakeDir, 'etc'), status_poll_seconds: 1 },
      agent_template: { command: [process.execPath, FAKE_CLAUDE], env: { FAKE_CLAUDE_PACE_MS: '0', FAKE_CLAUDE_NO_TOOLS: '1' } },
    },
  });
  try {
    const spawn = await core.request<{ ok: boolean; id: number }>({ cmd: 'request_spawn', name: 'iris' });
    assert.equal(spawn.ok, true);
    assert.deepEqual(await core.request({ cmd: 'approve', id: spawn.id }), { version: 1, ok: true });
    const nixFile = path.join(core.stateDir, 'containers', 'h-iris.nix');
    assert.deepEqual(fake.calls(), [
      ['create', 'h-iris', '--config-file', nixFile],
      ['start', 'h-iris'],
    ]);
    assert.match(fs.readFileSync(path.join(fake.fakeDir, 'etc', 'h-iris.conf'), 'utf8'), new RegExp(`--bind=${core.runtimeDir}/agents/iris:/run/hive `));
    assert.equal((await row(core, 'iris'))?.running, true);

    // The harness in the container reaches the core through the bind-mounted socket and runs a turn.
    await core.request({ cmd: 'send', to: 'iris', body: 'hello in there' });
    const stats = await waitFor(
      async () => (await core.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats[0],
      { what: 'a turn in the container', timeoutMs: 30_000 },
    );
    assert.equal(stats.result_kind, 'ok');

    assert.equal((await core.request({ cmd: 'stop', scope: { agent_names: ['iris'] } })).ok, true, 'a graceful stop: the harness is asked first');
    assert.deepEqual(fake.calls().at(-1), ['stop', 'h-iris']);
    assert.equal((await row(core, 'iris'))?.running, false);
    assert.equal(fake.containerUp('h-iris'), false);
    assert.equal((await core.request({ cmd: 'start', scope: { agent_names: ['iris'] } })).ok, true);
    assert.equal((await row(core, 'iris'))?.running, true);

    assert.equal((await core.request({ cmd: 'destroy', name: 'iris', purge: false })).ok, true);
    assert.deepEqual(fake.calls().at(-1), ['destroy', 'h-iris']);
    assert.deepEqual((await core.request<{ agents: string[] }>({ cmd: 'list' })).agents, []);
    assert.ok(!fs.existsSync(path.join(fake.fakeDir, 'etc', 'h-iris.conf')));
    assert.ok(fs.existsSync(path.join(core.stateDir, 'agents', 'iris')), 'state kept without purge');
  } finally {
    await core.cleanup();
    fs.rmSync(fake.dir, { recursive: true, force: true });
  }
});

test('a failing create fails the approval with its error and leaves no agent; a container that cannot start shows failed', async () => {
  const fake = fakeOnPath();
  const core = await startCore({
    env: fake.env,
    config: { backend: 'nixos-container', nixos_container: { conf_dir: path.join(fake.fakeDir, 'etc') }, agent_template: { command: [process.execPath, FAKE_CLAUDE] } },
  });
  try {
    fake.behave({ create: { fail: 'error: undefined variable \u2018claude-code\u2019' } });
    const { id } = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'iris' });
    const refused = await core.request<{ ok: boolean; code: string; error: string }>({ cmd: 'approve', id });
    assert.equal(refused.ok, false);
    assert.equal(refused.code, 'unavailable');
    assert.match(refused.error, /approval #\d+ failed: could not create iris: nixos-container create h-iris failed \(exit code 1\): .*undefined variable ‘claude-code’/);
    const approval = (await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.id === id)!;
    assert.equal(approval.status, 'failed');
    assert.match(approval.note ?? '', /undefined variable ‘claude-code’/);
    assert.deepEqual((await core.request<{ agents: string[] }>({ cmd: 'list' })).agents, [], 'no half-created agent');
    assert.ok(!fs.existsSync(path.join(core.stateDir, 'agents', 'iris')));
    assert.ok(!fs.existsSync(path.join(core.runtimeDir, 'agents', 'iris')));
    assert.deepEqual(fs.readdirSync(path.join(fake.fakeDir, 'etc')), []);
    const state = await core.request<{ transients: object }>({ cmd: 'state' });
    assert.deepEqual(state.transients, {});
    // The same name can be spawned again once the cause is fixed.
    fake.behave({ 'start:h-iris': { fail: 'failed to start container' } });
    const again = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'iris' });
    const started = await core.request<{ ok: boolean; error: string }>({ cmd: 'approve', id: again.id });
    assert.equal(started.ok, false);
    assert.match(started.error, /created iris but could not start it: nixos-container start h-iris failed \(exit code 1\): nixos-container: failed to start container/);
    const failedRow = await row(core, 'iris');
    assert.equal(failedRow?.failed, true);
    assert.equal(failedRow?.running, false);
    fake.behave({});
    assert.equal((await core.request({ cmd: 'start', scope: { agent_names: ['iris'] } })).ok, true);
    assert.equal((await row(core, 'iris'))?.failed, false);
  } finally {
    await core.cleanup();
    fs.rmSync(fake.dir, { recursive: true, force: true });
  }
});

test('a core that stops stops its containers; the next core starts them again', async () => {
  const fake = fakeOnPath();
  const config = { backend: 'nixos-container', nixos_container: { conf_dir: path.join(fake.fakeDir, 'etc') }, agents: { iris: { command: [process.execPath, FAKE_CLAUDE] } } };
  const core = await startCore({ env: fake.env, config });
  try {
    await waitFor(async () => (await row(core, 'iris'))?.running, { what: 'iris up at core start' });
    assert.equal(fake.containerUp('h-iris'), true);
    assert.equal(await core.stop(), 0);
    assert.equal(fake.containerUp('h-iris'), false, 'no harness outlives its core');
    const again = await startCore({ env: fake.env, dir: core.dir });
    await waitFor(async () => (await row(again, 'iris'))?.running, { what: 'iris up again' });
    assert.equal(fake.calls().filter((c) => c[0] === 'create').length, 1, 'the container is reused, not created twice');
    await again.cleanup();
  } finally {
    await core.cleanup();
    fs.rmSync(fake.dir, { recursive: true, force: true });
  }
});

test('an agent whose container cannot be built does not keep the hive down: its row shows failed', async () => {
  const fake = fakeOnPath();
  fake.behave({ 'create:h-broken': { fail: 'error: builder for system.drv failed' } });
  const command = [process.execPath, FAKE_CLAUDE];
  const core = await startCore({
    env: fake.env,
    config: { backend: 'nixos-container', nixos_container: { conf_dir: path.join(fake.fakeDir, 'etc') }, agents: { broken: { command }, iris: { command } } },
  });
  try {
    await waitFor(async () => (await row(core, 'iris'))?.running, { what: 'iris up' });
    const broken = await row(core, 'broken');
    assert.equal(broken?.failed, true);
    assert.equal(broken?.running, false);
    assert.match(core.stderr(), /could not start broken: nixos-container create h-broken failed \(exit code 1\): .*builder for system\.drv failed/);
  } finally {
    await core.cleanup();
    fs.rmSync(fake.dir, { recursive: true, force: true });
  }
});

test('an update that hangs ends as a timeout error, with its transient cleared and the container as it was', async () => {
  const fake = fakeOnPath();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ncupd-'));
  const parsed = parseHiveConfig({
    name: 't',
    backend: 'nixos-container',
    nixos_container: { command: FAKE, conf_dir: path.join(fake.fakeDir, 'etc'), timeouts: { create_seconds: 60, update_seconds: 1, start_seconds: 60, stop_seconds: 60, destroy_seconds: 60, status_seconds: 60 } },
    agents: { iris: { command: [process.execPath, FAKE_CLAUDE] } },
  });
  assert.ok(parsed.ok);
  process.env.FAKE_NIXOS_CONTAINER_DIR = fake.fakeDir;
  const daemon = await startDaemon({
    config: parsed.config,
    stateDir: path.join(dir, 'state'),
    runtimeDir: path.join(dir, 'run'),
    agentEntry: entries.agent,
    log: () => {},
  });
  try {
    fake.behave({ update: { hang: true } });
    const seqBefore = daemon.hive.dashboard.currentSeq;
    const result = await daemon.hive.lifecycle.update('iris');
    assert.ok(result !== true);
    assert.match(result.error, /^iris: nixos-container update h-iris did not finish within 1 s and was stopped; h-iris was left as it was/);
    assert.deepEqual(daemon.hive.snapshot().transients, {});
    const kinds = (daemon.hive.dashboard.replay(seqBefore, null) ?? [])
      .map((line) => JSON.parse(line) as { kind: string; transient_kind?: string })
      .filter((e) => e.kind.startsWith('transient_'));
    assert.deepEqual(kinds.map((e) => [e.kind, e.transient_kind]), [['transient_set', 'rebuilding'], ['transient_cleared', undefined]]);
    assert.equal(daemon.hive.status.list()[0]?.running, true, 'the container still runs');
  } finally {
    await daemon.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(fake.dir, { recursive: true, force: true });
  }
});

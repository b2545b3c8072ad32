// The nixos-container backend against fixtures/fake-nixos-container.mjs, which
// records its argv, keeps container state in a temp dir and can fail or hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseHiveConfig, type AgentConfig, type ControlMessage } from '../../protocol/index.js';
import type { LifecycleHost } from './backend.js';
import { NixosContainerBackend } from './nixos-container.js';
import { containerName } from './container-name.js';
import { parseContainerNix } from './container-files.js';
import { repoRoot, waitFor } from '../../testing/hive.js';

const FAKE = path.join(repoRoot, 'fixtures', 'fake-nixos-container.mjs');

// The container's harness: records how it was started (as the fake maps paths), then waits.
const FAKE_AGENT = `
const fs = require('node:fs');
process.on('SIGTERM', () => process.exit(0));
fs.appendFileSync(process.env.FAKE_AGENT_OUT, JSON.stringify({ argv: process.argv.slice(2), home: process.env.HOME, cwd: process.cwd() }) + '\\n');
setInterval(() => {}, 1000);
`;

type Behaviour = Record<string, { fail?: string; hang?: boolean }>;

function setup(options: { stateDir?: string; timeouts?: Record<string, number>; command?: string; repos?: boolean } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-nc-'));
  const fakeDir = path.join(dir, 'fake');
  const stateDir = options.stateDir ?? path.join(dir, 'state');
  const runtimeDir = path.join(dir, 'run');
  const entry = path.join(dir, 'fake-agent.cjs');
  const out = path.join(dir, 'starts.jsonl');
  fs.writeFileSync(entry, FAKE_AGENT);
  fs.mkdirSync(fakeDir);
  process.env.FAKE_NIXOS_CONTAINER_DIR = fakeDir;
  const parsed = parseHiveConfig({
    name: 't',
    backend: 'nixos-container',
    manager: 'boss',
    nixos_container: {
      command: options.command ?? FAKE,
      conf_dir: path.join(fakeDir, 'etc'),
      nixos_path: '/nix/store/abc-nixpkgs/nixos',
      status_poll_seconds: 1,
      timeouts: { create_seconds: 30, update_seconds: 30, start_seconds: 30, stop_seconds: 30, destroy_seconds: 30, status_seconds: 30, ...options.timeouts },
    },
    agents: { boss: { env: { FAKE_AGENT_OUT: out } }, iris: { model: 'sonnet', parent: 'boss', env: { FAKE_AGENT_OUT: out, GREETING: 'hi ${there}' } } },
  });
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  const agents: Record<string, AgentConfig> = { ...parsed.config.agents };
  const events = { started: [] as string[], changed: [] as string[], log: [] as string[], controls: [] as ControlMessage[] };
  const host: LifecycleHost = {
    config: parsed.config,
    stateDir,
    runtimeDir,
    agentEntry: entry,
    agentConfig: (name) => agents[name],
    agentSocketPath: (name) => path.join(runtimeDir, 'agents', name, 'mcp.sock'),
    agentStateDir: (name) => path.join(stateDir, 'agents', name),
    controlConnected: () => false,
    controlGeneration: () => 0,
    instructionsFile: (name) => (options.repos ? path.join(stateDir, 'applied', name, 'CLAUDE.md') : null),
    proposedRepoDir: (name) => path.join(stateDir, 'agents', name, 'config'),
    agentNames: () => Object.keys(agents).sort(),
    sendControl: (_name, message) => {
      events.controls.push(message);
      return false;
    },
    statusChanged: (name) => events.changed.push(name),
    agentStarted: (name, reason) => events.started.push(`${name}:${reason}`),
    log: (m) => events.log.push(m),
  };
  const backend = new NixosContainerBackend(host);
  return {
    dir,
    fakeDir,
    stateDir,
    runtimeDir,
    agents,
    events,
    backend,
    /** The backend's settings (the same object it reads). */
    settings: parsed.config.nixos_container,
    calls: (): string[][] => readLines(path.join(fakeDir, 'calls.jsonl')).map((l) => (JSON.parse(l) as { argv: string[] }).argv),
    starts: () => readLines(out).map((l) => JSON.parse(l) as { argv: string[]; home: string; cwd: string }),
    behave: (b: Behaviour) => fs.writeFileSync(path.join(fakeDir, 'behaviour.json'), JSON.stringify(b)),
    conf: (name: string) => fs.readFileSync(path.join(fakeDir, 'etc', `${containerName(name)}.conf`), 'utf8'),
    async cleanup() {
      await backend.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Run `body` against a fresh backend, cleaning up however it ends. */
async function withSetup(options: Parameters<typeof setup>[0], body: (t: ReturnType<typeof setup>) => Promise<void>): Promise<void> {
  const t = setup(options);
  try {
    await body(t);
  } finally {
    await t.cleanup();
  }
}

function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

test('create + start: the container gets the agent config file, the bind mounts, and its harness runs', async () => {
  await withSetup({}, async (t) => {
    await t.backend.create('iris');
    await t.backend.start('iris');
    const nixFile = path.join(t.stateDir, 'containers', 'h-iris.nix');
    assert.deepEqual(
      t.calls().filter((c) => c[0] !== 'status'),
      [
        ['create', 'h-iris', '--config-file', nixFile, '--nixos-path', '/nix/store/abc-nixpkgs/nixos'],
        ['start', 'h-iris'],
      ],
      'created once, started once',
    );
    const agentState = path.join(t.stateDir, 'agents', 'iris');
    assert.match(
      t.conf('iris'),
      new RegExp(`^EXTRA_NSPAWN_FLAGS="--bind=${t.runtimeDir}/agents/iris:/run/hive --bind=${agentState}:/state --bind=${agentState}/claude:/root/.claude"$`, 'm'),
    );
    assert.match(t.conf('iris'), /^PRIVATE_NETWORK=1$/m, 'what create wrote is kept');
    const spec = parseContainerNix(fs.readFileSync(nixFile, 'utf8'))!;
    assert.equal(spec.container, 'h-iris');
    assert.deepEqual(spec.argv.slice(2, 12), ['run', '--name', 'iris', '--socket', '/run/hive/mcp.sock', '--state-dir', '/state', '--model', 'sonnet', '--command']);
    assert.equal(spec.environment.HOME, '/root');
    assert.equal(spec.environment.GREETING, 'hi ${there}');
    const run = (await waitFor(() => t.starts()[0]));
    assert.equal(run.argv[4], path.join(t.runtimeDir, 'agents', 'iris', 'mcp.sock'), 'the socket path reaches the host dir through /run/hive');
    assert.equal(run.cwd, agentState);
    assert.equal(fs.realpathSync(path.join(run.home, '.claude')), path.join(agentState, 'claude'));
    assert.deepEqual(t.backend.status('iris'), { running: true, failed: false });
    assert.deepEqual(t.events.started, ['iris:start']);
    assert.ok(fs.statSync(path.join(agentState, 'claude')).isDirectory());
  });
});

test('the manager gets --manager; create is idempotent and only updates when the config changed', async () => {
  await withSetup({}, async (t) => {
    await t.backend.create('boss');
    await t.backend.create('boss');
    assert.equal(t.calls().filter((c) => c[0] === 'create').length, 1);
    assert.equal(t.calls().filter((c) => c[0] === 'update').length, 0);
    assert.ok(parseContainerNix(fs.readFileSync(path.join(t.stateDir, 'containers', 'h-boss.nix'), 'utf8'))!.argv.includes('--manager'));
    t.agents.boss = { ...t.agents.boss!, model: 'opus' };
    await t.backend.create('boss');
    assert.deepEqual(t.calls().filter((c) => c[0] === 'update').map((c) => c.slice(0, 2)), [['update', 'h-boss']]);
  });
});

test('stop, restart, destroy keeping state, destroy with purge', async () => {
  await withSetup({}, async (t) => {
    await t.backend.start('iris');
    await t.backend.stop('iris', { graceful: true });
    assert.deepEqual(t.backend.status('iris'), { running: false, failed: false });
    assert.deepEqual(t.calls().at(-1), ['stop', 'h-iris']);
    await t.backend.restart('iris');
    assert.deepEqual(t.backend.status('iris'), { running: true, failed: false });
    await waitFor(() => t.starts().length === 2);
    await t.backend.destroy('iris', { purge: false });
    assert.deepEqual(t.calls().at(-1), ['destroy', 'h-iris']);
    assert.ok(!fs.existsSync(path.join(t.fakeDir, 'etc', 'h-iris.conf')), 'the container is gone');
    assert.ok(!fs.existsSync(path.join(t.stateDir, 'containers', 'h-iris.nix')));
    assert.ok(fs.existsSync(path.join(t.stateDir, 'agents', 'iris', 'claude')), 'state kept');
    assert.deepEqual(t.backend.status('iris'), { running: false, failed: false });
    await t.backend.start('iris');
    assert.equal(t.calls().filter((c) => c[0] === 'create').length, 2, 'a destroyed agent is created again on start');
    await t.backend.destroy('iris', { purge: true });
    assert.ok(!fs.existsSync(path.join(t.stateDir, 'agents', 'iris')), 'purged');
  });
});

test('a failing create rejects with its error and leaves nothing behind', async () => {
  await withSetup({}, async (t) => {
    t.behave({ create: { fail: 'error: attribute \u2018claude-code\u2019 missing' } });
    await assert.rejects(t.backend.create('iris'), /nixos-container create h-iris failed \(exit code 1\): .*nixos-container: error: attribute ‘claude-code’ missing$/);
    assert.deepEqual(fs.readdirSync(path.join(t.fakeDir, 'etc')), []);
    assert.deepEqual(fs.readdirSync(path.join(t.stateDir, 'containers')), []);
    assert.deepEqual(t.backend.status('iris'), { running: false, failed: true });
    t.behave({});
    await t.backend.start('iris');
    assert.deepEqual(t.backend.status('iris'), { running: true, failed: false }, 'a start that succeeds clears it');
  });
});

test('a create cut short by a crash (container there, never recorded as ours) is started over', async () => {
  await withSetup({}, async (t) => {
    await t.backend.create('iris');
    // What a core killed between `nixos-container create` and recording the owner leaves.
    fs.rmSync(path.join(t.stateDir, 'containers', 'h-iris.agent'));
    await t.backend.create('iris');
    assert.deepEqual(t.calls().filter((c) => c[0] !== 'status').map((c) => c.slice(0, 2)), [['create', 'h-iris'], ['destroy', 'h-iris'], ['create', 'h-iris']]);
    assert.equal(fs.readFileSync(path.join(t.stateDir, 'containers', 'h-iris.agent'), 'utf8'), 'iris\n');
  });
});

test('a hanging create is stopped at its deadline and what it half-made is destroyed', async () => {
  await withSetup({ timeouts: { create_seconds: 1 } }, async (t) => {
    t.behave({ create: { hang: true } });
    await assert.rejects(t.backend.create('iris'), /nixos-container create h-iris did not finish within 1 s and was stopped \(raise nixos_container\.timeouts\.create_seconds/);
    assert.deepEqual(fs.readdirSync(path.join(t.fakeDir, 'etc')), [], 'the conf file it wrote is gone');
    assert.deepEqual(t.calls().at(-1), ['destroy', 'h-iris']);
  });
});

test('a hanging update times out and leaves the container and its config file as they were', async () => {
  await withSetup({ timeouts: { update_seconds: 1 } }, async (t) => {
    await t.backend.start('iris');
    const nixFile = path.join(t.stateDir, 'containers', 'h-iris.nix');
    const before = fs.readFileSync(nixFile, 'utf8');
    t.agents.iris = { ...t.agents.iris!, model: 'opus' };
    t.behave({ update: { hang: true } });
    await assert.rejects(t.backend.update('iris'), /nixos-container update h-iris did not finish within 1 s and was stopped; h-iris was left as it was/);
    assert.equal(fs.readFileSync(nixFile, 'utf8'), before);
    assert.deepEqual(t.backend.status('iris'), { running: true, failed: false });
    t.behave({});
    t.settings.timeouts.update_seconds = 30;
    await t.backend.update('iris');
    assert.match(fs.readFileSync(nixFile, 'utf8'), /opus/);
    assert.deepEqual(t.events.started, ['iris:start', 'iris:config update']);
    await waitFor(() => t.starts().some((s) => s.argv.includes('opus')), { what: 'the harness restarted on the new config' });
  });
});

test('a container that cannot start is failed until a start succeeds', async () => {
  await withSetup({}, async (t) => {
    t.behave({ start: { fail: 'failed to start container' } });
    await assert.rejects(t.backend.start('iris'), /nixos-container start h-iris failed \(exit code 1\): nixos-container: failed to start container/);
    assert.deepEqual(t.backend.status('iris'), { running: false, failed: true });
    t.behave({});
    await t.backend.start('iris');
    assert.deepEqual(t.backend.status('iris'), { running: true, failed: false });
  });
});

test('a container that goes down on its own is seen by the status poll and marked failed', async () => {
  await withSetup({}, async (t) => {
    await t.backend.start('iris');
    const pid = Number(fs.readFileSync(path.join(t.fakeDir, 'containers', 'h-iris', 'pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await waitFor(() => t.backend.status('iris').failed, { what: 'the poll to notice', timeoutMs: 15_000 });
    assert.equal(t.backend.status('iris').running, false);
    assert.ok(t.events.log.some((l) => /h-iris is down though nobody stopped it; marked failed/.test(l)));
  });
});

test('a container name taken by another agent or by someone else is refused by name', async () => {
  await withSetup({}, async (t) => {
    // Find two valid agent names that hash to the same container name.
    const seen = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const name = `worker-${i}`;
      const other = seen.get(containerName(name));
      if (other) pair = [other, name];
      else seen.set(containerName(name), name);
    }
    const [first, second] = pair;
    t.agents[first] = t.agents.iris!;
    t.agents[second] = t.agents.iris!;
    await t.backend.create(first);
    await assert.rejects(t.backend.create(second), new RegExp(`agent ${second} maps to container ${containerName(first)}, which already belongs to agent ${first}; choose another name`));
    await assert.rejects(t.backend.destroy(second, { purge: true }), /belongs to agent/);
    assert.ok(fs.existsSync(path.join(t.fakeDir, 'etc', `${containerName(first)}.conf`)), 'the first agent keeps its container');

    // A container hyperhive did not make is never taken over.
    process.env.FAKE_NIXOS_CONTAINER_DIR = t.fakeDir;
    fs.writeFileSync(path.join(t.fakeDir, 'etc', 'h-boss.conf'), 'PRIVATE_NETWORK=1\n');
    await assert.rejects(t.backend.create('boss'), /a container named h-boss already exists and was not created by hyperhive; remove it \(nixos-container destroy h-boss\)/);
  });
});

test('bad paths and a missing nixos-container are clear errors before anything is made', async () => {
  await withSetup({ stateDir: path.join(os.tmpdir(), 'hh nc state') }, async (t) => {
    await assert.rejects(t.backend.create('iris'), /cannot be bind-mounted into a container/);
    assert.deepEqual(t.calls(), []);
  });
  await withSetup({ command: '/nonexistent/nixos-container' }, async (t) => {
    await assert.rejects(t.backend.start('iris'), /cannot run nixos-container status h-iris: \/nonexistent\/nixos-container was not found \(install nixos-container, or set nixos_container\.command/);
  });
});

test('config repos: each container reads its approved CLAUDE.md read-only; the manager\'s sees every agent\'s proposed repo', async () => {
  await withSetup({ repos: true }, async (t) => {
    for (const name of ['boss', 'iris']) {
      fs.mkdirSync(path.join(t.stateDir, 'applied', name), { recursive: true });
      fs.mkdirSync(path.join(t.stateDir, 'agents', name, 'config'), { recursive: true });
    }
    await t.backend.create('boss');
    await t.backend.create('iris');
    const state = (name: string) => path.join(t.stateDir, 'agents', name);
    const common = (name: string) => `--bind=${t.runtimeDir}/agents/${name}:/run/hive --bind=${state(name)}:/state --bind=${state(name)}/claude:/root/.claude --bind-ro=${t.stateDir}/applied/${name}:/hive/applied`;
    assert.match(t.conf('boss'), new RegExp(`^EXTRA_NSPAWN_FLAGS="${common('boss')} --bind=${state('boss')}/config:/hive/config/boss --bind=${state('iris')}/config:/hive/config/iris"$`, 'm'));
    assert.match(t.conf('iris'), new RegExp(`^EXTRA_NSPAWN_FLAGS="${common('iris')}"$`, 'm'), 'a worker sees no config repo');
    const spec = parseContainerNix(fs.readFileSync(path.join(t.stateDir, 'containers', 'h-iris.nix'), 'utf8'))!;
    assert.equal(spec.argv[spec.argv.indexOf('--instructions') + 1], '/hive/applied/CLAUDE.md');
    assert.equal(t.backend.proposedRepoPath('iris'), '/hive/config/iris');
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseHiveConfig, type ControlMessage } from '../../protocol/index.js';
import type { LifecycleHost } from './backend.js';
import { ProcessBackend } from './process.js';
import { writeHarnessPidFile } from './harness-pid-file.js';

// A stand-in harness: records how it was started, then acts as FAKE_AGENT_MODE says.
const FAKE_AGENT = `
const fs = require('node:fs');
const out = process.env.FAKE_AGENT_OUT;
const mode = process.env.FAKE_AGENT_MODE;
// Handlers first, then the record the test waits for, so no signal can beat them.
process.on('SIGUSR2', () => { if (mode !== 'stubborn') process.exit(0); });
process.on('SIGTERM', () => { if (mode !== 'deaf') process.exit(0); });
let parentPipe = false;
try { parentPipe = fs.fstatSync(3).isSocket(); } catch {}
fs.appendFileSync(out, JSON.stringify({ argv: process.argv.slice(2), marker: process.env.MARKER, pid: process.pid, parentPipe }) + '\\n');
if (mode === 'crash') process.exit(3);
if (mode === 'clean') process.exit(0);
setInterval(() => {}, 1000);
`;

async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function setup(mode: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-proc-'));
  const entry = path.join(dir, 'fake-agent.cjs');
  fs.writeFileSync(entry, FAKE_AGENT);
  const out = path.join(dir, 'starts.jsonl');
  const parsed = parseHiveConfig({
    name: 't',
    manager: 'boss',
    agents: {
      boss: {
        command: ['fake'],
        env: { FAKE_AGENT_OUT: out, FAKE_AGENT_MODE: 'sleep', MARKER: 'boss' },
        extra_mcp_servers: { search: { type: 'stdio', command: 'search-mcp' } },
      },
      iris: { model: 'sonnet', command: ['node', '/x/fake-claude.mjs'], env: { FAKE_AGENT_OUT: out, FAKE_AGENT_MODE: mode, MARKER: 'iris' } },
    },
  });
  assert.ok(parsed.ok);
  const events = { started: [] as [string, string][], changed: 0, controls: [] as ControlMessage[], log: [] as string[] };
  let backend!: ProcessBackend;
  const host: LifecycleHost = {
    config: parsed.config,
    stateDir: path.join(dir, 'state'),
    runtimeDir: dir,
    agentEntry: entry,
    agentConfig: (name) => parsed.config.agents[name],
    agentSocketPath: (name) => path.join(dir, 'run', 'agents', name, 'mcp.sock'),
    agentStateDir: (name) => path.join(dir, 'state', 'agents', name),
    controlConnected: () => true,
    controlGeneration: () => 0,
    instructionsFile: () => null,
    proposedRepoDir: (name) => path.join('/nonexistent', name, 'config'),
    agentNames: () => [],
    sendControl: (name, message) => {
      events.controls.push(message);
      const pid = backend.status(name).pid;
      if (pid) process.kill(pid, 'SIGUSR2');
      return pid !== undefined;
    },
    statusChanged: () => {
      events.changed++;
    },
    agentStarted: (name, reason) => {
      events.started.push([name, reason]);
    },
    log: (m) => {
      events.log.push(m);
    },
  };
  const starts = () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  const make = (opts: ConstructorParameters<typeof ProcessBackend>[1] = {}) => (backend = new ProcessBackend(host, { backoffMs: 20, ...opts }));
  return { dir, host, events, starts, make, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

test('start: spawns the harness with the contract flags and the agent env; reports running', async () => {
  const t = setup('sleep');
  const backend = t.make();
  try {
    await backend.start('iris');
    const [first] = await waitFor('the harness to start', () => t.starts().length > 0 && t.starts());
    assert.deepEqual(first.argv, [
      'run', '--name', 'iris', '--socket', path.join(t.dir, 'run', 'agents', 'iris', 'mcp.sock'),
      '--state-dir', path.join(t.dir, 'state', 'agents', 'iris'), '--model', 'sonnet', '--command', '["node","/x/fake-claude.mjs"]',
      '--parent-fd', '3',
    ]);
    assert.equal(first.marker, 'iris');
    assert.equal(first.parentPipe, true, 'fd 3 is the pipe from the core');
    const pidFile = JSON.parse(fs.readFileSync(path.join(t.dir, 'state', 'agents', 'iris', 'harness.pid'), 'utf8'));
    assert.equal(pidFile.pid, first.pid);
    assert.match(pidFile.start_time, /^\d+$/);
    assert.deepEqual(backend.status('iris'), { running: true, failed: false, pid: first.pid });
    assert.deepEqual(t.events.started, [['iris', 'start']]);
    assert.ok(t.events.changed >= 1);
    await backend.start('iris'); // idempotent
    assert.equal(t.starts().length, 1);
    await backend.start('boss');
    const boss = await waitFor('boss', () => t.starts().find((s) => s.marker === 'boss'));
    assert.ok(boss.argv.includes('--manager'));
    assert.equal(boss.argv[boss.argv.indexOf('--extra-mcp-servers') + 1], '{"search":{"type":"stdio","command":"search-mcp"}}');
    assert.ok(!first.argv.includes('--extra-mcp-servers'), 'no flag when the agent has no extra servers');
  } finally {
    await backend.close();
    t.cleanup();
  }
});

test('start: an unknown agent is refused and nothing is spawned', async () => {
  const t = setup('sleep');
  const backend = t.make();
  await assert.rejects(backend.start('ghost'), /no agent named "ghost"/);
  assert.equal(t.starts().length, 0);
  assert.deepEqual(backend.status('ghost'), { running: false, failed: false });
  t.cleanup();
});

test('crash: restarted with backoff, then failed after the start limit; start clears it', async () => {
  const t = setup('crash');
  const backend = t.make({ startLimit: 3, windowMs: 60_000 });
  try {
    await backend.start('iris');
    await waitFor('failed', () => backend.status('iris').failed);
    assert.equal(t.starts().length, 3);
    assert.deepEqual(backend.status('iris'), { running: false, failed: true });
    assert.deepEqual(t.events.started.map(([, r]) => r), ['start', 'crash (exit code 3)', 'crash (exit code 3)']);
    assert.ok(t.events.log.some((l) => /crashed 3 times .* marked failed/.test(l)));
    await backend.start('iris');
    assert.equal(backend.status('iris').failed, false);
    await waitFor('failed again', () => backend.status('iris').failed);
    assert.equal(t.starts().length, 6);
  } finally {
    await backend.close();
    t.cleanup();
  }
});

test('a clean exit nobody asked for is not restarted', async () => {
  const t = setup('clean');
  const backend = t.make();
  try {
    await backend.start('iris');
    await waitFor('exit', () => !backend.status('iris').running);
    await new Promise((r) => setTimeout(r, 100)); // longer than the 20 ms backoff: a restart would show
    assert.equal(t.starts().length, 1);
    assert.deepEqual(backend.status('iris'), { running: false, failed: false });
  } finally {
    await backend.close();
    t.cleanup();
  }
});

test('graceful stop: asks the harness over control, waits for it, no restart', async () => {
  const t = setup('sleep');
  const backend = t.make();
  try {
    await backend.start('iris');
    await waitFor('start', () => t.starts().length === 1);
    await backend.stop('iris', { graceful: true });
    assert.deepEqual(t.events.controls, [{ action: 'stop', graceful: true }]);
    assert.deepEqual(backend.status('iris'), { running: false, failed: false });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(t.starts().length, 1);
  } finally {
    await backend.close();
    t.cleanup();
  }
});

test('graceful stop times out → SIGTERM; a harness deaf to SIGTERM gets SIGKILL', async () => {
  const t = setup('stubborn');
  const backend = t.make({ stopTimeoutMs: 100, killGraceMs: 100 });
  try {
    await backend.start('iris');
    await waitFor('start', () => t.starts().length === 1);
    await backend.stop('iris', { graceful: true });
    assert.ok(t.events.log.some((l) => /did not finish its turn within 100 ms/.test(l)));
    assert.equal(backend.status('iris').running, false);
  } finally {
    await backend.close();
    t.cleanup();
  }
  const d = setup('deaf');
  const deaf = d.make({ killGraceMs: 100 });
  try {
    await deaf.start('iris');
    await waitFor('start', () => d.starts().length === 1);
    await deaf.stop('iris', { graceful: false });
    assert.ok(d.events.log.some((l) => /ignored SIGTERM/.test(l)));
    assert.equal(deaf.status('iris').running, false);
  } finally {
    await deaf.close();
    d.cleanup();
  }
});

test('restart: stop then start, reported as a restart; destroy with purge removes the state dir', async () => {
  const t = setup('sleep');
  const backend = t.make();
  try {
    await backend.start('iris');
    await waitFor('start', () => t.starts().length === 1);
    await backend.restart('iris');
    await waitFor('second start', () => t.starts().length === 2);
    assert.deepEqual(t.events.started.map(([, r]) => r), ['start', 'restart']);
    assert.notEqual(t.starts()[0].pid, t.starts()[1].pid);
    const stateDir = path.join(t.dir, 'state', 'agents', 'iris');
    assert.ok(fs.existsSync(stateDir));
    await backend.destroy('iris', { purge: true });
    assert.equal(fs.existsSync(stateDir), false);
    assert.deepEqual(backend.status('iris'), { running: false, failed: false });
  } finally {
    await backend.close();
    t.cleanup();
  }
});

// A harness a previous core left: it started a command in its own process group, like a turn's claude.
const LEFTOVER = `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
if (process.env.DEAF === '1') process.on('SIGTERM', () => {});
const command = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
fs.writeFileSync(process.argv[2], JSON.stringify({ harness: process.pid, command: command.pid }));
setInterval(() => {}, 1000);
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startLeftover(dir: string, deaf: boolean): Promise<{ harness: number; command: number }> {
  const script = path.join(dir, 'leftover.cjs');
  fs.writeFileSync(script, LEFTOVER);
  const record = path.join(dir, `leftover-${Date.now()}.json`);
  // detached + unref: it outlives nothing of ours, like a harness whose core was killed.
  spawn(process.execPath, [script, record], { detached: true, stdio: 'ignore', env: { ...process.env, DEAF: deaf ? '1' : '0' } }).unref();
  return waitFor('the leftover to start', () => fs.existsSync(record) && JSON.parse(fs.readFileSync(record, 'utf8')));
}

test('a starting core stops the harness a previous core left, with its command, even one deaf to SIGTERM', async () => {
  const t = setup('sleep');
  const backend = t.make({ killGraceMs: 300 });
  const pids: number[] = [];
  try {
    for (const [name, deaf] of [['iris', false], ['boss', true]] as const) {
      const leftover = await startLeftover(t.dir, deaf);
      pids.push(leftover.harness, leftover.command);
      const agentDir = path.join(t.dir, 'state', 'agents', name);
      fs.mkdirSync(agentDir, { recursive: true });
      writeHarnessPidFile(agentDir, leftover.harness);
    }
    await backend.stopLeftovers();
    await waitFor('every leftover process to be gone', () => pids.every((pid) => !alive(pid)));
    assert.deepEqual(t.events.log.map((l) => l.replace(/pid \d+/, 'pid N')).sort(), [
      'stopped the harness of boss (pid N) that a previous core left running',
      'stopped the harness of iris (pid N) that a previous core left running',
    ]);
    assert.equal(fs.existsSync(path.join(t.dir, 'state', 'agents', 'iris', 'harness.pid')), false);
  } finally {
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await backend.close();
    t.cleanup();
  }
});

test('a pid file whose pid now names another process (a reused pid) stops nothing', async () => {
  const t = setup('sleep');
  const backend = t.make({ killGraceMs: 300 });
  const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    const agentDir = path.join(t.dir, 'state', 'agents', 'iris');
    fs.mkdirSync(agentDir, { recursive: true });
    writeHarnessPidFile(agentDir, bystander.pid!);
    // The same pid, but the process that had it started at another time.
    const record = JSON.parse(fs.readFileSync(path.join(agentDir, 'harness.pid'), 'utf8'));
    fs.writeFileSync(path.join(agentDir, 'harness.pid'), JSON.stringify({ ...record, start_time: String(Number(record.start_time) - 1) }));
    await backend.stopLeftovers();
    assert.equal(alive(bystander.pid!), true, 'the process now holding the pid is left alone');
    assert.deepEqual(t.events.log, []);
    assert.equal(fs.existsSync(path.join(agentDir, 'harness.pid')), false, 'the stale file is cleared');
  } finally {
    bystander.kill('SIGKILL');
    await backend.close();
    t.cleanup();
  }
});

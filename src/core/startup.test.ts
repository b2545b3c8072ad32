// End-to-end: what a starting core refuses — a directory it cannot trust, a state dir another core
// uses, a full disk — and what it no longer refuses (a stale lock whose pid lives on in someone else).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startCore, entries } from '../testing/hive.js';
import { fillDisk, smallTmpfs } from '../testing/disk.js';

const isRoot = process.getuid?.() === 0;

/** Run a core that is expected to refuse; its exit status and stderr. */
function runCore(dir: string, runtimeDir = path.join(dir, 'run'), stateDir = path.join(dir, 'state')): { status: number | null; stderr: string } {
  const config = path.join(dir, 'hive.json');
  if (!fs.existsSync(config)) fs.writeFileSync(config, JSON.stringify({ name: 't', backend: 'external', agents: { iris: {} } }));
  const res = spawnSync(process.execPath, [entries.core, '--config', config, '--state-dir', stateDir, '--runtime-dir', runtimeDir, '--http', 'off'], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: res.status, stderr: res.stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hh-'));
}

test('a stale lock whose pid now belongs to another live process does not block a restart', async () => {
  const dir = tempDir();
  try {
    // What a killed core leaves: its lock files, and owner files naming a pid that lives on (pid 1 here).
    for (const sub of ['run', 'state']) {
      fs.mkdirSync(path.join(dir, sub), { mode: 0o750 });
      fs.writeFileSync(path.join(dir, sub, 'core.lock'), '');
      fs.writeFileSync(path.join(dir, sub, 'core.owner'), JSON.stringify({ pid: 1, runtime_dir: 'x', state_dir: 'y', started_at: 'then' }));
    }
    fs.writeFileSync(path.join(dir, 'hive.json'), JSON.stringify({ name: 't', backend: 'external' }));
    const core = await startCore({ dir });
    try {
      assert.equal((await core.request({ cmd: 'list' })).ok, true);
      assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'state', 'core.owner'), 'utf8')).pid, core.proc.pid);
    } finally {
      await core.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a second core on the same state dir (another runtime dir) refuses, naming the first', async () => {
  const core = await startCore({ config: { agents: { iris: {} } } });
  try {
    const other = path.join(core.dir, 'run2');
    const second = runCore(core.dir, other);
    assert.equal(second.status, 1);
    assert.match(
      second.stderr,
      new RegExp(`another hyperhive-core \\(pid ${core.proc.pid}, runtime dir ${core.runtimeDir}\\) is already using the state dir ${core.stateDir}; stop it first`),
    );
    assert.equal(fs.existsSync(path.join(other, 'core.owner')), false, 'the loser keeps nothing of the runtime dir it tried');
    assert.equal((await core.request({ cmd: 'list' })).ok, true, 'the first core is untouched');
  } finally {
    await core.cleanup();
  }
});

test('a runtime or state dir that is a link, or writable by others, is refused with a sentence and left alone', () => {
  const cases: [string, (dir: string) => void, RegExp][] = [
    ['runtime dir is a link', (d) => { fs.mkdirSync(path.join(d, 'elsewhere')); fs.symlinkSync(path.join(d, 'elsewhere'), path.join(d, 'run')); }, /run is a symbolic link/],
    ['runtime dir writable by everyone', (d) => { fs.mkdirSync(path.join(d, 'run')); fs.chmodSync(path.join(d, 'run'), 0o777); }, /run is writable by everyone \(mode 0777\); run chmod go-w/],
    ['state dir writable by its group', (d) => { fs.mkdirSync(path.join(d, 'state')); fs.chmodSync(path.join(d, 'state'), 0o770); }, /state is writable by its group/],
    ['runtime agents/ is a link', (d) => { fs.mkdirSync(path.join(d, 'run')); fs.mkdirSync(path.join(d, 'x')); fs.symlinkSync(path.join(d, 'x'), path.join(d, 'run', 'agents')); }, /agents is a symbolic link/],
    ['an agent state dir is a link', (d) => { fs.mkdirSync(path.join(d, 'state', 'agents'), { recursive: true, mode: 0o750 }); fs.mkdirSync(path.join(d, 'x')); fs.symlinkSync(path.join(d, 'x'), path.join(d, 'state', 'agents', 'iris')); }, /agents\/iris is a symbolic link/],
    ['an agent socket dir is writable by everyone', (d) => { fs.mkdirSync(path.join(d, 'run', 'agents', 'iris'), { recursive: true, mode: 0o700 }); fs.chmodSync(path.join(d, 'run', 'agents', 'iris'), 0o777); }, /agents\/iris is writable by everyone/],
  ];
  for (const [what, prepare, error] of cases) {
    const dir = tempDir();
    try {
      prepare(dir);
      const before = fs.readdirSync(dir).sort();
      const res = runCore(dir);
      assert.equal(res.status, 1, what);
      assert.match(res.stderr, error, what);
      assert.equal(res.stderr.trim().split('\n').length, 1, `${what}: one line`);
      assert.deepEqual(fs.readdirSync(dir).sort(), [...before, 'hive.json'].sort(), `${what}: nothing created beside`);
      assert.ok(!fs.existsSync(path.join(dir, 'x', 'mcp.sock')) && !fs.existsSync(path.join(dir, 'elsewhere', 'host.sock')), `${what}: no socket through the link`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('a runtime dir that belongs to another user is refused', { skip: isRoot ? false : 'needs root to give the runtime dir to another uid' }, () => {
  const dir = tempDir();
  try {
    fs.mkdirSync(path.join(dir, 'run'), { mode: 0o755 });
    fs.chownSync(path.join(dir, 'run'), 65534, 65534);
    const res = runCore(dir);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /run belongs to uid 65534, not to this user \(uid 0\) or root/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'run')), [], 'no socket was put in it');
    assert.equal(fs.statSync(path.join(dir, 'run')).mode & 0o777, 0o755, 'its mode was not touched');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('set_paused never writes through an agent dir swapped for a link', async () => {
  const core = await startCore({ config: { agents: { iris: {} } } });
  const target = path.join(core.dir, 'target');
  try {
    fs.mkdirSync(target);
    const agentDir = path.join(core.stateDir, 'agents', 'iris');
    fs.rmSync(agentDir, { recursive: true, force: true });
    fs.symlinkSync(target, agentDir);
    const res = await core.request<{ ok: boolean; error: string; code: string }>({ cmd: 'set_paused', name: 'iris', paused: true });
    assert.equal(res.ok, false);
    assert.equal(res.code, 'unavailable');
    assert.match(res.error, /cannot pause iris: .*agents\/iris is a symbolic link/);
    assert.deepEqual(fs.readdirSync(target), [], 'nothing written into the link target');
    const row = (await core.request<{ agent_statuses: { name: string; paused: boolean }[] }>({ cmd: 'agent_status' })).agent_statuses[0]!;
    assert.equal(row.paused, false);
  } finally {
    await core.cleanup();
  }
});

test('a full disk: start-up names the file and the cause; set_paused refuses and leaves no empty marker', async (t) => {
  const disk = smallTmpfs(1024);
  if (!disk) return t.skip('needs root to mount a small tmpfs');
  try {
    fs.writeFileSync(path.join(disk.dir, 'hive.json'), JSON.stringify({ name: 't', backend: 'external', agents: { iris: {} } }));
    const core = await startCore({ dir: disk.dir });
    fillDisk(disk.dir);
    const paused = await core.request<{ ok: boolean; error: string }>({ cmd: 'set_paused', name: 'iris', paused: true });
    assert.equal(paused.ok, false);
    const marker = path.join(core.stateDir, 'agents', 'iris', 'paused');
    assert.equal(paused.error, `cannot pause iris: no space left on device at ${marker}`);
    assert.equal(fs.existsSync(marker), false);
    await core.stop();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(core.stateDir, `hyperhive.sqlite${suffix}`), { force: true });
    fillDisk(disk.dir, 'filler2');
    const res = runCore(disk.dir);
    assert.equal(res.status, 1);
    assert.match(res.stderr, new RegExp(`cannot open the store: no space left on device at ${path.join(core.stateDir, 'hyperhive.sqlite')}`));
    fs.rmSync(path.join(disk.dir, 'filler'));
    fs.rmSync(path.join(disk.dir, 'filler2'));
    const again = await startCore({ dir: disk.dir });
    try {
      const row = (await again.request<{ agent_statuses: { paused: boolean }[] }>({ cmd: 'agent_status' })).agent_statuses[0]!;
      assert.equal(row.paused, false, 'the refused pause left nothing that pauses the agent after a restart');
    } finally {
      await again.stop();
    }
  } finally {
    disk.unmount();
  }
});

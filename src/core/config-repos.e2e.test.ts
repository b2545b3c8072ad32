// End-to-end on the external backend (no harnesses): config repos beyond one proposal — big diffs
// in pages, a base that moved, supersede, spawn previews, kept agents (revive, purge), links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonlConnection, MAX_LINE_BYTES, type Approval } from '../protocol/index.js';
import { collectLines, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { appliedRepo, approval, commitChange, gitIn, proposedRepo, rows } from '../testing/config-hive.js';

function startHive(): Promise<RunningCore> {
  return startCore({ config: { manager: 'manager', agents: { manager: {}, iris: { parent: 'manager' }, damocles: { parent: 'manager' } } } });
}

async function propose(core: RunningCore, agent: string, sha: string): Promise<number> {
  const res = await core.agentRequest<{ ok: boolean; id: number; error?: string }>('manager', { cmd: 'request_apply_commit', agent, commit_ref: sha });
  assert.equal(res.ok, true, res.error);
  return res.id;
}

/** One raw response line to `message` (to measure it). */
async function rawLine(core: RunningCore, message: object): Promise<string> {
  const conn = await JsonlConnection.connect(core.hostSocket);
  try {
    return JSON.stringify(await conn.request(message));
  } finally {
    conn.close();
  }
}

test('a diff of several MiB is stored whole and served in pages that stay under the line cap and add up to it exactly', async () => {
  const core = await startHive();
  try {
    const base = gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'HEAD');
    const notes = Array.from({ length: 60_000 }, (_, i) => `note ${i}: "quoted" \\ and \u0001 a control and ünïcode ${'x'.repeat(i % 80)}`).join('\n') + '\n';
    const sha = commitChange(core, 'iris', { files: { 'notes.txt': notes }, agentJson: { model: 'sonnet' } });
    const id = await propose(core, 'iris', sha);
    const expected = execFileSync('git', ['-C', appliedRepo(core, 'iris'), 'diff', base, sha], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
    assert.ok(Buffer.byteLength(expected) > 4 << 20, 'a diff of several MiB');
    let from = 0;
    let rebuilt = '';
    let pages = 0;
    for (;;) {
      const line = await rawLine(core, { cmd: 'approval', id, diff_from: from });
      assert.ok(Buffer.byteLength(line) < MAX_LINE_BYTES, `page ${pages} is ${Buffer.byteLength(line)} bytes`);
      const a = (JSON.parse(line) as { approval: Approval }).approval;
      assert.equal(a.diff_total_bytes, Buffer.byteLength(expected));
      assert.deepEqual(a.files?.map((f) => [f.path, f.added]), [['agent.json', 1], ['notes.txt', 60_000]]);
      rebuilt += a.diff;
      pages++;
      if (a.diff_next === undefined) break;
      from = a.diff_next;
    }
    assert.equal(rebuilt, expected, 'the pages add up to the whole diff');
    assert.ok(pages >= 8, `${pages} pages`);
    const pending = await rawLine(core, { cmd: 'pending' });
    assert.ok(Buffer.byteLength(pending) < 10_000, 'lists never carry diffs');
  } finally {
    await core.cleanup();
  }
});

test('two proposals: approving one moves the other\'s base (it says so, and recomputes on demand); supersede withdraws the older', async () => {
  const core = await startHive();
  try {
    const first = commitChange(core, 'iris', { agentJson: { model: 'sonnet' } });
    const a = await propose(core, 'iris', first);
    const second = commitChange(core, 'iris', { claudeMd: '# iris\n\nBe brief.\n' });
    const b = await propose(core, 'iris', second);
    const third = commitChange(core, 'iris', { agentJson: { model: 'opus' } });
    const c = await propose(core, 'iris', third);
    assert.equal((await approval(core, b)).base_moved, false);
    assert.equal((await core.request({ cmd: 'approve', id: a })).ok, true);
    const moved = await approval(core, b);
    assert.equal(moved.base_moved, true, 'b was diffed against the commit that ran before a');
    assert.match(moved.diff!, /-  "model": "haiku",/, 'the stored diff still shows the old base');
    const against = await approval(core, b, { against: 'deployed' });
    assert.equal(against.base_moved, false);
    assert.doesNotMatch(against.diff!, /"model"/, 'against what runs now, only CLAUDE.md changes');
    assert.deepEqual(against.files?.map((f) => f.path), ['CLAUDE.md']);
    const spawnId = (await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'scout' })).id;
    assert.equal((await core.request<{ code: string }>({ cmd: 'approval', id: spawnId, against: 'deployed' })).code, 'bad_request');

    assert.equal((await core.request({ cmd: 'approve', id: c, supersede: true })).ok, true);
    const withdrawn = await approval(core, b);
    assert.deepEqual([withdrawn.status, withdrawn.note], ['cancelled', `superseded by #${c}`]);
    assert.equal((await rows(core)).iris!.deployed_sha, third.slice(0, 12));
    const again = await core.agentRequest<{ ok: boolean; code: string; error: string }>('manager', { cmd: 'request_apply_commit', agent: 'iris', commit_ref: third });
    assert.deepEqual([again.ok, again.code], [false, 'bad_request']);
    assert.match(again.error, /is the commit iris runs already/);
  } finally {
    await core.cleanup();
  }
});

test('a spawn shows the agent.json and CLAUDE.md the new agent starts with, and starts with exactly those', async () => {
  const core = await startHive();
  try {
    const { id } = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'scout' });
    const preview = await approval(core, id);
    assert.deepEqual(preview.files?.map((f) => [f.path, f.status]), [['agent.json', 'added'], ['CLAUDE.md', 'added']]);
    assert.match(preview.diff!, /^\+  "model": "haiku",$/m);
    assert.equal((await core.request({ cmd: 'approve', id })).ok, true);
    const agentJson = fs.readFileSync(path.join(appliedRepo(core, 'scout'), 'agent.json'), 'utf8');
    const lines = agentJson.trimEnd().split('\n');
    const shown = `diff --git a/agent.json b/agent.json\nnew file mode 100644\n--- /dev/null\n+++ b/agent.json\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
    assert.ok(preview.diff!.startsWith(shown), 'the agent.json it started with is the one the approval showed');
    assert.equal(fs.readFileSync(path.join(proposedRepo(core, 'scout'), 'agent.json'), 'utf8'), agentJson);
    assert.match((await rows(core)).scout!.deployed_sha!, /^[0-9a-f]{12}$/);
  } finally {
    await core.cleanup();
  }
});

test('destroy keeps the agent (kept, with its history); revive brings it back on its last applied commit; purge removes it for good', async () => {
  const core = await startHive();
  try {
    const sha = commitChange(core, 'iris', { agentJson: { model: 'sonnet' } });
    await core.request({ cmd: 'approve', id: await propose(core, 'iris', sha) });
    const pending = await propose(core, 'iris', commitChange(core, 'iris', { agentJson: { model: 'opus' } }));
    assert.equal((await core.request({ cmd: 'destroy', name: 'iris' })).ok, true);
    const cancelled = await approval(core, pending);
    assert.deepEqual([cancelled.status, cancelled.note], ['cancelled', 'iris was destroyed']);
    const kept = (await core.request<{ kept: { name: string; destroyed_at: number; deployed_sha: string }[] }>({ cmd: 'kept' })).kept;
    assert.deepEqual(kept.map((k) => [k.name, k.deployed_sha]), [['iris', sha.slice(0, 12)]]);
    assert.ok(Math.abs(kept[0]!.destroyed_at - Date.now() / 1000) < 60);
    assert.ok(!(await core.request<{ agents: string[] }>({ cmd: 'list' })).agents.includes('iris'));

    // A spawn of a kept name is a revival, as is `revive`.
    const { id } = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'iris', description: 'we need iris again' });
    const revival = await approval(core, id);
    assert.deepEqual([revival.kind, revival.revival, revival.fetched_sha], ['spawn', true, sha]);
    assert.match(revival.diff!, /^\+  "model": "sonnet",$/m, 'it shows the agent.json iris comes back with');
    const twice = await core.request<{ ok: boolean; code: string }>({ cmd: 'revive', name: 'iris' });
    assert.deepEqual([twice.ok, twice.code], [false, 'conflict']);
    assert.equal((await core.request({ cmd: 'approve', id })).ok, true);
    assert.equal((await rows(core)).iris!.deployed_sha, sha.slice(0, 12), 'back on its last applied commit');
    assert.equal(gitIn(proposedRepo(core, 'iris'), 'log', '--format=%s', '-1', sha), 'a change', 'its proposed repo and history are kept');
    assert.deepEqual((await core.request<{ kept: unknown[] }>({ cmd: 'kept' })).kept, []);
    const live = await core.request<{ ok: boolean; code: string }>({ cmd: 'purge', name: 'iris' });
    assert.deepEqual([live.ok, live.code], [false, 'conflict']);

    // Purge: a link inside the state dir and a link in place of a state dir are removed, never followed.
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-outside-'));
    fs.writeFileSync(path.join(outside, 'precious'), 'keep me');
    fs.symlinkSync(outside, path.join(core.stateDir, 'agents', 'iris', 'link-out'));
    assert.equal((await core.request({ cmd: 'destroy', name: 'damocles' })).ok, true);
    fs.rmSync(path.join(core.stateDir, 'agents', 'damocles'), { recursive: true });
    fs.symlinkSync(outside, path.join(core.stateDir, 'agents', 'damocles'));
    assert.equal((await core.request({ cmd: 'destroy', name: 'iris' })).ok, true);
    const dashboard = await core.connect();
    assert.equal((await dashboard.request({ cmd: 'subscribe' })).ok, true);
    const events = collectLines(dashboard);
    for (const name of ['iris', 'damocles']) assert.equal((await core.request({ cmd: 'purge', name })).ok, true, name);
    // Consoles hear a purge: the name leaves their kept list.
    await waitFor(() => ['iris', 'damocles'].every((name) => events.some((e) => e.kind === 'agent_removed' && e.name === name)), { what: 'agent_removed for each purged agent' });
    dashboard.close();
    assert.equal(fs.readFileSync(path.join(outside, 'precious'), 'utf8'), 'keep me');
    for (const gone of ['agents/iris', 'applied/iris', 'agents/damocles', 'applied/damocles']) assert.ok(!fs.existsSync(path.join(core.stateDir, gone)), gone);
    assert.deepEqual((await core.request<{ kept: unknown[] }>({ cmd: 'kept' })).kept, []);
    const again = await core.request<{ ok: boolean; code: string }>({ cmd: 'purge', name: 'iris' });
    assert.deepEqual([again.ok, again.code], [false, 'not_found']);
    const fresh = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'iris' });
    assert.equal((await approval(core, fresh.id)).revival, undefined, 'a purged name spawns anew');
    fs.rmSync(outside, { recursive: true, force: true });
  } finally {
    await core.cleanup();
  }
});

test('the config file only seeds: a changed entry is not applied (the core says so); a missing proposed repo is made again; a linked one is refused', async () => {
  const core = await startHive();
  const dir = core.dir;
  try {
    const deployed = (await rows(core)).iris!.deployed_sha;
    await core.stop();
    const config = JSON.parse(fs.readFileSync(core.configPath, 'utf8')) as { agents: Record<string, Record<string, unknown>> };
    config.agents.iris!.model = 'opus';
    fs.writeFileSync(core.configPath, JSON.stringify(config));
    fs.rmSync(proposedRepo(core, 'iris'), { recursive: true });
    const again = await startCore({ dir });
    try {
      assert.match(again.stderr(), /iris: its entry in the config file differs from the config it runs/);
      assert.match(again.stderr(), /iris's proposed config repo was missing; made again at its deployed commit/);
      const row = (await rows(again)).iris!;
      assert.deepEqual([row.deployed_sha, row.active_model], [deployed, 'haiku']);
      assert.equal(gitIn(proposedRepo(again, 'iris'), 'rev-parse', 'HEAD').slice(0, 12), deployed);

      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-elsewhere-'));
      fs.renameSync(proposedRepo(again, 'damocles'), path.join(elsewhere, 'config'));
      fs.symlinkSync(path.join(elsewhere, 'config'), proposedRepo(again, 'damocles'));
      const sha = commitChange(again, 'damocles', { agentJson: { model: 'sonnet' } });
      const res = await again.agentRequest<{ ok: boolean; error: string }>('manager', { cmd: 'request_apply_commit', agent: 'damocles', commit_ref: sha });
      assert.equal(res.ok, false);
      assert.match(res.error, /config is a symbolic link; the core reaches config repos only through real directories/);
      fs.rmSync(elsewhere, { recursive: true, force: true });
    } finally {
      await again.cleanup();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

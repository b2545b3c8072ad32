/**
 * End to end: the ctl's config commands (`approval` with its diff, `diff`,
 * `kept`, `revive`, `purge`, `destroy`) against a real core with real git
 * repos; the test commits to an agent's proposed repo and asks as the manager.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { entries, runProgram, startCore, type ProgramRun, type RunningCore } from '../testing/hive.js';
import { appliedRepo, commitChange, gitIn } from '../testing/config-hive.js';
import { run } from './run.js';
import type { CliIo } from './cli-io.js';

let core: RunningCore;

function ctl(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProgramRun> {
  return runProgram(entries.ctl, args, { env: { NO_COLOR: '', FORCE_COLOR: undefined, HYPERHIVE_SOCKET: core.hostSocket, ...env } });
}

async function propose(agent: string, sha: string): Promise<number> {
  return (await core.agentRequest<{ id: number }>('manager', { cmd: 'request_apply_commit', agent, commit_ref: sha })).id;
}

before(async () => {
  core = await startCore({ config: { manager: 'manager', agents: { manager: {}, iris: { parent: 'manager' }, damocles: {} } } });
});

after(async () => {
  await core?.cleanup();
});

test('approval ID prints the files and the diff: plain when piped, coloured when forced, the whole of a diff sent in pages', async () => {
  const base = gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'HEAD');
  const notes = Array.from({ length: 30_000 }, (_, i) => `line ${i} ${'y'.repeat(40)}`).join('\n') + '\n';
  const sha = commitChange(core, 'iris', { agentJson: { model: 'sonnet' }, files: { 'notes.txt': notes } }, 'sonnet and notes');
  const id = await propose('iris', sha);
  const plain = await ctl(['approval', String(id)]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.doesNotMatch(plain.stdout, /\u001b/, 'no escapes when stdout is not a terminal');
  assert.match(plain.stdout, new RegExp(`^approval #${id}  apply_commit for iris  pending\\n`));
  assert.match(plain.stdout, new RegExp(`diffed from  ${base}`));
  assert.match(plain.stdout, /2 files:\n {2}changed agent\.json {2}\+1 −1\n {2}new {5}notes\.txt {2}\+30000 −0\n/);
  const expected = execFileSync('git', ['-C', appliedRepo(core, 'iris'), 'diff', base, sha], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
  assert.ok(Buffer.byteLength(expected) > 1 << 20, 'more than one page');
  assert.ok(plain.stdout.endsWith(expected), 'the whole diff, every page of it');

  const coloured = await ctl(['approval', String(id)], { FORCE_COLOR: '1' });
  assert.match(coloured.stdout, /\u001b\[31m-  "model": "haiku",\u001b\[0m\n\u001b\[32m\+  "model": "sonnet",\u001b\[0m/);
  assert.match(coloured.stdout, /\u001b\[36m@@ /);
  const noColour = await ctl(['approval', String(id)], { FORCE_COLOR: '1', NO_COLOR: '1' });
  assert.doesNotMatch(noColour.stdout, /\u001b/, 'NO_COLOR wins');

  const pagesJson = (await ctl(['approval', String(id), '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { approval: { diff: string } });
  assert.ok(pagesJson.length > 1, 'with --json, each page is one response line');
  assert.equal(pagesJson.map((p) => p.approval.diff).join(''), expected);
  assert.equal((await core.request({ cmd: 'deny', id })).ok, true);
});

test('diff AGENT: what the agent runs against its proposed repo head; nothing once approved', async () => {
  const sha = commitChange(core, 'damocles', { claudeMd: '# damocles\n\nReview everything twice.\n' });
  const before = await ctl(['diff', 'damocles']);
  assert.equal(before.code, 0, before.stderr);
  assert.match(before.stdout, new RegExp(`^damocles runs [0-9a-f]{12}; its proposed config repo is at ${sha.slice(0, 12)}`));
  assert.match(before.stdout, /\+Review everything twice\./);
  assert.equal((await core.request({ cmd: 'approve', id: await propose('damocles', sha) })).ok, true);
  const after = await ctl(['diff', 'damocles']);
  assert.equal(after.stdout, `damocles runs ${sha.slice(0, 12)}, the head of its proposed config repo: nothing to propose\n`);
  const unknown = await ctl(['diff', 'ghost']);
  assert.deepEqual([unknown.code, unknown.stderr], [1, 'hyperhive: no agent named "ghost"\n']);
});

test('destroy keeps; kept lists; revive queues a revival; purge asks (refused without a terminal unless --yes) and removes for good', async () => {
  const destroyed = await ctl(['destroy', 'damocles']);
  assert.deepEqual([destroyed.code, destroyed.stdout], [0, 'destroyed damocles; its state is kept (hyperhive kept, revive, purge)\n']);
  const kept = await ctl(['kept']);
  assert.match(kept.stdout, /^NAME\s+DESTROYED\s+DEPLOYED\ndamocles\s+\d+s ago\s+[0-9a-f]{12}\n/);
  const revive = await ctl(['revive', 'damocles']);
  assert.match(revive.stdout, /^revival of damocles queued as approval #(\d+) — hyperhive approve \d+\n$/);
  const id = Number(/#(\d+)/.exec(revive.stdout)![1]);
  assert.match((await ctl(['approval', String(id)])).stdout, /^approval #\d+  spawn \(revival\) for damocles  pending/);
  assert.equal((await core.request({ cmd: 'deny', id })).ok, true);

  const stateDir = path.join(core.stateDir, 'agents', 'damocles');
  const unasked = await ctl(['purge', 'damocles']);
  assert.equal(unasked.code, 2);
  assert.match(unasked.stderr, /purge removes damocles's state \(config repos, notes, history\) for good; add --yes to confirm/);
  assert.ok(fs.existsSync(stateDir), 'nothing removed without a yes');
  const purged = await ctl(['purge', 'damocles', '--yes']);
  assert.deepEqual([purged.code, purged.stdout], [0, 'purged damocles\n']);
  assert.ok(!fs.existsSync(stateDir));
  assert.equal((await ctl(['kept'])).stdout.split('\n')[0], 'no kept agents');
  const usage = await ctl(['destroy', 'iris', '--yes']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--yes goes with --purge/);
});

test('a purge the operator does not confirm on the terminal changes nothing and never reaches the core', async () => {
  const lines: string[] = [];
  const io: CliIo = {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    env: { HYPERHIVE_SOCKET: '/nonexistent/host.sock' },
    now: () => Date.now(),
    readStdin: async () => '',
    readLine: async () => null,
    actor: () => 'test',
    version: () => '0',
    interrupted: () => new Promise(() => {}),
    ask: async (prompt) => {
      lines.push(prompt);
      return false;
    },
  };
  assert.equal(await run(['destroy', 'iris', '--purge'], io), 1);
  assert.deepEqual(lines, ["remove iris's state (config repos, notes, history) for good? [y/N] ", 'hyperhive: nothing removed']);
});

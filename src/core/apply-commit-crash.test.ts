// End-to-end: a core killed (SIGKILL) between the steps of applying a config change. The next
// core finishes the change (the agent runs it) or rolls it back (the agent runs the previous
// commit), and the approval says which.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { appliedRepo, approval, commitChange, flagValue, gitIn, harnessArgv, rows, startConfigHive } from '../testing/config-hive.js';
import type { CrashPoint } from './crash-points.js';

/** Propose sonnet for iris and approve it on a core armed to die at `point`; the restarted core, the ids. */
async function crashWhileApplying(point: CrashPoint): Promise<{ core: RunningCore; id: number; sha: string; base: string }> {
  const first = await startConfigHive({ env: { HYPERHIVE_CRASH_AT: point } });
  const base = gitIn(appliedRepo(first, 'iris'), 'rev-parse', 'HEAD');
  const sha = commitChange(first, 'iris', { agentJson: { model: 'sonnet' } });
  const { id } = await first.agentRequest<{ id: number }>('manager', { cmd: 'request_apply_commit', agent: 'iris', commit_ref: sha });
  await first.request({ cmd: 'approve', id }).catch(() => undefined); // the core dies before it answers
  await waitFor(() => first.proc.signalCode === 'SIGKILL', { what: `the core to die at ${point}` });
  const core = await startCore({ dir: first.dir, env: { HYPERHIVE_CRASH_AT: '' } });
  await waitFor(async () => (await rows(core)).iris?.running, { timeoutMs: 30_000, what: 'iris running again' });
  return { core, id, sha, base };
}

for (const point of ['approval-decided', 'apply-commit-checked-out'] as const) {
  test(`killed at ${point}: the next core puts the previous commit back; iris runs it; the approval says failed`, async () => {
    const { core, id, base } = await crashWhileApplying(point);
    try {
      const a = await approval(core, id);
      assert.equal(a.status, 'failed');
      assert.match(a.note!, /the core stopped while applying [0-9a-f]{12}; iris was put back on [0-9a-f]{12} and runs that/);
      assert.equal(gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'HEAD'), base);
      assert.equal(gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'deployed'), base);
      assert.equal((await rows(core)).iris!.deployed_sha, base.slice(0, 12));
      await waitFor(() => flagValue(harnessArgv(core, 'iris'), '--model') === 'haiku', { what: 'iris on the previous model' });
      const deny = await core.request<{ ok: boolean; code: string }>({ cmd: 'deny', id });
      assert.deepEqual([deny.ok, deny.code], [false, 'conflict']);
    } finally {
      await core.cleanup();
    }
  });
}

for (const point of ['apply-commit-recorded', 'approval-applied'] as const) {
  test(`killed at ${point}: the change was recorded, so the next core finishes it; iris runs the new commit`, async () => {
    const { core, id, sha } = await crashWhileApplying(point);
    try {
      const a = await approval(core, id);
      assert.deepEqual([a.status, a.note, a.applying], ['approved', undefined, undefined]);
      assert.equal(gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'HEAD'), sha);
      assert.equal(gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'deployed'), sha);
      assert.equal((await rows(core)).iris!.deployed_sha, sha.slice(0, 12));
      await waitFor(() => flagValue(harnessArgv(core, 'iris'), '--model') === 'sonnet', { what: 'iris on the new model' });
    } finally {
      await core.cleanup();
    }
  });
}

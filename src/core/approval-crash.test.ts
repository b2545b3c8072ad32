// End-to-end: a core killed (SIGKILL) between the steps of approving a spawn; the next core
// finishes the spawn or rolls it back, and the approval always says what happened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import type { Approval } from '../protocol/index.js';
import type { CrashPoint } from './crash-points.js';

async function approval(core: RunningCore, id: number): Promise<Approval> {
  return (await core.request<{ approval: Approval }>({ cmd: 'approval', id })).approval;
}

/** Approve a spawn of `newbie` on a core armed to die at `point`; return the restarted core and the approval id. */
async function crashWhileApproving(point: CrashPoint): Promise<{ core: RunningCore; id: number }> {
  const first = await startCore({ config: { agents: { iris: {} } }, env: { HYPERHIVE_CRASH_AT: point } });
  const { id } = await first.request<{ id: number }>({ cmd: 'request_spawn', name: 'newbie' });
  await first.request({ cmd: 'approve', id }).catch(() => undefined); // the core dies before it answers
  await waitFor(() => first.proc.signalCode === 'SIGKILL', { what: `the core to die at ${point}` });
  const core = await startCore({ dir: first.dir, env: { HYPERHIVE_CRASH_AT: '' } });
  return { core, id };
}

function leftovers(core: RunningCore, name: string): string[] {
  return [path.join(core.stateDir, 'agents', name), path.join(core.runtimeDir, 'agents', name)].filter((p) => fs.existsSync(p));
}

test('killed after the decision, before anything was created: the spawn is failed, nothing exists, deny is refused', async () => {
  const { core, id } = await crashWhileApproving('approval-decided');
  try {
    const a = await approval(core, id);
    assert.equal(a.status, 'failed');
    assert.match(a.note!, /the core stopped before newbie was created; nothing was left behind/);
    assert.deepEqual((await core.request<{ agents: string[] }>({ cmd: 'list' })).agents, ['iris']);
    assert.deepEqual(leftovers(core, 'newbie'), []);
    const deny = await core.request<{ ok: boolean; code: string }>({ cmd: 'deny', id });
    assert.deepEqual([deny.ok, deny.code], [false, 'conflict']);
    const again = await core.request<{ ok: boolean; id: number }>({ cmd: 'request_spawn', name: 'newbie' });
    assert.equal(again.ok, true, 'the spawn can be asked for again');
  } finally {
    await core.cleanup();
  }
});

for (const point of ['spawn-created', 'approval-applied'] as const) {
  test(`killed at ${point}: the next core finishes the spawn; the agent answers on its socket and the approval says approved`, async () => {
    const { core, id } = await crashWhileApproving(point);
    try {
      const a = await approval(core, id);
      assert.deepEqual([a.status, a.note], ['approved', undefined]);
      assert.deepEqual((await core.request<{ agents: string[] }>({ cmd: 'list' })).agents, ['iris', 'newbie']);
      assert.equal((await core.agentRequest<{ name: string }>('newbie', { cmd: 'whoami' })).name, 'newbie');
      const deny = await core.request<{ ok: boolean; code: string }>({ cmd: 'deny', id });
      assert.deepEqual([deny.ok, deny.code], [false, 'conflict']);
    } finally {
      await core.cleanup();
    }
  });
}

test('a denied spawn leaves no state dir and no socket', async () => {
  const core = await startCore({ config: { agents: { iris: {} } } });
  try {
    const { id } = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'newbie' });
    assert.equal((await core.request({ cmd: 'deny', id, note: 'no' })).ok, true);
    assert.deepEqual(leftovers(core, 'newbie'), []);
    const approve = await core.request<{ ok: boolean; code: string }>({ cmd: 'approve', id });
    assert.deepEqual([approve.ok, approve.code], [false, 'conflict']);
    assert.deepEqual(leftovers(core, 'newbie'), []);
  } finally {
    await core.cleanup();
  }
});

test('a spawn whose socket cannot be opened fails as a whole and leaves nothing behind', async () => {
  const core = await startCore({ config: { agents: { iris: {} } } });
  try {
    const { id } = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'newbie' });
    // Someone put a link where the agent's socket dir goes: opening the socket is refused.
    fs.mkdirSync(path.join(core.dir, 'elsewhere'));
    fs.symlinkSync(path.join(core.dir, 'elsewhere'), path.join(core.runtimeDir, 'agents', 'newbie'));
    const res = await core.request<{ ok: boolean; code: string; error: string }>({ cmd: 'approve', id });
    assert.deepEqual([res.ok, res.code], [false, 'unavailable']);
    assert.match(res.error, /could not create newbie: .*newbie is a symbolic link/);
    const a = await approval(core, id);
    assert.equal(a.status, 'failed');
    assert.deepEqual((await core.request<{ agents: string[] }>({ cmd: 'list' })).agents, ['iris']);
    assert.equal(fs.existsSync(path.join(core.stateDir, 'agents', 'newbie')), false);
    assert.deepEqual(fs.readdirSync(path.join(core.dir, 'elsewhere')), []);
  } finally {
    await core.cleanup();
  }
});

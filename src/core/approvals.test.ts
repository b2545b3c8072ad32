// The approval queue on an in-memory store: one resolution per approval, appliers per kind, the requester told,
// decisions recorded before they are applied and mended after a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Approvals, type ApprovalApplier } from './approvals.js';
import { testPorts } from './testing/service-ports.js';
import { MAX_EVENT_DIFF_BYTES, type Approval } from '../protocol/index.js';

/** An applier whose recovery must not run in the test using it. */
function applier(apply: ApprovalApplier['apply']): ApprovalApplier {
  return { apply, recover: async () => assert.fail('recover ran') };
}

function setup() {
  const ports = testPorts({ agents: { boss: {}, iris: {} }, manager: 'boss' });
  return { ports, approvals: new Approvals(ports) };
}

test('a queued approval is pending, announced, and listed pending first, oldest first', () => {
  const { ports, approvals } = setup();
  const first = approvals.add({ agent: 'a1', kind: 'spawn', requested_by: 'boss', diff: 'the diff' });
  const second = approvals.add({ agent: 'a2', kind: 'spawn', description: 'helps iris' });
  assert.equal(approvals.deny(first, 'no', 'op'), true);
  const third = approvals.add({ agent: 'a3', kind: 'spawn' });
  assert.deepEqual(approvals.list().items.map((a) => [a.id, a.status]), [[second, 'pending'], [third, 'pending'], [first, 'denied']]);
  assert.equal(approvals.get(second)!.description, 'helps iris');
  assert.equal(approvals.get(first)!.diff, undefined, 'the diff only when asked for');
  assert.equal(approvals.get(first, true)!.diff, 'the diff');
  const added = ports.events().filter((e) => e.kind === 'approval_added');
  assert.deepEqual(added.map((e) => e.id), [first, second, third]);
});

test('approval events carry the reference system\'s flat fields, optional ones as null', async () => {
  const { ports, approvals } = setup();
  const id = approvals.add({ agent: 'iris', kind: 'apply_commit', commit_ref: '3f9c2ab', fetched_sha: '3f9c2ab41d0e5f6a7b8c9d0e1f2a3b4c5d6e7f80', requested_by: 'boss', diff: 'diff --git a/x b/x\n--- a/x\n+++ b/x\n' });
  const spawn = approvals.add({ agent: 'scout', kind: 'spawn' });
  assert.equal(approvals.deny(id, 'not this week', 'alice@box'), true);
  const [added, addedSpawn, resolved] = ports.events().map(({ seq: _seq, at, ...rest }) => {
    assert.equal(typeof at, 'number');
    return rest;
  });
  const requestedAt = Math.floor(Date.parse(approvals.get(id)!.requested_at) / 1000);
  assert.deepEqual(added, {
    kind: 'approval_added', id, agent: 'iris', approval_kind: 'apply_commit', sha_short: '3f9c2ab41d0e', diff: 'diff --git a/x b/x\n--- a/x\n+++ b/x\n', description: null,
    diff_truncated: false, commit_ref: '3f9c2ab', fetched_sha: '3f9c2ab41d0e5f6a7b8c9d0e1f2a3b4c5d6e7f80', requested_at: requestedAt, requested_by: 'boss', diff_files: 1,
  });
  assert.deepEqual(addedSpawn, {
    kind: 'approval_added', id: spawn, agent: 'scout', approval_kind: 'spawn', sha_short: null, diff: null, description: null,
    diff_truncated: false, commit_ref: '', fetched_sha: null, requested_at: addedSpawn!.requested_at, requested_by: null, diff_files: null,
  });
  assert.deepEqual(resolved, {
    kind: 'approval_resolved', id, agent: 'iris', approval_kind: 'apply_commit', sha_short: '3f9c2ab41d0e', status: 'denied',
    resolved_at: Math.floor(Date.parse(approvals.get(id)!.resolved_at!) / 1000), note: 'not this week', description: null,
    resolved_by: 'alice@box', commit_ref: '3f9c2ab', requested_at: requestedAt, requested_by: 'boss',
  });
});

test('a diff too big for an event is cut there and whole in the approval', () => {
  const { ports, approvals } = setup();
  const diff = '+\u0001'.repeat(200_000) + '\n'; // control characters take six bytes each in JSON
  const id = approvals.add({ agent: 'iris', kind: 'apply_commit', commit_ref: 'abcdef1', diff });
  const line = ports.dashboard.replay(0, null)![0]!;
  assert.ok(Buffer.byteLength(line) < MAX_EVENT_DIFF_BYTES + 4096, `the event line is ${Buffer.byteLength(line)} bytes`);
  const event = JSON.parse(line) as { diff: string; diff_truncated: boolean };
  assert.equal(event.diff_truncated, true);
  assert.ok(diff.startsWith(event.diff.slice(0, event.diff.indexOf('\n['))));
  assert.match(event.diff, new RegExp(`the whole diff is in approval #${id}`));
  assert.equal(approvals.get(id, true)!.diff, diff);
});

test('approving runs the kind\'s applier once, records who approved, audits and tells the requester', async () => {
  const { ports, approvals } = setup();
  const applied: Approval[] = [];
  approvals.onApprove('spawn', applier(async (approval) => {
    applied.push(approval);
    return null;
  }));
  const id = approvals.add({ agent: 'newcomer', kind: 'spawn', requested_by: 'boss' });
  assert.equal(await approvals.approve(id, 'op@box'), true);
  assert.deepEqual(applied.map((a) => a.id), [id]);
  const approval = approvals.get(id)!;
  assert.equal(approval.status, 'approved');
  assert.equal(approval.resolved_by, 'op@box');
  assert.ok(approval.resolved_at);
  assert.deepEqual(ports.notified, [{ agent: 'boss', event: { event: 'approval_resolved', id, agent: 'newcomer', kind: 'spawn', status: 'approved' } }]);
  assert.deepEqual(ports.audits().map((a) => [a.actor, a.action, a.target]), [['op@box', 'approve', String(id)]]);
  assert.equal(ports.events().filter((e) => e.kind === 'approval_resolved').length, 1);
  const again = await approvals.approve(id, 'op');
  assert.deepEqual([again !== true && again.code, again !== true && again.error], ['conflict', `approval #${id} was already approved`]);
  assert.equal(applied.length, 1, 'the applier ran once');
});

test('an applier that fails or throws leaves the approval failed with the reason', async () => {
  const { approvals } = setup();
  approvals.onApprove('spawn', applier(async () => 'the disk is full'));
  approvals.onApprove('apply_commit', applier(async () => {
    throw new Error('git exploded');
  }));
  const spawn = approvals.add({ agent: 'x', kind: 'spawn' });
  const refused = await approvals.approve(spawn, undefined);
  assert.ok(refused !== true && refused.code === 'unavailable');
  assert.equal(refused.error, `approval #${spawn} failed: the disk is full`);
  assert.deepEqual([approvals.get(spawn)!.status, approvals.get(spawn)!.note], ['failed', 'the disk is full']);
  const commit = approvals.add({ agent: 'x', kind: 'apply_commit' });
  assert.equal(((await approvals.approve(commit, undefined)) as { error: string }).error, `approval #${commit} failed: git exploded`);
  assert.equal(approvals.get(commit)!.status, 'failed');
});

test('a kind with no applier cannot be approved', async () => {
  const { approvals } = setup();
  const id = approvals.add({ agent: 'x', kind: 'tool_permission' });
  const refused = await approvals.approve(id, undefined);
  assert.ok(refused !== true);
  assert.match(refused.error, /approving a tool_permission request is not supported/);
  assert.equal(approvals.get(id)!.status, 'failed');
});

test('while an approval is being applied, a deny or second approve gets conflict', async () => {
  const { approvals } = setup();
  let finish!: (error: string | null) => void;
  approvals.onApprove('spawn', applier(() => new Promise((resolve) => (finish = resolve))));
  const id = approvals.add({ agent: 'x', kind: 'spawn' });
  const approving = approvals.approve(id, 'op1');
  const deny = approvals.deny(id, 'wait', 'op2');
  assert.deepEqual(deny, { refused: true, code: 'conflict', error: `approval #${id} is already being approved` });
  const second = await approvals.approve(id, 'op3');
  assert.ok(second !== true && second.code === 'conflict');
  finish(null);
  assert.equal(await approving, true);
  assert.equal(approvals.get(id)!.resolved_by, 'op1');
});

test('deny and cancel resolve once; unknown ids are not found', () => {
  const { ports, approvals } = setup();
  const denied = approvals.add({ agent: 'x', kind: 'spawn', requested_by: 'iris' });
  assert.equal(approvals.deny(denied, 'budget', 'op'), true);
  assert.deepEqual(ports.notified.at(-1), { agent: 'iris', event: { event: 'approval_resolved', id: denied, agent: 'x', kind: 'spawn', status: 'denied', note: 'budget' } });
  assert.equal(ports.audits().at(-1)!.action, 'deny');
  assert.equal((approvals.deny(denied, 'again', 'op') as { code: string }).code, 'conflict');
  const cancelled = approvals.add({ agent: 'y', kind: 'spawn' });
  assert.equal(approvals.cancel(cancelled, 'its agent is gone'), true);
  assert.deepEqual([approvals.get(cancelled)!.status, approvals.get(cancelled)!.resolved_by], ['cancelled', 'core']);
  assert.deepEqual(approvals.deny(999, undefined, 'op'), { refused: true, code: 'not_found', error: 'no approval #999' });
});

test('pendingSpawn finds only a pending spawn of that name', () => {
  const { approvals } = setup();
  const id = approvals.add({ agent: 'newcomer', kind: 'spawn' });
  approvals.add({ agent: 'other', kind: 'apply_commit' });
  assert.equal(approvals.pendingSpawn('newcomer')!.id, id);
  assert.equal(approvals.pendingSpawn('other'), undefined);
  approvals.deny(id, undefined, 'op');
  assert.equal(approvals.pendingSpawn('newcomer'), undefined);
});

test('the decision is committed before the applier runs; a core that dies mid-apply leaves it marked applying', async () => {
  const { ports, approvals } = setup();
  let seen: unknown;
  approvals.onApprove('spawn', applier(async (approval) => {
    // What a crash at this moment would leave in the store.
    seen = ports.db.prepare('SELECT status, applying, resolved_by FROM approvals WHERE id = ?').get(approval.id);
    return null;
  }));
  const id = approvals.add({ agent: 'x', kind: 'spawn' });
  assert.equal(await approvals.approve(id, 'op'), true);
  assert.deepEqual(seen, { status: 'approved', applying: 1, resolved_by: 'op' });
  assert.equal(approvals.get(id)!.applying, undefined, 'the mark is gone with the outcome');
  assert.deepEqual(ports.db.prepare('SELECT status, applying FROM approvals WHERE id = ?').get(id), { status: 'approved', applying: 0 });
});

test('at start, decisions left applying are finished or rolled back by their kind\'s recover hook, once', async () => {
  const { ports, approvals } = setup();
  // The first core: approves three and dies while applying each (the apply never returns).
  approvals.onApprove('spawn', applier(() => new Promise(() => {})));
  approvals.onApprove('apply_commit', applier(() => new Promise(() => {})));
  const finished = approvals.add({ agent: 'done', kind: 'spawn', requested_by: 'boss' });
  const rolledBack = approvals.add({ agent: 'half', kind: 'spawn', requested_by: 'boss' });
  const orphaned = approvals.add({ agent: 'x', kind: 'apply_commit' });
  for (const id of [finished, rolledBack, orphaned]) void approvals.approve(id, 'op');
  assert.equal(ports.events().filter((e) => e.kind === 'approval_resolved').length, 0, 'no outcome is announced before it is known');
  assert.deepEqual([approvals.get(finished)!.status, approvals.get(finished)!.applying], ['approved', true], 'clients see the decision and that it is being applied');
  const deny = approvals.deny(finished, 'too late', 'op2');
  assert.ok(deny !== true && deny.code === 'conflict', 'a decided approval cannot be denied');

  // The next core over the same store: only spawn knows how to recover.
  const next = new Approvals(ports);
  const recovered: number[] = [];
  next.onApprove('spawn', {
    apply: async () => assert.fail('apply ran again'),
    recover: async (approval) => {
      recovered.push(approval.id);
      return approval.agent === 'done' ? null : 'removed what was half-created';
    },
  });
  assert.deepEqual(await next.recoverInterrupted(), [
    { id: finished, status: 'approved' },
    { id: rolledBack, status: 'failed', note: 'removed what was half-created' },
    { id: orphaned, status: 'failed', note: 'the core stopped while applying it, and this core cannot finish approvals of kind apply_commit' },
  ]);
  assert.deepEqual(recovered, [finished, rolledBack]);
  assert.deepEqual([next.get(finished)!.status, next.get(finished)!.resolved_by], ['approved', 'op']);
  assert.deepEqual([next.get(rolledBack)!.status, next.get(rolledBack)!.note], ['failed', 'removed what was half-created']);
  assert.deepEqual(ports.events().filter((e) => e.kind === 'approval_resolved').map((e) => [e.id, e.status]), [
    [finished, 'approved'],
    [rolledBack, 'failed'],
    [orphaned, 'failed'],
  ]);
  assert.deepEqual(ports.notified.map((n) => [n.agent, (n.event as { status: string }).status]), [['boss', 'approved'], ['boss', 'failed']]);
  assert.deepEqual(await next.recoverInterrupted(), [], 'nothing is recovered twice');
  assert.equal(ports.audits().filter((a) => a.action === 'approve').length, 3, 'one decision each');
});

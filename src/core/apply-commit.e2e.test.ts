// End-to-end: config changes as approvals, on a process-backend hive with real git repos in a
// temp dir. The test speaks for the manager on its socket (its harness is stopped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../testing/hive.js';
import { connectPermissionClient, type PromptDecision } from '../testing/permission-client.js';
import type { Approval, PermissionRule } from '../protocol/index.js';
import { appliedRepo, approval, commitChange, flagValue, gitIn, harnessArgv, managerNews, proposedRepo, rows, startConfigHive } from '../testing/config-hive.js';

test('propose → the exact diff → approve: applied HEAD is the commit, the agent restarted on it, deployed_sha set, the manager told', async () => {
  const core = await startConfigHive();
  try {
    const before = (await rows(core)).iris!.deployed_sha!;
    const base = gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'HEAD');
    assert.equal(base.slice(0, 12), before);
    const where = await core.agentRequest<{ path: string; deployed_sha: string }>('manager', { cmd: 'config_repo', agent: 'iris' });
    assert.deepEqual([where.path, where.deployed_sha], [proposedRepo(core, 'iris'), base]);

    const sha = commitChange(core, 'iris', { agentJson: { model: 'sonnet', run_record: true }, claudeMd: '# iris\n\nRun the whole suite before you say green.\n' }, 'iris: sonnet, a run record, clearer instructions');
    const asked = await core.agentRequest<{ ok: boolean; id: number }>('manager', { cmd: 'request_apply_commit', agent: 'iris', commit_ref: sha.slice(0, 10), description: 'sonnet for the triage' });
    assert.equal(asked.ok, true, JSON.stringify(asked));
    assert.equal(gitIn(appliedRepo(core, 'iris'), 'rev-parse', `proposal/${asked.id}`), sha, 'tagged proposal/<id>');

    const pending = await approval(core, asked.id);
    const expected = execFileSync('git', ['-C', appliedRepo(core, 'iris'), 'diff', base, sha], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
    assert.equal(pending.diff, expected, 'the diff is exactly git diff deployed..commit');
    assert.deepEqual(
      [pending.kind, pending.status, pending.commit_ref, pending.fetched_sha, pending.base_sha, pending.description, pending.requested_by, pending.base_moved],
      ['apply_commit', 'pending', sha.slice(0, 10), sha, base, 'sonnet for the triage', 'manager', false],
    );
    assert.deepEqual(pending.files?.map((f) => [f.path, f.status, f.added, f.removed]), [['CLAUDE.md', 'modified', 1, 2], ['agent.json', 'modified', 2, 2]]);
    const listed = (await core.request<{ approvals: { id: number; diff?: string }[] }>({ cmd: 'pending' })).approvals.find((a) => a.id === asked.id);
    assert.equal(listed?.diff, undefined, 'lists never carry the diff');
    const pid = harnessArgv(core, 'iris');

    assert.equal((await core.request({ cmd: 'approve', id: asked.id })).ok, true);
    const done = await approval(core, asked.id);
    assert.deepEqual([done.status, done.note, done.applying], ['approved', undefined, undefined]);
    assert.equal(gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'HEAD'), sha, 'the applied repo checked the commit out');
    assert.equal(gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'deployed'), sha, 'tag deployed moved');
    const row = (await rows(core)).iris!;
    assert.deepEqual([row.deployed_sha, row.running, row.needs_update], [sha.slice(0, 12), true, false]);
    const argv = harnessArgv(core, 'iris');
    assert.notDeepEqual(argv, pid);
    assert.equal(flagValue(argv, '--model'), 'sonnet', 'restarted with the new model');
    assert.equal(flagValue(argv, '--jsonl'), path.join(core.stateDir, 'agents', 'iris', 'run-record.jsonl'), 'run_record turns the JSONL record on');
    await waitFor(() => fs.existsSync(path.join(core.stateDir, 'agents', 'iris', 'work', 'CLAUDE.md')) && fs.readFileSync(path.join(core.stateDir, 'agents', 'iris', 'work', 'CLAUDE.md'), 'utf8').includes('whole suite'), { what: 'the approved CLAUDE.md in the work dir' });
    await waitFor(() => fs.existsSync(path.join(core.stateDir, 'agents', 'iris', 'run-record.jsonl')), { what: 'the run record' });
    const news = await managerNews(core);
    assert.deepEqual(news.filter((n) => n.event === 'approval_resolved'), [{ event: 'approval_resolved', id: asked.id, agent: 'iris', kind: 'apply_commit', status: 'approved' }]);
    // What the agent runs now matches the proposed repo's head.
    const diff = await core.request<{ diff: string; head_sha: string; deployed_sha: string }>({ cmd: 'config_diff', name: 'iris' });
    assert.deepEqual([diff.diff, diff.head_sha, diff.deployed_sha], ['', sha, sha]);
  } finally {
    await core.cleanup();
  }
});

test('an approved change to the agent\'s permission rules decides its next call without a restart; a rolled-back one leaves them', async () => {
  const core = await startConfigHive();
  const iris = await connectPermissionClient(core.agentSocket('iris'), 'iris');
  try {
    const irisRules = async () => (await core.request<{ rules: PermissionRule[] }>({ cmd: 'rules' })).rules.filter((r) => r.agent === 'iris').map((r) => [r.rule, r.effect, r.source]);
    assert.deepEqual(await irisRules(), []);
    const sha = commitChange(core, 'iris', { agentJson: { permissions: { allow: [], deny: ['Bash(git push:*)'] } } }, 'iris: never push');
    const { id } = await core.agentRequest<{ id: number }>('manager', { cmd: 'request_apply_commit', agent: 'iris', commit_ref: sha });
    assert.equal((await core.request({ cmd: 'approve', id })).ok, true);
    assert.equal((await approval(core, id)).status, 'approved');
    assert.deepEqual(await irisRules(), [['Bash(git push:*)', 'deny', 'config']]);

    // Decided by the rule at once, or queued for the operator: whichever comes first says which.
    const pendingPush = waitFor(
      async () => (await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.kind === 'tool_permission' && a.tool_use_id === 'toolu_push'),
      { what: 'a decision or a queued tool approval' },
    ).then((queued) => ({ queued }));
    const first = await Promise.race([iris.ask('Bash', { command: 'git push origin main' }, 'toolu_push').then((decided) => ({ decided })), pendingPush]);
    assert.ok('decided' in first, `the call was queued for the operator instead of denied by the new rule: ${JSON.stringify(first)}`);
    const decided = (first as { decided: PromptDecision }).decided;
    assert.equal(decided.behavior, 'deny');
    assert.match((decided as { message: string }).message, /Bash\(git push:\*\) denies this call/);

    // A change that does not start is rolled back: the deny rule stays.
    const broken = commitChange(core, 'iris', { agentJson: { command: ['/nonexistent/claude'], permissions: { allow: [], deny: [] } } });
    const second = await core.agentRequest<{ id: number }>('manager', { cmd: 'request_apply_commit', agent: 'iris', commit_ref: broken });
    assert.equal((await core.request({ cmd: 'approve', id: second.id })).ok, false);
    assert.equal((await approval(core, second.id)).status, 'failed');
    assert.deepEqual(await irisRules(), [['Bash(git push:*)', 'deny', 'config']]);
    assert.equal((await iris.ask('Bash', { command: 'git push --force' })).behavior, 'deny');
  } finally {
    await iris.close();
    await core.cleanup();
  }
});

test('deny with a note: the manager hears it with the note; nothing changes', async () => {
  const core = await startConfigHive();
  try {
    const before = (await rows(core)).iris!.deployed_sha;
    const sha = commitChange(core, 'iris', { agentJson: { model: 'opus' } });
    const { id } = await core.agentRequest<{ id: number }>('manager', { cmd: 'request_apply_commit', agent: 'iris', commit_ref: sha });
    assert.equal((await core.request({ cmd: 'deny', id, note: 'opus is too dear for triage' })).ok, true);
    const news = await managerNews(core);
    assert.deepEqual(news.filter((n) => n.event === 'approval_resolved'), [{ event: 'approval_resolved', id, agent: 'iris', kind: 'apply_commit', status: 'denied', note: 'opus is too dear for triage' }]);
    assert.equal((await rows(core)).iris!.deployed_sha, before);
    assert.equal(flagValue(harnessArgv(core, 'iris'), '--model'), 'haiku');
    const diff = await core.request<{ diff: string }>({ cmd: 'config_diff', name: 'iris' });
    assert.match(diff.diff, /-  "model": "haiku",\n\+  "model": "opus",/, 'the proposed head still differs from what runs');
  } finally {
    await core.cleanup();
  }
});

test('a config that does not start: failed with the error, the previous commit checked out and running again', async () => {
  const core = await startConfigHive();
  try {
    const base = gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'HEAD');
    const sha = commitChange(core, 'iris', { agentJson: { command: ['/nonexistent/claude'], model: 'sonnet' } });
    const { id } = await core.agentRequest<{ id: number }>('manager', { cmd: 'request_apply_commit', agent: 'iris', commit_ref: sha });
    const res = await core.request<{ ok: boolean; code: string; error: string }>({ cmd: 'approve', id });
    assert.deepEqual([res.ok, res.code], [false, 'unavailable']);
    const failed = await approval(core, id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.note!, /iris did not start with [0-9a-f]{12}: its harness exited at start \(exit code 78\).*cannot run "\/nonexistent\/claude"/);
    assert.match(failed.note!, /was put back and runs again/);
    assert.equal(gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'HEAD'), base);
    assert.equal(gitIn(appliedRepo(core, 'iris'), 'rev-parse', 'deployed'), base);
    const row = (await rows(core)).iris!;
    assert.deepEqual([row.running, row.failed, row.deployed_sha], [true, false, base.slice(0, 12)]);
    assert.equal(flagValue(harnessArgv(core, 'iris'), '--model'), 'haiku', 'the previous config runs');
    const news = await managerNews(core);
    assert.equal(news.find((n) => n.event === 'approval_resolved')?.status, 'failed');
  } finally {
    await core.cleanup();
  }
});

test('refused at request time, nothing queued: invalid agent.json, unknown ref, non-hex ref, another agent\'s commit, no history in common', async () => {
  const core = await startConfigHive();
  try {
    const ask = (agent: string, commit_ref: string) => core.agentRequest<{ ok: boolean; code: string; error: string }>('manager', { cmd: 'request_apply_commit', agent, commit_ref });
    const badField = commitChange(core, 'iris', { agentJson: { model: '' } });
    const unknownKey = commitChange(core, 'iris', { agentJson: { model: 'haiku', colour: 'blue' } });
    const noParent = commitChange(core, 'iris', { agentJson: { colour: null, parent: 'ghost' } });
    const notJson = commitChange(core, 'iris', { agentJsonText: '{ "model": ' });
    const damocles = commitChange(core, 'damocles', { agentJson: { model: 'sonnet' } });
    gitIn(proposedRepo(core, 'iris'), 'checkout', '--quiet', '--orphan', 'elsewhere');
    const orphan = commitChange(core, 'iris', { agentJsonText: '{ "model": "sonnet" }\n' }, 'unrelated history');
    const cases: [string, string, string, RegExp][] = [
      ['iris', badField, 'bad_request', /agent\.json field "model": .* \(at [0-9a-f]{12}\)/],
      ['iris', notJson, 'bad_request', /agent\.json is not valid JSON/],
      ['iris', unknownKey, 'bad_request', /agent\.json field "\(top level\)": .*colour/],
      ['iris', noParent, 'bad_request', /agent\.json field "parent": "ghost" is not an agent of this hive/],
      ['iris', 'deadbeefdeadbeef', 'not_found', /deadbeefdeadbeef is not a commit of iris's proposed config repo/],
      ['iris', damocles, 'not_found', /is not a commit of iris's proposed config repo/],
      ['iris', orphan, 'bad_request', /shares no history with iris's deployed config/],
      ['iris', 'main~1', 'bad_request', /commit_ref.*7 to 40 hex digits/],
      ['iris', 'zzzzzzzz', 'bad_request', /commit_ref.*7 to 40 hex digits/],
      ['ghost', damocles, 'not_found', /no agent named "ghost"/],
    ];
    for (const [agent, ref, code, error] of cases) {
      const res = await ask(agent, ref);
      assert.equal(res.ok, false, `${agent} ${ref}`);
      assert.equal(res.code, code, `${agent} ${ref}: ${res.error}`);
      assert.match(res.error, error);
    }
    assert.deepEqual((await core.request<{ approvals: unknown[] }>({ cmd: 'pending' })).approvals, [], 'nothing was queued');
    // A worker may not ask at all.
    const worker = await core.agentRequest<{ ok: boolean; code: string }>('iris', { cmd: 'request_apply_commit', agent: 'iris', commit_ref: damocles });
    assert.deepEqual([worker.ok, worker.code], [false, 'forbidden']);
  } finally {
    await core.cleanup();
  }
});

test('twenty concurrent approves and denies of one apply_commit: exactly one wins, the rest get conflict', async () => {
  const core = await startConfigHive();
  try {
    const sha = commitChange(core, 'damocles', { agentJson: { model: 'sonnet' } });
    const { id } = await core.agentRequest<{ id: number }>('manager', { cmd: 'request_apply_commit', agent: 'damocles', commit_ref: sha });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => core.request<{ ok: boolean; code?: string }>(i % 2 === 0 ? { cmd: 'approve', id } : { cmd: 'deny', id, note: `no ${i}` })),
    );
    const winners = results.filter((r) => r.ok);
    assert.equal(winners.length, 1, JSON.stringify(results));
    assert.ok(results.filter((r) => !r.ok).every((r) => r.code === 'conflict'), JSON.stringify(results));
    const final = await approval(core, id);
    assert.ok(final.status === 'approved' || final.status === 'denied', final.status);
    const news = (await managerNews(core)).filter((n) => n.event === 'approval_resolved');
    assert.equal(news.length, 1, 'the manager hears exactly once');
    const deployed = (await rows(core)).damocles!.deployed_sha;
    assert.equal(deployed === sha.slice(0, 12), final.status === 'approved');
  } finally {
    await core.cleanup();
  }
});

/**
 * End to end: the compiled `hyperhive` ctl on tool permissions, against a
 * real core, with the real MCP SDK client asking as claude does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entries, runProgram, startCore, waitFor, type ProgramRun, type RunningCore } from '../testing/hive.js';
import { connectPermissionClient } from '../testing/permission-client.js';
import type { Approval, PermissionRule } from '../protocol/index.js';

function ctl(core: RunningCore, args: string[]): Promise<ProgramRun> {
  return runProgram(entries.ctl, args, { env: { HYPERHIVE_SOCKET: core.hostSocket } });
}

test('ctl: pending and approval show a tool call, approve and deny decide it (by id or tool_use_id), rules are listed, added and removed', async () => {
  const core = await startCore({ config: { name: 'ctl-perms', agents: { iris: {} }, permissions: { deny: ['Bash(rm -rf:*)'] } } });
  const iris = await connectPermissionClient(core.agentSocket('iris'), 'iris');
  try {
    const asked = iris.ask('Bash', { command: 'npm test -- --watch=false', description: 'Run the test suite' }, 'toolu_ctl1');
    const queued = await waitFor(async () => (await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.tool_use_id === 'toolu_ctl1'), { what: 'the tool approval' });
    const pending = await ctl(core, ['pending']);
    assert.equal(pending.code, 0);
    assert.match(pending.stdout, new RegExp(`#${queued.id}\\s+iris\\s+tool_permission\\s+pending .*Bash: npm test -- --watch=false`));
    const shown = await ctl(core, ['approval', String(queued.id)]);
    assert.match(shown.stdout, /tool +Bash {2}\(toolu_ctl1\)/);
    assert.match(shown.stdout, /what +Run the test suite/);
    assert.match(shown.stdout, /\$ npm test -- --watch=false/);
    assert.match(shown.stdout, /hyperhive rule add allow 'Bash\(npm test:\*\)' --agent iris/);
    const approved = await ctl(core, ['approve', 'toolu_ctl1']);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(approved.stdout.trim(), 'approved toolu_ctl1');
    assert.equal((await asked).behavior, 'allow');

    const second = iris.ask('Bash', { command: 'git push' }, 'toolu_ctl2');
    const queued2 = await waitFor(async () => (await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.tool_use_id === 'toolu_ctl2' && a.status === 'pending'), { what: 'the second' });
    const denied = await ctl(core, ['deny', String(queued2.id), '--note', 'open a pull request instead']);
    assert.equal(denied.code, 0, denied.stderr);
    assert.deepEqual(await second, { behavior: 'deny', message: 'open a pull request instead' });
    const unknown = await ctl(core, ['approve', 'toolu_gone']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no tool approval is waiting for tool_use_id "toolu_gone"/);

    const added = await ctl(core, ['rule', 'add', 'allow', 'Bash(npm test:*)', '--agent', 'iris', '--for', '8h']);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^added rule #\d+: allow Bash\(npm test:\*\) for iris, for (8h|7h\d*m?)/);
    assert.equal((await iris.ask('Bash', { command: 'npm test' })).behavior, 'allow');
    const listed = await ctl(core, ['rules']);
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /^ID +EFFECT +SCOPE +HITS +LAST USED +EXPIRES +FROM +RULE/);
    assert.match(listed.stdout, /deny +hive +0 +- +- +config +Bash\(rm -rf:\*\)/);
    assert.match(listed.stdout, /allow +iris +1 +\d+s ago +in (8h|7h) +\S+ +Bash\(npm test:\*\)/);
    const json = await ctl(core, ['--json', 'rules']);
    const rules = (JSON.parse(json.stdout) as { rules: PermissionRule[] }).rules;
    const mine = rules.find((r) => r.source === 'operator')!;
    const bad = await ctl(core, ['rule', 'add', 'deny', 'Bash(npm test']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim(), 'hyperhive: rule "Bash(npm test" does not parse: it opens "(" but does not end with ")"');
    const configRule = rules.find((r) => r.source === 'config')!;
    const refused = await ctl(core, ['rule', 'rm', String(configRule.id)]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /comes from the hive config/);
    const removed = await ctl(core, ['rule', 'rm', String(mine.id)]);
    assert.equal(removed.stdout.trim(), `removed rule #${mine.id}`);
    assert.equal(((await core.request<{ rules: PermissionRule[] }>({ cmd: 'rules' })).rules).length, 1);
  } finally {
    await iris.close();
    await core.cleanup();
  }
});

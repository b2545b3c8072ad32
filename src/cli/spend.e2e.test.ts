/**
 * End to end: the compiled ctl's `login`, `cost` and `budget` against a real
 * core running fake claude under the process backend, logged out at first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { entries, repoRoot, runProgram, startCore, waitFor } from '../testing/hive.js';
import type { AgentStatusRow, AgentCost, HiveSpend } from '../protocol/index.js';

const FAKE_CLAUDE = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');

test('hyperhive login takes the code from stdin (asking again for one claude refuses); cost and budget show and set spend', async () => {
  const core = await startCore({
    config: {
      backend: 'process',
      budgets: { timezone: 'UTC' },
      agents: { iris: { command: ['node', FAKE_CLAUDE], env: { FAKE_CLAUDE_LOGIN: 'required', FAKE_CLAUDE_PACE_MS: '0', HYPERHIVE_HEARTBEAT_MS: '200' } } },
    },
  });
  const ctl = (args: string[], stdin?: string) => runProgram(entries.ctl, args, { ...(stdin !== undefined && { stdin }), env: { HYPERHIVE_SOCKET: core.hostSocket } });
  const row = async () => (await core.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' })).agent_statuses[0]!;
  try {
    await waitFor(async () => (await row()).needs_login, { what: 'iris to need a login', timeoutMs: 20_000 });
    const status = await ctl(['status']);
    assert.match(status.stdout, /iris\s+needs login/);

    const login = await ctl(['login', 'iris'], 'half-a-code\nfake-code#0000\n');
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /Sign in to claude for iris at:\n {2}https:\/\/claude\.ai\/oauth\/authorize\?code=true/);
    assert.match(login.stderr, /Paste code here if prompted > /);
    assert.match(login.stderr, /doesn't look like the full code/);
    assert.match(login.stdout, /^logged in: iris \(Login successful\.\)$/m);
    await waitFor(async () => !(await row()).needs_login && (await row()).last_turn?.result_kind === 'ok', { what: 'the held message to run', timeoutMs: 20_000 });

    // A wrong code given with --code fails at once and says why.
    const again = await ctl(['login', 'iris', '--code', 'wrong#code']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /the login of iris failed: Login failed: the code was not accepted/);

    const cost = await ctl(['cost', '--json']);
    assert.equal(cost.code, 0, cost.stderr);
    const report = JSON.parse(cost.stdout) as { spend: HiveSpend; agents: AgentCost[] };
    assert.equal(report.spend.timezone, 'UTC');
    assert.ok(report.spend.today_usd > 0 && report.spend.turns_today >= 2, JSON.stringify(report.spend));
    assert.equal(report.agents[0]!.name, 'iris');
    assert.equal(report.agents[0]!.today_usd, report.spend.today_usd);
    const human = await ctl(['cost']);
    assert.match(human.stdout, /^NAME\s+TODAY\s+TURNS\s+WEEK\s+TURNS\s+DAILY BUDGET\s+PER TURN$/m);
    assert.match(human.stdout, /^\(hive\)\s+\$\d/m);
    assert.match(human.stdout, /weeks start on Monday/);

    const set = await ctl(['budget', 'iris', '--daily', '100', '--per-turn', 'none']);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /^budget of iris: daily \$100\.00, per turn none/);
    assert.match((await ctl(['cost'])).stdout, /^iris\s+\$[\d.]+\s+\d+\s+\$[\d.]+\s+\d+\s+\$100\.00 0%/m);
    const bad = await ctl(['budget', 'ghost', '--daily', '1']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /no agent named "ghost"/);
  } finally {
    await core.cleanup();
  }
});

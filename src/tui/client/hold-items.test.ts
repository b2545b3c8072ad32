// The attention items an agent's own state calls for: logins, budget pauses and warnings, usage limits per account; their rank and sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentStatusRow, HiveSpend, PauseReason } from '../../protocol/index.js';
import { attentionKey, attentionQueue, needsByAgent } from './attention-queue.js';
import { hiveReducer, initialHiveState } from './hive-state.js';
import { holdItems, holdOutlook, holdSentence } from './hold-items.js';
import { agentRow, approval, operatorMessage, question, snapshot } from '../testing/fixtures.js';

const NOW_MS = 1_763_800_000_000;
const now = NOW_MS / 1000;
const spend = (today: number, daily?: number, state: 'ok' | 'warning' | 'exceeded' = 'ok', perTurn?: number) => ({
  today_usd: today, week_usd: today, turns_today: 3, turns_week: 3, budget_state: state,
  ...(daily !== undefined && { daily_budget_usd: daily }), ...(perTurn !== undefined && { per_turn_budget_usd: perTurn }),
});
const held = (name: string, reason: Pick<PauseReason, 'kind' | 'since' | 'resets_at' | 'resumes_at' | 'account'>, extra: Partial<AgentStatusRow> = {}) =>
  agentRow(name, { paused: true, pause_reason: { ...reason, text: `held (${reason.kind})` }, ...extra });
const hiveSpend = (today: number, daily: number, state: 'ok' | 'warning' | 'exceeded'): HiveSpend => ({ timezone: 'UTC', day_start: now - 3600, week_start: now - 86400, warn_percent: 80, ...spend(today, daily, state) });

test('one item per account for a usage limit, with the countdown to the reset and whether they resume by themselves', () => {
  const rows = [
    held('iris', { kind: 'usage_limit', since: now - 60, resets_at: now + 7200, account: 'default' }),
    held('damo', { kind: 'usage_limit', since: now - 120, resets_at: now + 7200, account: 'default' }),
    held('scout', { kind: 'usage_limit', since: now - 30, resets_at: now + 600, resumes_at: now + 630, account: 'lab' }),
  ];
  const items = holdItems(rows, undefined);
  assert.deepEqual(items.map((x) => [attentionKey(x), x.agents]), [['limit:default', ['iris', 'damo']], ['limit:lab', ['scout']]]);
  assert.equal(items[0]!.at, now - 120, 'the oldest pause of the account');
  assert.equal(holdSentence(items[0]!, NOW_MS), 'account "default" hit claude\'s usage limit: iris and damo paused; resets in 2h, paused until resumed');
  assert.match(holdOutlook(items[0]!, NOW_MS), /auto_resume_after_limit is off/);
  assert.equal(holdSentence(items[1]!, NOW_MS), 'account "lab" hit claude\'s usage limit: scout paused; resets in 10m, then resumes by itself');
  assert.match(holdOutlook(items[1]!, NOW_MS), /^resumes by itself in 10m/);
});

test('budgets: an agent\'s daily and per-turn pause, the hive\'s pause as one item, warnings for agents that still run', () => {
  const rows = [
    held('iris', { kind: 'budget', since: now - 600, resumes_at: now + 3 * 3600 }, { spend: spend(5.1, 5, 'exceeded') }),
    held('damo', { kind: 'turn_budget', since: now - 300 }, { spend: spend(3, undefined, 'ok', 2), last_turn: { ended_at: now - 300, duration_ms: 1000, cost_usd: 2.4, result_kind: 'ok' } }),
    agentRow('scout', { spend: spend(4.2, 5, 'warning') }),
    agentRow('past', { spend: spend(6, 5, 'exceeded') }),
    agentRow('calm', { spend: spend(1, 5) }),
    agentRow('opp', { paused: true, pause_reason: { kind: 'operator', text: 'paused by alice', since: now }, spend: spend(4.5, 5, 'warning') }),
  ];
  const byKey = new Map(holdItems(rows, undefined).map((x) => [attentionKey(x), x]));
  assert.deepEqual([...byKey.keys()], ['budget:iris', 'budget:damo', 'budget:scout', 'budget:past'], 'no item for a calm agent, nor a warning for one the operator paused');
  assert.equal(holdSentence(byKey.get('budget:iris')!, NOW_MS), 'paused: iris spent $5.10 of its $5.00 daily budget (102%), until the next budget day, in 3h');
  assert.equal(holdSentence(byKey.get('budget:damo')!, NOW_MS), 'paused: one turn of damo cost $2.40, over its $2.00 per-turn budget, until resumed');
  assert.equal(holdSentence(byKey.get('budget:scout')!, NOW_MS), 'scout spent $4.20 of its $5.00 daily budget (84%) and still runs');
  assert.equal(holdSentence(byKey.get('budget:past')!, NOW_MS), 'past spent $6.00 of its $5.00 daily budget (120%) and runs on past it (resumed for today)');

  const hiveRows = ['a', 'b', 'c'].map((n, i) => held(n, { kind: 'hive_budget', since: now - i * 10, resumes_at: now + 3600 }));
  const hive = holdItems(hiveRows, hiveSpend(50.2, 50, 'exceeded'));
  assert.equal(hive.length, 1, 'one item for the hive, not one per agent');
  assert.deepEqual([attentionKey(hive[0]!), hive[0]!.agents, hive[0]!.at], ['budget:(hive)', ['a', 'b', 'c'], now - 20]);
  assert.equal(holdSentence(hive[0]!, NOW_MS), '3 agents paused: the hive spent $50.20 of its $50.00 daily budget (100%), until the next budget day, in 1h');
  const warned = holdItems([agentRow('a')], hiveSpend(42, 50, 'warning'));
  assert.equal(holdSentence(warned[0]!, NOW_MS), 'the hive spent $42.00 of its $50.00 daily budget (84%) and still runs');
});

test('the queue ranks what stops agents after what expires and before what waits, warnings before messages; oldest first within a rank', () => {
  const s = hiveReducer(initialHiveState('/x', false), {
    type: 'snapshot',
    snapshot: snapshot({
      agents: [
        agentRow('keyless', { needs_login: true, paused: true, pause_reason: { kind: 'login', text: 'not logged in', since: now - 50 } }),
        held('iris', { kind: 'usage_limit', since: now - 500, resets_at: now + 60, account: 'default' }),
        held('spender', { kind: 'budget', since: now - 100 }, { spend: spend(11, 10, 'exceeded') }),
        agentRow('near', { spend: spend(8.5, 10, 'warning') }),
        agentRow('nearer', { spend: spend(9.5, 10, 'warning') }),
      ],
      approvals: [approval(1)],
      questions: [question(2, { deadline_at: now + 600 }), question(3)],
      operator_inbox: [operatorMessage(4)],
    }),
  });
  const keys = attentionQueue(s).map(attentionKey);
  assert.deepEqual(keys, ['question:2', 'limit:default', 'budget:spender', 'login:keyless', 'approval:1', 'question:3', 'budget:nearer', 'budget:near', 'message:4']);
  // The roster shows an agent's own holds on its row: Enter there still opens what the agent asked for.
  assert.equal(needsByAgent(attentionQueue(s)).get('keyless'), undefined);
});

test('an item disappears when its state clears: a login done, a budget raised, a limit lifted', () => {
  const before = [agentRow('a', { needs_login: true }), held('b', { kind: 'budget', since: now }, { spend: spend(6, 5, 'exceeded') }), held('c', { kind: 'usage_limit', since: now, account: 'default' })];
  assert.equal(holdItems(before, undefined).length, 3);
  const after = [agentRow('a'), agentRow('b', { spend: spend(6, 20, 'ok') }), agentRow('c')];
  assert.deepEqual(holdItems(after, undefined), []);
});

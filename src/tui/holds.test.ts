import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentStatusRow, HiveSpend } from '../protocol/index.js';
import { holdMark, holdNeedsYou, holdStatus, spendText } from './holds.js';
import { urgency } from './roster.js';

const now = 1_763_800_000_000;
const base: AgentStatusRow = {
  name: 'iris', running: true, failed: false, needs_update: false, needs_login: false, paused: false,
  pending_reminders: 0, turn_state: 'idle', turn_state_since: 0, unread: 0,
};
const spend = (today: number, daily?: number, state: 'ok' | 'warning' | 'exceeded' = 'ok') => ({ today_usd: today, week_usd: today * 3, turns_today: 4, turns_week: 12, ...(daily !== undefined && { daily_budget_usd: daily }), budget_state: state });

test('a usage limit shows its countdown to the resume (or the reset), and needs the operator', () => {
  const limited: AgentStatusRow = { ...base, paused: true, pause_reason: { kind: 'usage_limit', text: 'usage limit of claude account "default" reached', since: now / 1000, resets_at: now / 1000 + 7200, account: 'default' } };
  assert.equal(holdNeedsYou(limited), true);
  assert.equal(holdMark(limited, now), '⏳limit 2h');
  assert.match(holdStatus(limited, now), /^resets in 2h, p resumes — usage limit of claude account "default" reached$/);
  const auto = { ...limited, pause_reason: { ...limited.pause_reason!, resumes_at: now / 1000 + 7205 } };
  assert.match(holdStatus(auto, now), /^resumes in 2h — usage limit/);
  assert.deepEqual(urgency(limited, undefined), [2, 0]);
});

test('budgets: 80 % marks the row, a budget pause says why and when it lifts; an operator\'s pause needs nothing', () => {
  const warned = { ...base, spend: spend(4.2, 5, 'warning') };
  assert.equal(holdMark(warned, now), '$84%');
  assert.equal(holdNeedsYou(warned), true);
  const over: AgentStatusRow = { ...base, paused: true, spend: spend(5.1, 5, 'exceeded'), pause_reason: { kind: 'budget', text: 'spent $5.10 today, its daily budget is $5.00', since: 0, resumes_at: now / 1000 + 3600 } };
  assert.equal(holdMark(over, now), '$budget');
  assert.equal(holdStatus(over, now), 'resumes in 1h — spent $5.10 today, its daily budget is $5.00');
  const operator: AgentStatusRow = { ...base, paused: true, spend: spend(1, 5), pause_reason: { kind: 'operator', text: 'paused by alice', since: 0 } };
  assert.deepEqual([holdNeedsYou(operator), holdMark(operator, now), holdStatus(operator, now)], [false, '', '']);
  assert.equal(urgency(operator, undefined)[0], Number.POSITIVE_INFINITY);
});

test('the header\'s spend: today against the budget, and the week', () => {
  const hive: HiveSpend = { timezone: 'UTC', day_start: 0, week_start: 0, warn_percent: 80, ...spend(17, 20, 'warning') };
  assert.deepEqual(spendText(hive), { text: 'today $17.00/$20.00 85% · week $51.00', warn: true });
  assert.deepEqual(spendText({ timezone: 'UTC', day_start: 0, week_start: 0, warn_percent: 80, ...spend(1.5) }), { text: 'today $1.50 · week $4.50', warn: false });
});

// The attention view (ink-testing-library) with agents held by a login, a budget and a usage limit, and one near its budget:
// one line each, ranked, the selected one's sentence and keys under the list; y after p sends the resume; gone once cleared.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { render, cleanup } from 'ink-testing-library';
import { App } from './App.js';
import { noColorTheme } from './theme/theme.js';
import { TestHive, waitFor, waitForFrame } from './testing/test-hive.js';
import { agentRow, approval, snapshot } from './testing/fixtures.js';
import type { AgentStatusRow } from '../protocol/index.js';

afterEach(() => cleanup());

const NOW = Math.floor(Date.now() / 1000);
const spend = (today: number, daily: number, state: 'ok' | 'warning' | 'exceeded') => ({ today_usd: today, week_usd: today, turns_today: 2, turns_week: 2, daily_budget_usd: daily, budget_state: state });
const limited = (name: string, since: number): AgentStatusRow =>
  agentRow(name, { paused: true, pause_reason: { kind: 'usage_limit', text: 'usage limit of claude account "default" reached', since, resets_at: NOW + 2 * 3600 + 300, account: 'default' } });
const AGENTS = [
  agentRow('keyless', { needs_login: true, paused: true, pause_reason: { kind: 'login', text: 'claude is not logged in', since: NOW - 30 } }),
  limited('iris', NOW - 600),
  limited('damo', NOW - 300),
  agentRow('spender', { paused: true, spend: spend(10.4, 10, 'exceeded'), pause_reason: { kind: 'budget', text: 'spent $10.40 today, its daily budget is $10.00', since: NOW - 120, resumes_at: NOW + 5 * 3600 } }),
  agentRow('near', { spend: spend(8.6, 10, 'warning') }),
];

function mount(h: TestHive, columns = 160) {
  return render(<App hive={h} theme={noColorTheme} bell={false} size={{ columns, rows: 30 }} env={{}} />);
}

function liveHive(agents: AgentStatusRow[], readOnly = false): TestHive {
  const h = new TestHive(readOnly);
  h.apply({ type: 'snapshot', snapshot: snapshot({ agents, approvals: [approval(5, { requested_at: new Date((NOW - 60) * 1000).toISOString() })] }) }, { type: 'connection', info: { phase: 'live' } });
  return h;
}

test('the attention view lists the holds, one line each, what stops agents first and the warning below the approval', async () => {
  const h = liveHive(AGENTS);
  const r = mount(h);
  await waitForFrame(r.lastFrame, (f) => f.includes('spender'));
  r.stdin.write('2');
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('approval #5'));
  const row = (what: RegExp) => f.split('\n').find((l) => what.test(l)) ?? '';
  assert.match(row(/usage limit/), /⏸ usage limit\s+iris \+1\s+paused\s+10m ago\s+in 2h0[45]m\s+account "default" hit claude's usage limit: iris and damo paused; resets in 2h, paused until resumed/);
  assert.match(row(/\$ budget/), /spender\s+daily\s+2m ago\s+in [45]h\S*\s+paused: spender spent \$10\.40 of its \$10\.00 daily budget \(104%\), until the next budget day, in [45]h/);
  assert.match(row(/needs login/), /keyless\s+paused\s+30s ago\s+claude is not logged in for keyless; its messages wait until it is/);
  assert.match(row(/86% of budget/), /near\s+daily\s+near spent \$8\.60 of its \$10\.00 daily budget \(86%\) and still runs/);
  const order = [/usage limit/, /\$ budget/, /needs login/, /approval #5/, /86% of budget/].map((re) => f.split('\n').findIndex((l) => re.test(l)));
  assert.deepEqual([...order].sort((a, b) => a - b), order, JSON.stringify(order));
  // The first row is selected: its sentence, who it pauses, what happens if nobody acts, and its keys.
  assert.match(f, /paused: iris and damo/);
  assert.match(f, /waits for you \(auto_resume_after_limit is off\): p resumes once the limit has reset/);
  assert.match(f, /Enter stream · p resume/);
  for (const line of f.split('\n')) assert.ok(line.length <= 160, `one line per row: ${line}`);

  r.stdin.write('p');
  await waitForFrame(r.lastFrame, (fr) => /resume iris, damo\? \[y\/N\]/.test(fr));
  r.stdin.write('y');
  await waitFor(() => h.requests.filter((q) => q.cmd === 'set_paused').length === 2);
  assert.deepEqual(h.requests.filter((q) => q.cmd === 'set_paused'), [{ cmd: 'set_paused', name: 'iris', paused: false }, { cmd: 'set_paused', name: 'damo', paused: false }]);

  // The core resumes them: the item goes; the login done, that one goes too.
  h.apply(...['iris', 'damo', 'keyless'].map((name, i) => ({ type: 'dashboard' as const, event: { kind: 'agent_status' as const, seq: 20 + i, at: 0, row: agentRow(name) } })));
  const cleared = await waitForFrame(r.lastFrame, (fr) => !fr.includes('usage limit') && !fr.includes('needs login'));
  assert.match(cleared, /\$ budget\s+spender/);
});

test('read-only, the holds are listed without their keys', async () => {
  const h = liveHive(AGENTS, true);
  const r = mount(h);
  await waitForFrame(r.lastFrame, (f) => f.includes('spender'));
  r.stdin.write('2');
  const f = await waitForFrame(r.lastFrame, (fr) => fr.includes('approval #5'));
  assert.ok(f.split('\n').includes('Enter stream'), 'the keys line under the item: only Enter');
  assert.doesNotMatch(f, /· p resume|L login|B raise/);
  r.stdin.write('p');
  await waitForFrame(r.lastFrame, (fr) => fr.includes('read-only: actions are hidden'));
  assert.equal(h.requests.filter((q) => q.cmd === 'set_paused').length, 0);
});

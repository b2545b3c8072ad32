// The core's own pauses over a real store, with an injected clock: budgets crossing (80 %, 100 %), a new
// budget day in the budget time zone, waivers, raised and lowered budgets, usage limits per account, logins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Hive } from './hive.js';
import { openDatabase } from './store/index.js';
import { ExternalBackend } from './lifecycle/index.js';
import { HiveConfig, type AgentStatusRow, type DashboardEvent, type TurnStatInput } from '../protocol/index.js';

/** 10:00 on Monday 23 November 2026 in Berlin (UTC+1). */
const MONDAY_10_BERLIN = Date.UTC(2026, 10, 23, 9, 0);
const HOUR = 3600_000;

interface TestHive {
  hive: Hive;
  clock: { now: number };
  dir: string;
  row(name: string): AgentStatusRow;
  turn(name: string, cost: number, extra?: Partial<TurnStatInput>): { id: number; paused: boolean };
  events(kind: string): DashboardEvent[];
  reopen(config?: Record<string, unknown>): TestHive;
  close(): Promise<void>;
}

function openHive(config: Record<string, unknown>, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-holds-')), clock = { now: MONDAY_10_BERLIN }): TestHive {
  const storeFile = path.join(dir, 'hive.sqlite');
  const db = openDatabase(storeFile);
  const parsed = HiveConfig.parse({ name: 'holds', backend: 'external', ...config });
  const hive = new Hive({
    db,
    storeFile,
    config: parsed,
    stateDir: path.join(dir, 'state'),
    runtimeDir: path.join(dir, 'run'),
    agentEntry: '/nonexistent',
    makeBackend: (host) => new ExternalBackend(host),
    sockets: { open: async () => {}, close: async () => {} },
    nowMs: () => clock.now,
    log: () => {},
  });
  for (const name of hive.agentNames()) fs.mkdirSync(hive.agents.agentStateDir(name), { recursive: true });
  hive.startTimers();
  const t: TestHive = {
    hive,
    clock,
    dir,
    row: (name) => hive.status.list().find((r) => r.name === name)!,
    turn: (name, cost, extra = {}) => {
      const ended = clock.now / 1000;
      return hive.recordTurn(name, {
        model: 'haiku', wake_from: 'operator', result_kind: 'ok', started_at: ended - 1, ended_at: ended, duration_ms: 1000,
        input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, cost_usd: cost,
        tool_call_count: 0, tool_calls: {}, open_threads_count: 0, open_reminders_count: 0, ...extra,
      });
    },
    events: (kind) => (hive.dashboard.replay(0, null) ?? []).map((l) => JSON.parse(l) as DashboardEvent).filter((e) => e.kind === kind),
    reopen: (next = config) => {
      void hive.close();
      db.close();
      return openHive(next, dir, clock);
    },
    close: async () => {
      await hive.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

const budgets = (extra: Record<string, unknown> = {}) => ({ timezone: 'Europe/Berlin', agents: { iris: { daily_usd: 1 } }, ...extra });

test('an agent\'s daily budget: 80 % warns on its row, 100 % pauses it with the reason, the next budget day resumes it', async () => {
  const t = openHive({ agents: { iris: {}, damo: {} }, budgets: budgets() });
  try {
    assert.deepEqual(t.turn('iris', 0.5), { id: 1, paused: false });
    assert.deepEqual(
      { ...t.row('iris').spend },
      { today_usd: 0.5, week_usd: 0.5, turns_today: 1, turns_week: 1, daily_budget_usd: 1, budget_state: 'ok' },
    );
    t.turn('iris', 0.35);
    assert.equal(t.row('iris').spend?.budget_state, 'warning', '85 % is past the 80 % warning');
    assert.equal(t.row('iris').paused, false);
    assert.equal(t.turn('iris', 0.2).paused, true, 'the turn that crossed 100 % is answered "paused"');
    const row = t.row('iris');
    assert.equal(row.spend?.budget_state, 'exceeded');
    assert.deepEqual({ kind: row.pause_reason?.kind, text: row.pause_reason?.text }, { kind: 'budget', text: 'spent $1.05 today, its daily budget is $1.00' });
    // Midnight in Berlin is 23:00 UTC: the pause says when it lifts.
    assert.equal(row.pause_reason?.resumes_at, Date.UTC(2026, 10, 23, 23, 0) / 1000);
    assert.equal(t.row('damo').paused, false, 'another agent runs on');
    assert.equal(t.hive.snapshot().spend?.today_usd, 1.05);

    // 23:30 in Berlin: still the same budget day.
    t.clock.now = Date.UTC(2026, 10, 23, 22, 30);
    t.hive.holds.tick();
    assert.equal(t.row('iris').paused, true);
    // 00:10 in Berlin: a new day. Today's spend is 0, the week's is kept.
    t.clock.now = Date.UTC(2026, 10, 23, 23, 10);
    t.hive.holds.tick();
    const next = t.row('iris');
    assert.equal(next.paused, false, 'a new budget day resumes what a daily budget paused');
    assert.deepEqual([next.spend?.today_usd, next.spend?.week_usd, next.spend?.budget_state], [0, 1.05, 'ok']);
    assert.equal(t.hive.snapshot().spend?.day_start, Date.UTC(2026, 10, 23, 23, 0) / 1000);
    assert.equal(t.hive.snapshot().spend?.week_start, Date.UTC(2026, 10, 22, 23, 0) / 1000, 'weeks start Monday 00:00 Berlin');
  } finally {
    await t.close();
  }
});

test('a week ends on Sunday night in the budget time zone; a turn counts on the day it ended', async () => {
  const t = openHive({ agents: { iris: {} }, budgets: budgets() });
  try {
    t.turn('iris', 2);
    // Sunday 29 November, 23:59 Berlin: the same week.
    t.clock.now = Date.UTC(2026, 10, 29, 22, 59);
    t.hive.holds.tick();
    t.turn('iris', 1);
    assert.deepEqual([t.row('iris').spend?.today_usd, t.row('iris').spend?.week_usd], [1, 3]);
    // Monday 00:01 Berlin: a new week.
    t.clock.now = Date.UTC(2026, 10, 29, 23, 1);
    t.hive.holds.tick();
    assert.deepEqual([t.row('iris').spend?.today_usd, t.row('iris').spend?.week_usd], [0, 0]);
    const cost = t.hive.holds.costReport();
    assert.equal(cost.spend.timezone, 'Europe/Berlin');
    assert.deepEqual(cost.agents.map((a) => [a.name, a.week_usd]), [['iris', 0]]);
  } finally {
    await t.close();
  }
});

test('resuming an agent its budget paused lets it run past the budget for the rest of the day only', async () => {
  const t = openHive({ agents: { iris: {} }, budgets: budgets() });
  try {
    t.turn('iris', 1.2);
    assert.equal(t.row('iris').pause_reason?.kind, 'budget');
    assert.equal(t.hive.holds.resume('iris', 'alice@box'), true);
    assert.equal(t.turn('iris', 0.5).paused, false, 'waived for today');
    assert.equal(t.row('iris').spend?.budget_state, 'exceeded', 'the row still says where spend stands');
    t.clock.now += 24 * HOUR;
    t.hive.holds.tick();
    t.turn('iris', 1.5);
    assert.equal(t.row('iris').pause_reason?.kind, 'budget', 'the waiver was for yesterday');
  } finally {
    await t.close();
  }
});

test('the hive\'s budget pauses every agent; raising it resumes them, lowering it pauses at once; runtime budgets outlive a restart', async () => {
  let t = openHive({ agents: { iris: {}, damo: {} }, budgets: budgets({ hive: { daily_usd: 2 } }) });
  try {
    t.turn('iris', 1.7);
    assert.equal(t.hive.snapshot().spend?.budget_state, 'warning', '$1.70 of $2.00 is past 80 %');
    t.turn('damo', 0.6);
    for (const name of ['iris', 'damo']) assert.equal(t.row(name).pause_reason?.kind, name === 'iris' ? 'budget' : 'hive_budget');
    assert.equal(t.row('damo').pause_reason?.text, 'the hive spent $2.30 today, its daily budget is $2.00');
    const spend = t.hive.holds.setBudget({ hive: true }, { daily: 4 }, 'alice@box');
    assert.equal((spend as { daily_budget_usd?: number }).daily_budget_usd, 4);
    assert.equal(t.row('damo').paused, false, 'raised above the spend: damo resumes');
    assert.equal(t.row('iris').pause_reason?.kind, 'budget', 'iris stays paused: its own budget is spent');
    t.hive.holds.setBudget({ agent: 'iris' }, { daily: 3 }, 'alice@box');
    assert.equal(t.row('iris').paused, false);
    assert.equal(t.row('iris').spend?.daily_budget_usd, 3);
    t.hive.holds.setBudget({ hive: true }, { daily: 1 }, 'alice@box');
    assert.deepEqual([t.row('iris').pause_reason?.kind, t.row('damo').pause_reason?.kind], ['hive_budget', 'hive_budget'], 'lowered below the spend: paused');
    const events = t.events('hive_spend');
    assert.equal((events.at(-1) as { spend: { daily_budget_usd: number } }).spend.daily_budget_usd, 1);
    // A restart keeps the runtime budgets (the config file did not change)…
    t = t.reopen();
    assert.equal(t.hive.snapshot().spend?.daily_budget_usd, 1);
    assert.equal(t.row('iris').spend?.daily_budget_usd, 3);
    assert.equal(t.row('iris').pause_reason?.kind, 'hive_budget', 'the reason is kept in the pause marker');
    // …until the config file's own budget for the scope changes.
    t = t.reopen({ agents: { iris: {}, damo: {} }, budgets: budgets({ hive: { daily_usd: 5 } }) });
    assert.equal(t.hive.snapshot().spend?.daily_budget_usd, 5);
    assert.equal(t.row('iris').spend?.daily_budget_usd, 3, 'iris\'s runtime budget stands: its config entry did not change');
  } finally {
    await t.close();
  }
});

test('a turn over the per-turn budget pauses its agent until the operator resumes it', async () => {
  const t = openHive({ agents: { iris: {}, damo: {} }, budgets: budgets({ hive: { per_turn_usd: 0.5 }, agents: { damo: { per_turn_usd: 2 } } }) });
  try {
    assert.equal(t.turn('damo', 1).paused, false, 'damo\'s own per-turn budget is higher');
    assert.equal(t.turn('iris', 0.7).paused, true);
    assert.deepEqual({ ...t.row('iris').pause_reason, since: 0 }, { kind: 'turn_budget', text: 'one turn cost $0.70, over the per-turn budget of $0.50', since: 0 });
    t.clock.now += 24 * HOUR;
    t.hive.holds.tick();
    assert.equal(t.row('iris').paused, true, 'a new day does not lift a per-turn pause');
    t.hive.holds.resume('iris', 'alice@box');
    assert.equal(t.row('iris').paused, false);
  } finally {
    await t.close();
  }
});

test('a usage limit pauses every agent of its account with the reset time; only an opted-in hive resumes them after it', async () => {
  for (const auto of [false, true]) {
    const t = openHive({ agents: { iris: {}, damo: {}, lone: {} }, accounts: { work: ['iris', 'damo'] }, auto_resume_after_limit: auto });
    try {
      const resetsAt = t.clock.now / 1000 + 2 * 3600;
      const answer = t.turn('iris', 0, { result_kind: 'usage_limited', limit_resets_at: resetsAt, note: "claude reported a usage limit: You've hit your limit · resets 12pm (UTC)" });
      assert.equal(answer.paused, true);
      for (const name of ['iris', 'damo']) {
        const reason = t.row(name).pause_reason!;
        assert.equal(reason.kind, 'usage_limit', name);
        assert.equal(reason.resets_at, resetsAt);
        assert.equal(reason.account, 'work');
        assert.equal(reason.resumes_at, auto ? resetsAt + 5 : undefined, 'resumes a few seconds after the reset, when opted in');
        assert.match(reason.text, /usage limit of claude account "work" reached \(You've hit your limit · resets 12pm \(UTC\)\)/);
      }
      assert.equal(t.row('lone').paused, false, 'another account works on');
      t.clock.now = resetsAt * 1000 + 10_000;
      t.hive.holds.tick();
      assert.equal(t.row('iris').paused, !auto);
      assert.equal(t.row('damo').paused, !auto);
    } finally {
      await t.close();
    }
  }
});

test('a usage limit hit again right after a resume waits longer each time', async () => {
  const t = openHive({ agents: { iris: {} }, auto_resume_after_limit: true });
  try {
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const now = t.clock.now / 1000;
      t.turn('iris', 0, { result_kind: 'usage_limited', limit_resets_at: now - 600 });
      const reason = t.row('iris').pause_reason!;
      waits.push(reason.resumes_at! - now);
      t.clock.now = reason.resumes_at! * 1000;
      t.hive.holds.tick();
      assert.equal(t.row('iris').paused, false);
    }
    assert.deepEqual(waits, [5, 10, 20], 'a reset time already past never makes a busy loop');
    t.turn('iris', 0.01);
    const now = t.clock.now / 1000;
    t.turn('iris', 0, { result_kind: 'usage_limited', limit_resets_at: now - 600 });
    assert.equal(t.row('iris').pause_reason!.resumes_at! - now, 5, 'a turn that worked starts the count again');
  } finally {
    await t.close();
  }
});

test('a turn that found claude logged out pauses the agent as needs_login; a login that succeeds resumes it', async () => {
  const t = openHive({ agents: { iris: {} } });
  try {
    assert.equal(t.turn('iris', 0, { result_kind: 'needs_login' }).paused, true);
    const row = t.row('iris');
    assert.deepEqual([row.needs_login, row.paused, row.pause_reason?.kind], [true, true, 'login']);
    t.hive.holds.loginSucceeded('iris', 'alice@box');
    assert.deepEqual([t.row('iris').needs_login, t.row('iris').paused], [false, false]);
    // A login does not lift another kind of pause.
    t.hive.lifecycle.setPaused('iris', true, 'alice@box');
    t.hive.holds.loginSucceeded('iris', 'alice@box');
    assert.equal(t.row('iris').pause_reason?.kind, 'operator');
  } finally {
    await t.close();
  }
});

// End to end with a hand-moved clock: the real daemon (in this process, so the test holds its clock), the
// process backend, real harnesses running fake-claude, and the ctl. An operator schedules a prompt with
// `hyperhive schedule`, approves it, the slot comes and the agent takes a turn woken by `schedule`; the core
// restarts over three missed slots and delivers one, late. An agent proposes one through its MCP tool.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDaemon, type Daemon } from '../daemon.js';
import { ManualClock } from '../testing/manual-clock.js';
import { entries, repoRoot, runProgram, startCore, waitFor, type ProgramRun } from '../../testing/hive.js';
import { parseHiveConfig, requestOnce, type Approval, type Schedule, type TurnStat } from '../../protocol/index.js';

const FAKE_CLAUDE = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');
const FRIDAY_NOON = Date.parse('2026-05-01T12:00:00Z');
const MONDAY_9_BERLIN = Date.parse('2026-05-04T07:00:00Z');
const DAY = 86_400_000;

interface Hive {
  dir: string;
  daemon: Daemon;
  clock: ManualClock;
  request<T = Record<string, unknown>>(message: object): Promise<T>;
  /** `hyperhive ARGS…` on this hive: its exit code and output. */
  ctl(...args: string[]): Promise<ProgramRun>;
}

/** Start the daemon over `dir` (a fresh one, or the previous run's to restart it) with the clock at `nowMs`. */
async function startHive(t: TestContext, nowMs: number, agents: Record<string, unknown>, dir?: string): Promise<Hive> {
  const home = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hh-'));
  if (!dir) t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const parsed = parseHiveConfig({ name: 'sched', backend: 'process', manager: 'manager', agents });
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  const clock = new ManualClock(nowMs);
  const daemon = await startDaemon({ config: parsed.config, stateDir: path.join(home, 'state'), runtimeDir: path.join(home, 'run'), agentEntry: entries.agent, clock, log: () => {} });
  t.after(() => daemon.close());
  return {
    dir: home,
    daemon,
    clock,
    request: (message) => requestOnce(daemon.hostSocket, message) as never,
    ctl: (...args) => runProgram(entries.ctl, ['--socket', daemon.hostSocket, ...args]),
  };
}

const fake = (env: Record<string, string> = {}) => ({ model: 'haiku', command: ['node', FAKE_CLAUDE], env: { FAKE_CLAUDE_PACE_MS: '0', ...env } });

async function turnsWokenBy(hive: Hive, agent: string, from: string): Promise<TurnStat[]> {
  const res = await hive.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent });
  return res.turn_stats.filter((s) => s.wake_from === from);
}

/** The bodies of `agent`'s turns woken by `schedule`, oldest first. */
async function scheduledBodies(hive: Hive, agent: string): Promise<string[]> {
  const res = await hive.request<{ events: { kind: string; from?: string; body?: string }[] }>({ cmd: 'agent_events', name: agent, limit: 1000 });
  return res.events.filter((e) => e.kind === 'turn_start' && e.from === 'schedule').map((e) => e.body!).reverse();
}

test('scheduled with the ctl, approved, delivered on its slot as a turn; after a restart over missed slots, once and late', { timeout: 120_000 }, async (t) => {
  const agents = { manager: fake(), iris: fake() };
  const first = await startHive(t, FRIDAY_NOON, agents);
  const proposed = await first.ctl('schedule', 'iris', '--cron', '0 9 * * 1-5', '--tz', 'Europe/Berlin', 'Write', 'the', 'stand-up', 'notes.');
  assert.equal(proposed.code, 0, proposed.stderr);
  const [, scheduleId, approvalId] = /^schedule #(\d+) for iris queued as approval #(\d+)/.exec(proposed.stdout)!;
  const pending = await first.ctl('pending');
  assert.match(pending.stdout, new RegExp(`#${approvalId}\\s+iris\\s+schedule_prompt\\s+pending.*cron 0 9 \\* \\* 1-5 \\(Europe/Berlin\\) → iris; first Mon 2026-05-04 09:00 CEST`));
  assert.equal((await first.ctl('approve', approvalId!)).code, 0);
  const listed = await first.ctl('schedules');
  assert.match(listed.stdout, new RegExp(`#${scheduleId}\\s+iris\\s+active\\s+cron 0 9 \\* \\* 1-5 \\(Europe/Berlin\\)\\s+Mon 2026-05-04 09:00 CEST`));

  first.clock.set(MONDAY_9_BERLIN - 1000);
  await waitFor(async () => (await first.request<{ agent_statuses: { name: string; running: boolean }[] }>({ cmd: 'agent_status' })).agent_statuses.every((r) => r.running), { what: 'both agents running', timeoutMs: 30_000 });
  assert.deepEqual(await turnsWokenBy(first, 'iris', 'schedule'), [], 'nothing before the slot');
  first.clock.set(MONDAY_9_BERLIN);
  await waitFor(async () => (await turnsWokenBy(first, 'iris', 'schedule')).length === 1, { what: 'the turn the slot woke', timeoutMs: 30_000 });
  assert.deepEqual(await scheduledBodies(first, 'iris'), ['Write the stand-up notes.']);
  await first.daemon.close();

  // Down over Tuesday, Wednesday and Thursday 09:00; back on Thursday at 10:30 Berlin.
  const second = await startHive(t, MONDAY_9_BERLIN + 3 * DAY + 90 * 60_000, agents, first.dir);
  await waitFor(async () => (await turnsWokenBy(second, 'iris', 'schedule')).length === 2, { what: 'the late turn after the restart', timeoutMs: 30_000 });
  assert.deepEqual((await scheduledBodies(second, 'iris')).slice(1), [`[schedule #${scheduleId}: due Thu 2026-05-07 09:00 CEST, delivered 1h late]\nWrite the stand-up notes.`]);
  const schedule = (await second.request<{ schedules: Schedule[] }>({ cmd: 'schedules' })).schedules[0]!;
  assert.deepEqual([schedule.fired, schedule.missed, schedule.next_due_at], [2, 2, (MONDAY_9_BERLIN + 4 * DAY) / 1000]);

  // Paused and deleted by the operator, each audited; nothing more is delivered.
  assert.equal((await second.ctl('pause-schedule', scheduleId!)).code, 0);
  assert.match((await second.ctl('schedules')).stdout, /paused by \S+@/);
  assert.equal((await second.ctl('delete-schedule', scheduleId!)).code, 0);
  const again = await second.ctl('delete-schedule', scheduleId!);
  assert.equal(again.code, 1);
  assert.match(again.stderr, new RegExp(`^hyperhive: schedule #${scheduleId} has already ended \\(deleted by \\S+@`));
  // The clock delivers synchronously as it moves: had the slot fired, the count would say so now.
  second.clock.set(MONDAY_9_BERLIN + 10 * DAY);
  const deleted = (await second.request<{ schedules: Schedule[] }>({ cmd: 'schedules', all: true })).schedules[0]!;
  assert.deepEqual([deleted.state, deleted.fired], ['ended', 2]);
});

test('an agent proposes a schedule through its MCP tool; the operator denies it and the agent hears', { timeout: 120_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = path.join(dir, 'scheduler.json');
  fs.writeFileSync(script, JSON.stringify({
    turns: [{
      transcript: path.join(repoRoot, 'fixtures', 'transcripts', 'basic-query.jsonl'),
      calls: [{ after_line: 1, tool: 'schedule_prompt', args: { prompt: 'Check the nightly build.', cron: '30 7 * * *', tz: 'UTC' } }],
    }],
  }));
  const hive = await startHive(t, FRIDAY_NOON, { manager: fake(), iris: fake({ FAKE_CLAUDE_SCRIPT: script }) });
  assert.equal((await hive.request<{ ok: boolean }>({ cmd: 'send', to: 'iris', body: 'set up your nightly check' })).ok, true);
  const approval = await waitFor(async () => (await hive.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.kind === 'schedule_prompt'), {
    what: 'the schedule_prompt approval', timeoutMs: 30_000,
  });
  assert.deepEqual([approval.agent, approval.requested_by, approval.description], ['iris', 'iris', 'cron 30 7 * * * (UTC) → iris; first Sat 2026-05-02 07:30 UTC: "Check the nightly build."']);
  assert.equal((await hive.ctl('deny', String(approval.id), '--note', 'not yet')).code, 0);
  await waitFor(async () => (await turnsWokenBy(hive, 'iris', 'system')).length >= 1, { what: 'the turn the denial woke', timeoutMs: 30_000 });
  const ended = (await hive.request<{ schedules: Schedule[] }>({ cmd: 'schedules', all: true })).schedules[0]!;
  assert.deepEqual([ended.state, ended.proposed_by], ['ended', 'iris']);
  assert.match(ended.note!, /^denied by \S+@\S+.*: not yet$/);
});

for (const point of ['approval-decided', 'approval-applied'] as const) {
  test(`a core killed at ${point} while approving a schedule: the next core has it active and the approval approved`, { timeout: 60_000 }, async () => {
    const first = await startCore({ config: { agents: { iris: {} } }, env: { HYPERHIVE_CRASH_AT: point } });
    const { id, schedule_id } = await first.request<{ id: number; schedule_id: number }>({ cmd: 'schedule_prompt', to: 'iris', prompt: 'tick', every_seconds: 3600 });
    await first.request({ cmd: 'approve', id }).catch(() => undefined); // the core dies before it answers
    await waitFor(() => first.proc.signalCode === 'SIGKILL', { what: `the core to die at ${point}` });
    const core = await startCore({ dir: first.dir, env: { HYPERHIVE_CRASH_AT: '' } });
    try {
      const approval = (await core.request<{ approval: Approval }>({ cmd: 'approval', id })).approval;
      assert.deepEqual([approval.status, approval.applying, approval.note], ['approved', undefined, undefined]);
      const schedule = (await core.request<{ schedules: Schedule[] }>({ cmd: 'schedules' })).schedules.find((s) => s.id === schedule_id)!;
      assert.equal(schedule.state, 'active');
      assert.ok(schedule.next_due_at! > Date.now() / 1000, 'its first slot is ahead');
    } finally {
      await core.cleanup();
    }
  });
}

// Scheduled prompts on a real store with a hand-moved clock: proposal and approval, on-time delivery,
// restarts without duplicates (or with catch-up), pause, delete, the proposer's recipient rules, bad input.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Approvals } from '../approvals.js';
import { ManualClock } from '../testing/manual-clock.js';
import { testPorts, type TestPorts } from '../testing/service-ports.js';
import { Schedules, SCHEDULE_APPROVAL_KIND } from './schedules.js';
import { MAX_SCHEDULES_PER_AGENT, type AgentConfig, type Schedule } from '../../protocol/index.js';

const FRIDAY_NOON = Date.parse('2026-05-01T12:00:00Z');
const MONDAY_9_BERLIN = Date.parse('2026-05-04T07:00:00Z');
const DAY = 86_400_000;
const AGENTS: Record<string, Partial<AgentConfig>> = { iris: {}, scout: { allowed_recipients: ['iris'] }, loner: { allowed_recipients: [] } };

/** One core's worth of the parts a schedule needs, over the store at `file`; `restart` opens the same store anew. */
function core(t: TestContext, file: string, nowMs: number, agents = AGENTS) {
  const ports = testPorts({ agents, file });
  const clock = new ManualClock(nowMs);
  const approvals = new Approvals(ports);
  const schedules = new Schedules({ ...ports, approvals, clock, defaultTimeZone: 'Europe/Berlin', log: () => {} });
  t.after(() => {
    schedules.stop();
    ports.db.close();
  });
  return { ports, clock, approvals, schedules };
}

function storeFile(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-sched-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'hyperhive.sqlite');
}

const weekdays = { to: 'iris', prompt: 'write the stand-up notes', cron: '0 9 * * 1-5' };

function ids(result: unknown): { id: number; schedule_id: number } {
  assert.ok(typeof result === 'object' && result !== null && 'schedule_id' in result, JSON.stringify(result));
  return result as { id: number; schedule_id: number };
}

function scheduleEvents(ports: TestPorts): Schedule[] {
  return ports.events().filter((e) => e.kind === 'schedule_changed').map((e) => e.schedule as Schedule);
}

test('the operator proposes; the approval says what and when; approving makes it active from its next slot', async (t) => {
  const { ports, approvals, schedules } = core(t, ':memory:', FRIDAY_NOON);
  const { id, schedule_id } = ids(schedules.propose(weekdays, { actor: 'alice@box' }));
  const approval = approvals.get(id)!;
  assert.deepEqual([approval.kind, approval.agent, approval.status, approval.requested_by], [SCHEDULE_APPROVAL_KIND, 'iris', 'pending', 'alice@box']);
  assert.equal(approval.description, 'cron 0 9 * * 1-5 (Europe/Berlin) → iris; first Mon 2026-05-04 09:00 CEST: "write the stand-up notes"');
  assert.deepEqual(
    { ...schedules.get(schedule_id) },
    { id: schedule_id, target: 'iris', prompt: weekdays.prompt, cron: '0 9 * * 1-5', tz: 'Europe/Berlin', catch_up: false, state: 'proposed', approval_id: id, proposed_by: 'alice@box', proposed_at: FRIDAY_NOON / 1000, fired: 0, missed: 0 },
  );
  assert.deepEqual(ports.audits().map((a) => [a.actor, a.action, a.target]), [['alice@box', 'schedule_prompt', 'iris']]);
  assert.equal(await approvals.approve(id, 'bob@box'), true);
  const active = schedules.get(schedule_id)!;
  assert.deepEqual([active.state, active.next_due_at], ['active', MONDAY_9_BERLIN / 1000]);
  assert.deepEqual(scheduleEvents(ports).map((s) => s.state), ['proposed', 'active']);
  assert.equal(ports.posted.length, 0, 'nothing is delivered before its slot');
});

test('delivered from "schedule" at each slot, once; a restarted core with no time gone by delivers nothing more', async (t) => {
  const file = storeFile(t);
  const first = core(t, file, FRIDAY_NOON);
  const { id, schedule_id } = ids(first.schedules.propose(weekdays, { actor: 'alice@box' }));
  await first.approvals.approve(id, 'alice@box');
  first.schedules.start();
  first.clock.set(MONDAY_9_BERLIN - 1);
  assert.equal(first.ports.posted.length, 0);
  first.clock.set(MONDAY_9_BERLIN);
  assert.deepEqual(first.ports.posted, [{ from: 'schedule', agent: 'iris', body: weekdays.prompt }]);
  first.clock.set(MONDAY_9_BERLIN + DAY);
  assert.equal(first.ports.posted.length, 2, 'Tuesday');
  const afterTuesday = first.schedules.get(schedule_id)!;
  assert.deepEqual([afterTuesday.fired, afterTuesday.missed, afterTuesday.next_due_at], [2, 0, (MONDAY_9_BERLIN + 2 * DAY) / 1000]);
  first.schedules.stop();
  first.ports.db.close();

  const second = core(t, file, MONDAY_9_BERLIN + DAY + 60_000);
  second.schedules.start();
  assert.equal(second.ports.posted.length, 0, 'Tuesday was delivered before the restart and is not delivered again');
  assert.equal(second.schedules.get(schedule_id)!.fired, 2);
});

test('slots missed while the core was down: one late delivery for all of them, or each (catch_up); then on time again', async (t) => {
  const file = storeFile(t);
  const first = core(t, file, FRIDAY_NOON);
  const plain = ids(first.schedules.propose(weekdays, { actor: 'alice@box' }));
  const caught = ids(first.schedules.propose({ ...weekdays, prompt: 'catch up', catch_up: true }, { actor: 'alice@box' }));
  await first.approvals.approve(plain.id, 'alice@box');
  await first.approvals.approve(caught.id, 'alice@box');
  first.schedules.stop();
  first.ports.db.close();

  // Down over Monday, Tuesday and Wednesday 09:00; back on Wednesday at 10:30 Berlin.
  const back = MONDAY_9_BERLIN + 2 * DAY + 90 * 60_000;
  const second = core(t, file, back);
  second.schedules.start();
  const bodies = (agent: string) => second.ports.posted.filter((p) => p.agent === agent).map((p) => p.body);
  assert.deepEqual(bodies('iris'), [
    '[schedule #1: due Wed 2026-05-06 09:00 CEST, delivered 1h late]\nwrite the stand-up notes',
    '[schedule #2: due Mon 2026-05-04 09:00 CEST, delivered 2d late]\ncatch up',
    '[schedule #2: due Tue 2026-05-05 09:00 CEST, delivered 1d late]\ncatch up',
    '[schedule #2: due Wed 2026-05-06 09:00 CEST, delivered 1h late]\ncatch up',
  ]);
  assert.ok(second.ports.posted.every((p) => p.from === 'schedule'));
  const p = second.schedules.get(plain.schedule_id)!;
  const c = second.schedules.get(caught.schedule_id)!;
  assert.deepEqual([p.fired, p.missed, p.next_due_at], [1, 2, (MONDAY_9_BERLIN + 3 * DAY) / 1000]);
  assert.deepEqual([c.fired, c.missed], [3, 0]);
  second.clock.set(MONDAY_9_BERLIN + 3 * DAY);
  assert.equal(bodies('iris').length, 6, 'Thursday on time, once each');
  assert.deepEqual(bodies('iris').slice(4), ['write the stand-up notes', 'catch up']);
});

test('a core killed after the approval was decided but before it was applied activates the schedule at start', async (t) => {
  const file = storeFile(t);
  const first = core(t, file, FRIDAY_NOON);
  const { id, schedule_id } = ids(first.schedules.propose({ to: 'iris', prompt: 'hourly check', every_seconds: 3600 }, { actor: 'alice@box' }));
  // What `approve` commits before it applies (the crash point "approval-decided").
  first.ports.db.prepare("UPDATE approvals SET status = 'approved', applying = 1, resolved_by = 'alice@box' WHERE id = ?").run(id);
  first.schedules.stop();
  first.ports.db.close();

  const second = core(t, file, FRIDAY_NOON + 600_000);
  assert.deepEqual(await second.approvals.recoverInterrupted(), [{ id, status: 'approved' }]);
  second.schedules.start();
  const s = second.schedules.get(schedule_id)!;
  assert.deepEqual([s.state, s.next_due_at], ['active', (FRIDAY_NOON + 600_000 + 3_600_000) / 1000], 'an interval counts from when it became active');
  second.clock.advance(3_600_000);
  assert.deepEqual(second.ports.posted.map((p) => p.body), ['hourly check']);
});

test('denied: the schedule ends saying so and the proposing agent hears; a deleted proposal withdraws its approval', async (t) => {
  const { ports, approvals, schedules } = core(t, ':memory:', FRIDAY_NOON);
  const denied = ids(schedules.propose({ ...weekdays, to: 'scout' }, { agent: 'scout' }));
  assert.equal(approvals.get(denied.id)!.requested_by, 'scout');
  assert.equal(approvals.deny(denied.id, 'not on weekends either', 'alice@box'), true);
  const ended = schedules.get(denied.schedule_id)!;
  assert.deepEqual([ended.state, ended.note], ['ended', 'denied by alice@box: not on weekends either']);
  assert.deepEqual(ports.notified.map((n) => [n.agent, n.event.event, (n.event as { kind?: string }).kind]), [['scout', 'approval_resolved', SCHEDULE_APPROVAL_KIND]]);
  assert.equal(((await approvals.approve(denied.id, 'alice@box')) as { code: string }).code, 'conflict');

  const withdrawn = ids(schedules.propose(weekdays, { actor: 'alice@box' }));
  assert.equal(schedules.delete(withdrawn.schedule_id, 'alice@box'), true);
  assert.deepEqual([approvals.get(withdrawn.id)!.status, schedules.get(withdrawn.schedule_id)!.note], ['cancelled', 'deleted by alice@box']);
});

test('pause holds deliveries and resume goes on from the next slot; delete ends it; each is audited', async (t) => {
  const { ports, clock, approvals, schedules } = core(t, ':memory:', FRIDAY_NOON);
  const { id, schedule_id } = ids(schedules.propose({ to: 'iris', prompt: 'tick', every_seconds: 600 }, { actor: 'alice@box' }));
  await approvals.approve(id, 'alice@box');
  schedules.start();
  clock.advance(600_000);
  assert.equal(ports.posted.length, 1);
  assert.equal(schedules.setPaused(schedule_id, true, 'bob@box'), true);
  assert.equal(schedules.setPaused(schedule_id, true, 'bob@box'), true, 'idempotent');
  assert.deepEqual([schedules.get(schedule_id)!.state, schedules.get(schedule_id)!.paused_by], ['paused', 'bob@box']);
  clock.advance(3 * 600_000);
  assert.equal(ports.posted.length, 1, 'nothing while paused');
  assert.equal(schedules.setPaused(schedule_id, false, 'bob@box'), true);
  assert.equal(ports.posted.length, 1, 'what fell due while paused is not delivered on resume');
  assert.equal(schedules.get(schedule_id)!.next_due_at, (FRIDAY_NOON + 5 * 600_000) / 1000);
  clock.advance(600_000);
  assert.equal(ports.posted.length, 2);
  assert.equal(schedules.delete(schedule_id, 'carol@box'), true);
  clock.advance(10 * 600_000);
  assert.equal(ports.posted.length, 2, 'a deleted schedule delivers nothing');
  assert.deepEqual([schedules.get(schedule_id)!.state, schedules.get(schedule_id)!.note], ['ended', 'deleted by carol@box']);
  assert.deepEqual(
    ports.audits().map((a) => [a.actor, a.action, a.target]),
    [['alice@box', 'schedule_prompt', 'iris'], ['alice@box', 'approve', String(id)], ['bob@box', 'pause_schedule', String(schedule_id)], ['bob@box', 'resume_schedule', String(schedule_id)], ['carol@box', 'delete_schedule', String(schedule_id)]],
  );
  assert.deepEqual(schedules.list(false).items, [], 'ended schedules are listed only with all');
  assert.deepEqual(schedules.list(true).items.map((s) => s.id), [schedule_id]);
});

test('refusals: unknown ids, pausing a proposal, touching an ended schedule — nothing changes', (t) => {
  const { ports, schedules } = core(t, ':memory:', FRIDAY_NOON);
  const { schedule_id } = ids(schedules.propose(weekdays, { actor: 'alice@box' }));
  const before = ports.events().length;
  assert.deepEqual(schedules.setPaused(99, true, 'a'), { refused: true, code: 'not_found', error: 'no schedule #99' });
  assert.deepEqual(schedules.delete(99, 'a'), { refused: true, code: 'not_found', error: 'no schedule #99' });
  assert.deepEqual(schedules.setPaused(schedule_id, true, 'a'), { refused: true, code: 'conflict', error: `schedule #${schedule_id} is not approved yet (approval #1)` });
  assert.equal(ports.events().length, before);
  schedules.delete(schedule_id, 'a');
  assert.match((schedules.delete(schedule_id, 'a') as { error: string }).error, /has already ended \(deleted by a\)/);
  assert.match((schedules.setPaused(schedule_id, false, 'a') as { error: string }).error, /has ended/);
});

test('bad proposals are refused with a sentence and store nothing', (t) => {
  const { ports, approvals, schedules } = core(t, ':memory:', FRIDAY_NOON);
  const cases: [Parameters<Schedules['propose']>[0], string, RegExp][] = [
    [{ ...weekdays, to: 'nobody' }, 'not_found', /no agent named "nobody"/],
    [{ ...weekdays, to: 'Bad Name' }, 'bad_request', /may only use a-z/],
    [{ ...weekdays, cron: '0 9 * *' }, 'bad_request', /five fields/],
    [{ ...weekdays, cron: '0 25 * * *' }, 'bad_request', /cron expression "0 25 \* \* \*"/],
    [{ ...weekdays, tz: 'Nowhere/Else' }, 'bad_request', /unknown time zone/],
    [{ to: 'iris', prompt: 'x' }, 'bad_request', /exactly one of cron/],
  ];
  for (const [proposal, code, error] of cases) {
    const refused = schedules.propose(proposal, { actor: 'a' }) as { code: string; error: string };
    assert.equal(refused.code, code, JSON.stringify(proposal));
    assert.match(refused.error, error);
  }
  assert.equal(approvals.pendingCount(), 0);
  assert.equal(ports.events().length, 0);
  assert.deepEqual(schedules.list(true).items, []);
});

test("an agent's proposal obeys its allowed_recipients, at proposal and at every delivery", async (t) => {
  const { ports, clock, approvals, schedules } = core(t, ':memory:', FRIDAY_NOON);
  assert.deepEqual(schedules.propose({ ...weekdays, to: 'iris' }, { agent: 'loner' }), {
    refused: true, code: 'forbidden', error: 'loner may not message iris (allowed: nobody)',
  });
  assert.equal('schedule_id' in (schedules.propose({ ...weekdays, to: 'loner' }, { agent: 'loner' }) as object), true, 'an agent may always schedule itself');
  const { id, schedule_id } = ids(schedules.propose({ to: 'iris', prompt: 'from scout', every_seconds: 60 }, { agent: 'scout' }));
  await approvals.approve(id, 'alice@box');
  schedules.start();
  clock.advance(60_000);
  assert.deepEqual(ports.posted, [{ from: 'schedule', agent: 'iris', body: 'from scout' }]);
  // scout's list no longer names iris (a config change): the next slot is not delivered, and the schedule says why.
  (ports.agents.agent('scout')!.config as AgentConfig).allowed_recipients = ['loner'];
  clock.advance(60_000);
  assert.equal(ports.posted.length, 1);
  const s = schedules.get(schedule_id)!;
  assert.deepEqual([s.fired, s.missed, s.note], [1, 1, 'not delivered: scout may not message iris (allowed: loner)']);
});

test('a schedule whose target is gone ends at its next slot; at most 20 live schedules per target', async (t) => {
  const agents: Record<string, Partial<AgentConfig>> = { iris: {}, gone: {} };
  const { ports, clock, approvals, schedules } = core(t, ':memory:', FRIDAY_NOON, agents);
  const { id, schedule_id } = ids(schedules.propose({ to: 'gone', prompt: 'x', every_seconds: 60 }, { actor: 'a' }));
  await approvals.approve(id, 'a');
  schedules.start();
  const directory = ports.agents as { agent: (name: string) => unknown };
  const lookup = directory.agent;
  directory.agent = (name) => (name === 'gone' ? undefined : lookup(name));
  clock.advance(60_000);
  assert.deepEqual([schedules.get(schedule_id)!.state, schedules.get(schedule_id)!.note, ports.posted.length], ['ended', 'gone no longer exists', 0]);

  for (let i = 0; i < MAX_SCHEDULES_PER_AGENT; i++) ids(schedules.propose({ to: 'iris', prompt: `p${i}`, every_seconds: 3600 }, { actor: 'a' }));
  assert.deepEqual(schedules.propose({ to: 'iris', prompt: 'one more', every_seconds: 3600 }, { actor: 'a' }), {
    refused: true, code: 'conflict', error: `iris already has ${MAX_SCHEDULES_PER_AGENT} schedules (proposed, active or paused); delete one first`,
  });
});

/**
 * Scheduled prompts. A proposal (an agent's or the operator's) writes the
 * schedule as `proposed` and queues a `schedule_prompt` approval in one
 * transaction; approving it activates the schedule (idempotent, so a crash
 * mid-approval is finished at start), denying it ends it. Active schedules
 * deliver their prompt into the target's inbox (sender `schedule`) at each
 * slot: each delivery and the schedule's next slot commit together, so a
 * restart never delivers a slot twice. Slots missed while the core was down
 * are delivered once (the latest), or each (up to 24) with `catch_up`.
 */
import {
  MAX_CATCH_UP_SLOTS,
  MAX_SCHEDULES_PER_AGENT,
  agentNameProblem,
  formatInZone,
  formatScheduleWhen,
  type Approval,
  type Schedule,
} from '../../protocol/index.js';
import type { AgentDirectory, AgentMail, UnitOfWork } from '../ports.js';
import type { Approvals } from '../approvals.js';
import type { Clock, ClockTimer } from '../clock.js';
import { crashPoint } from '../crash-points.js';
import { reachRefusal } from '../recipient-policy.js';
import { refuse, type Refusal } from '../refusal.js';
import { PAGE_BYTES, chainRows, mapRows, takePage, type Page } from '../paging.js';
import { checkWhen, dueSlots, localTimeZone, nextSlot, type WhenInput } from './schedule-timing.js';
import { deliveryBody, timingOf, toSchedule, type ScheduleRow } from './schedule-rows.js';

/** The approval kind (the reference system's name). */
export const SCHEDULE_APPROVAL_KIND = 'schedule_prompt';
/** Ended schedules kept for the record, newest first. */
const KEEP_ENDED = 200;
/** Longest approval description (the wire's cap on descriptions). */
const MAX_DESCRIPTION = 4096;

export interface ScheduleProposal extends WhenInput {
  to: string;
  prompt: string;
  catch_up?: boolean;
}

/** Who proposes: an agent (its socket says which), or the operator (its actor). */
export type Proposer = { agent: string } | { actor: string | undefined };

export interface ScheduleParts {
  work: UnitOfWork;
  agents: AgentDirectory;
  mail: AgentMail;
  approvals: Approvals;
  clock: Clock;
  /** The zone a schedule that names none is read in (default: the core's own). */
  defaultTimeZone?: string;
  log(message: string): void;
}

export class Schedules {
  private readonly work: UnitOfWork;
  private readonly clock: Clock;
  private readonly defaultTz: string;
  private timer: ClockTimer | null = null;
  private running = false;
  private readonly selectOne;
  private readonly selectByApproval;

  constructor(private readonly parts: ScheduleParts) {
    this.work = parts.work;
    this.clock = parts.clock;
    this.defaultTz = parts.defaultTimeZone ?? localTimeZone();
    this.selectOne = this.work.db.prepare('SELECT * FROM schedules WHERE id = ?');
    this.selectByApproval = this.work.db.prepare('SELECT * FROM schedules WHERE approval_id = ?');
    parts.approvals.onApprove(SCHEDULE_APPROVAL_KIND, {
      apply: async (approval) => this.activate(approval),
      // Activation is one transaction: after a crash it either happened or runs now.
      recover: async (approval) => this.activate(approval),
      dropped: (approval) => this.endProposed(approval),
    });
  }

  get(id: number): Schedule | undefined {
    const row = this.selectOne.get(id) as ScheduleRow | undefined;
    return row && toSchedule(row);
  }

  /** Live schedules (active and paused soonest first, then proposed), then with `all` the 50 most recently ended, within `bytes`. */
  list(all: boolean, bytes: number = PAGE_BYTES): Page<Schedule> {
    const db = this.work.db;
    const live = db
      .prepare("SELECT * FROM schedules WHERE state != 'ended' ORDER BY state = 'proposed', next_due_ms IS NULL, next_due_ms, id")
      .iterate() as Iterable<ScheduleRow>;
    const ended = all ? (db.prepare("SELECT * FROM schedules WHERE state = 'ended' ORDER BY ended_at DESC, id DESC LIMIT 50").iterate() as Iterable<ScheduleRow>) : [];
    return takePage(mapRows(chainRows(live, ended), toSchedule), Infinity, bytes);
  }

  /** Propose a schedule: queue its approval. Answers the approval's id and the schedule's. */
  propose(proposal: ScheduleProposal, by: Proposer): { id: number; schedule_id: number } | Refusal {
    const { agents, approvals } = this.parts;
    const target = proposal.to;
    const problem = agentNameProblem(target);
    if (problem) return refuse('bad_request', problem);
    if (!agents.agent(target)) return refuse('not_found', `no agent named ${JSON.stringify(target)}`);
    const proposerAgent = 'agent' in by ? by.agent : null;
    // Its own inbox is always an agent's to schedule into; another's only as its allowed_recipients say.
    if (proposerAgent && proposerAgent !== target) {
      const forbidden = reachRefusal(agents, proposerAgent, target);
      if (forbidden) return forbidden;
    }
    const nowMs = this.clock.now();
    const timing = checkWhen(proposal, this.defaultTz, nowMs);
    if ('error' in timing) return refuse('bad_request', timing.error);
    const proposedBy = proposerAgent ?? (('actor' in by && by.actor) || 'operator');
    return this.work.commit(() => {
      const live = this.work.db.prepare("SELECT COUNT(*) AS n FROM schedules WHERE target = ? AND state != 'ended'").get(target) as { n: number };
      if (live.n >= MAX_SCHEDULES_PER_AGENT) {
        return refuse('conflict', `${target} already has ${MAX_SCHEDULES_PER_AGENT} schedules (proposed, active or paused); delete one first`);
      }
      const cron = timing.kind === 'cron' ? timing.cron : null;
      const every = timing.kind === 'interval' ? timing.everySeconds : null;
      const when = formatScheduleWhen({ ...(cron !== null && { cron }), ...(every !== null && { every_seconds: every }), tz: timing.tz });
      const preview = proposal.prompt.replace(/\s+/g, ' ');
      const head = `${when}${proposal.catch_up ? ', catching up missed slots' : ''} → ${target}; first ${formatInZone(nextSlot(timing, nowMs) / 1000, timing.tz)}: `;
      const description = head + (head.length + preview.length + 2 > MAX_DESCRIPTION ? `"${preview.slice(0, MAX_DESCRIPTION - head.length - 3)}…"` : `"${preview}"`);
      const approvalId = approvals.add({ agent: target, kind: SCHEDULE_APPROVAL_KIND, description, requested_by: proposedBy });
      const scheduleId = Number(
        this.work.db
          .prepare(
            `INSERT INTO schedules (target, prompt, cron, every_seconds, tz, catch_up, state, approval_id, proposed_by, proposer_agent, proposed_at)
             VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?, ?, ?, ?)`,
          )
          .run(target, proposal.prompt, cron, every, timing.tz, proposal.catch_up ? 1 : 0, approvalId, proposedBy, proposerAgent, Math.floor(nowMs / 1000)).lastInsertRowid,
      );
      this.announce(scheduleId);
      this.work.audit(proposedBy, 'schedule_prompt', target, { schedule: scheduleId, approval: approvalId, cron, every_seconds: every, tz: timing.tz });
      return { id: approvalId, schedule_id: scheduleId };
    });
  }

  /** Pause or resume (idempotent). A resumed schedule goes on from its next slot after now: what fell due while paused is not delivered. */
  setPaused(id: number, paused: boolean, actor: string | undefined): true | Refusal {
    const result = this.work.commit(() => {
      const row = this.selectOne.get(id) as ScheduleRow | undefined;
      if (!row) return refuse('not_found', `no schedule #${id}`);
      if (row.state === 'proposed') return refuse('conflict', `schedule #${id} is not approved yet (approval #${row.approval_id})`);
      if (row.state === 'ended') return refuse('conflict', `schedule #${id} has ended${row.note ? ` (${row.note})` : ''}`);
      if ((row.state === 'paused') === paused) return true;
      if (paused) {
        this.work.db.prepare("UPDATE schedules SET state = 'paused', paused_by = ?, next_due_ms = NULL WHERE id = ?").run(actor ?? 'operator', id);
      } else {
        const nowMs = this.clock.now();
        const next = nextSlot(timingOf(row, nowMs), nowMs);
        this.work.db.prepare("UPDATE schedules SET state = 'active', paused_by = NULL, next_due_ms = ? WHERE id = ?").run(next, id);
      }
      this.announce(id);
      this.work.audit(actor, paused ? 'pause_schedule' : 'resume_schedule', String(id));
      return true as const;
    });
    this.arm();
    return result;
  }

  /** End a schedule for good; a proposed one's approval is cancelled with it. */
  delete(id: number, actor: string | undefined): true | Refusal {
    const result = this.work.commit(() => {
      const row = this.selectOne.get(id) as ScheduleRow | undefined;
      if (!row) return refuse('not_found', `no schedule #${id}`);
      if (row.state === 'ended') return refuse('conflict', `schedule #${id} has already ended${row.note ? ` (${row.note})` : ''}`);
      this.end(id, `deleted by ${actor ?? 'operator'}`);
      this.work.audit(actor, 'delete_schedule', String(id));
      // The pending approval has nothing left to decide (one being approved right now finds the schedule ended and fails).
      if (row.state === 'proposed') this.parts.approvals.cancel(row.approval_id, `its schedule #${id} was deleted`);
      return true as const;
    });
    this.arm();
    return result;
  }

  /** Deliver what fell due while the core was down, then keep delivering on time. */
  start(): void {
    this.running = true;
    this.deliverDue();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
  }

  /** Deliver every slot that is due, each schedule in one transaction, then arm for the next. */
  deliverDue(): void {
    if (!this.running) return;
    const nowMs = this.clock.now();
    const due = this.work.db
      .prepare("SELECT * FROM schedules WHERE state = 'active' AND next_due_ms <= ? ORDER BY next_due_ms, id")
      .all(nowMs) as ScheduleRow[];
    for (const row of due) {
      try {
        this.fire(row, nowMs);
      } catch (err) {
        this.parts.log(`schedule #${row.id} could not be delivered: ${(err as Error).message}`);
        this.work.commit(() => this.end(row.id, `stopped after an error: ${(err as Error).message}`));
      }
    }
    this.arm();
  }

  /** One schedule's due slots: the latest (or with catch_up the latest 24) delivered, the rest counted as missed. */
  private fire(row: ScheduleRow, nowMs: number): void {
    const { agents, mail } = this.parts;
    const timing = timingOf(row, nowMs);
    const due = dueSlots(timing, row.next_due_ms!, nowMs, row.catch_up ? MAX_CATCH_UP_SLOTS : 1);
    const next = nextSlot(timing, nowMs);
    this.work.commit(() => {
      if (!agents.agent(row.target)) {
        this.end(row.id, `${row.target} no longer exists`);
        return;
      }
      // The proposer's allowed_recipients hold at every delivery, as for its own messages (the config may have changed since).
      const refused = row.proposer_agent && row.proposer_agent !== row.target ? reachRefusal(agents, row.proposer_agent, row.target) : null;
      const delivered = refused ? [] : due.slots;
      for (const slot of delivered) mail.post('schedule', row.target, deliveryBody(row, slot, nowMs));
      crashPoint('schedule-delivering');
      this.work.db
        .prepare(
          `UPDATE schedules SET next_due_ms = ?, fired = fired + ?, missed = missed + ?, note = ?,
             last_fired_at = CASE WHEN ? > 0 THEN ? ELSE last_fired_at END WHERE id = ?`,
        )
        .run(next, delivered.length, due.total - delivered.length, refused ? `not delivered: ${refused.error}` : null, delivered.length, Math.floor(nowMs / 1000), row.id);
      this.announce(row.id);
    });
  }

  /** The `schedule_prompt` applier: make the proposed schedule active from now. */
  private activate(approval: Approval): string | null {
    const error = this.work.commit(() => {
      const row = this.selectByApproval.get(approval.id) as ScheduleRow | undefined;
      if (!row) return `approval #${approval.id} has no schedule`;
      if (row.state === 'active' || row.state === 'paused') return null;
      if (row.state === 'ended') return `schedule #${row.id} has ended${row.note ? ` (${row.note})` : ''}`;
      if (!this.parts.agents.agent(row.target)) {
        this.end(row.id, `${row.target} no longer exists`);
        return `${row.target} no longer exists`;
      }
      const nowMs = this.clock.now();
      const next = nextSlot(timingOf(row, nowMs), nowMs);
      this.work.db
        .prepare("UPDATE schedules SET state = 'active', anchor_ms = CASE WHEN every_seconds IS NULL THEN NULL ELSE ? END, next_due_ms = ? WHERE id = ?")
        .run(nowMs, next, row.id);
      this.announce(row.id);
      return null;
    });
    this.arm();
    return error;
  }

  /** The approval was denied or cancelled: its proposed schedule ends (inside that transaction). */
  private endProposed(approval: Approval): void {
    const row = this.selectByApproval.get(approval.id) as ScheduleRow | undefined;
    if (!row || row.state !== 'proposed') return;
    const by = approval.resolved_by ? ` by ${approval.resolved_by}` : '';
    this.end(row.id, `${approval.status}${by}${approval.note ? `: ${approval.note}` : ''}`);
  }

  /** End a schedule (in the caller's transaction), keeping the newest ended ones for the record. */
  private end(id: number, note: string): void {
    const db = this.work.db;
    db.prepare("UPDATE schedules SET state = 'ended', next_due_ms = NULL, paused_by = NULL, ended_at = ?, note = ? WHERE id = ?").run(Math.floor(this.clock.now() / 1000), note, id);
    this.announce(id);
    db.prepare(
      `DELETE FROM schedules WHERE state = 'ended' AND id NOT IN (SELECT id FROM schedules WHERE state = 'ended' ORDER BY ended_at DESC, id DESC LIMIT ${KEEP_ENDED})`,
    ).run();
  }

  private announce(id: number): void {
    this.work.announce('schedule_changed', { schedule: this.get(id)! });
  }

  /** (Re)arm the one timer for the soonest slot of any active schedule. */
  private arm(): void {
    this.timer?.cancel();
    this.timer = null;
    if (!this.running) return;
    const next = (this.work.db.prepare("SELECT MIN(next_due_ms) AS t FROM schedules WHERE state = 'active'").get() as { t: number | null }).t;
    if (next !== null) this.timer = this.clock.at(next, () => this.deliverDue());
  }
}

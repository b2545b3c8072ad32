/** Reminders: an inbox message from `reminder` when due, also after a core restart; ≤ 50 pending per agent. */
import { MAX_PENDING_REMINDERS } from '../protocol/index.js';
import type { AgentMail, ServicePorts, StatusChanged, UnitOfWork } from './ports.js';
import { nowUnix, refuse, type Refusal } from './refusal.js';
import { DeadlineTimer } from './deadline-timer.js';
import { PAGE_BYTES, takePage, type Page } from './paging.js';

export interface PendingReminder {
  id: number;
  message: string;
  due_at: number;
}

/** Longest a reminder may be set ahead (one year). */
const MAX_DELAY_SECONDS = 365 * 24 * 3600;

export class Reminders {
  private readonly timer: DeadlineTimer;
  private readonly work: UnitOfWork;
  private readonly statusChanged: StatusChanged;
  private readonly mail: AgentMail;
  private readonly countPending;

  constructor(ports: Pick<ServicePorts, 'work' | 'statusChanged' | 'mail'>) {
    this.work = ports.work;
    this.statusChanged = ports.statusChanged;
    this.mail = ports.mail;
    this.countPending = this.work.db.prepare('SELECT COUNT(*) AS n FROM reminders WHERE agent = ? AND delivered_at IS NULL AND cancelled_at IS NULL');
    const nextDue = this.work.db.prepare('SELECT MIN(due_at) AS d FROM reminders WHERE delivered_at IS NULL AND cancelled_at IS NULL');
    this.timer = new DeadlineTimer(
      () => (nextDue.get() as { d: number | null }).d,
      () => this.deliverDue(),
    );
  }

  pendingCount(agent: string): number {
    return (this.countPending.get(agent) as { n: number }).n;
  }

  /** `agent`'s pending reminders, soonest first, within `bytes`. */
  pending(agent: string, bytes: number = PAGE_BYTES): Page<PendingReminder> {
    const rows = this.work.db
      .prepare('SELECT id, message, due_at FROM reminders WHERE agent = ? AND delivered_at IS NULL AND cancelled_at IS NULL ORDER BY due_at, id')
      .iterate(agent) as Iterable<PendingReminder>;
    return takePage(rows, Infinity, bytes);
  }

  add(agent: string, message: string, delaySeconds?: number, atUnix?: number): { id: number; due_at: number } | Refusal {
    if ((delaySeconds === undefined) === (atUnix === undefined)) {
      return refuse('bad_request', 'give exactly one of delay_seconds or at_unix');
    }
    const now = Date.now() / 1000;
    const dueAt = atUnix ?? now + delaySeconds!;
    if (dueAt - now > MAX_DELAY_SECONDS) return refuse('bad_request', 'a reminder may be set at most a year ahead');
    if (this.pendingCount(agent) >= MAX_PENDING_REMINDERS) {
      return refuse('conflict', `${agent} already has ${MAX_PENDING_REMINDERS} pending reminders; cancel one first`);
    }
    const id = this.work.commit(() => {
      const id = Number(
        this.work.db.prepare('INSERT INTO reminders (agent, message, due_at, created_at) VALUES (?, ?, ?, ?)').run(agent, message, dueAt, nowUnix()).lastInsertRowid,
      );
      this.statusChanged(agent);
      return id;
    });
    this.schedule();
    return { id, due_at: dueAt };
  }

  cancel(agent: string, id: number): true | Refusal {
    const changes = this.work.commit(() => {
      const n = this.work.db
        .prepare('UPDATE reminders SET cancelled_at = ? WHERE id = ? AND agent = ? AND delivered_at IS NULL AND cancelled_at IS NULL')
        .run(nowUnix(), id, agent).changes;
      if (n) this.statusChanged(agent);
      return n;
    });
    if (!changes) return refuse('not_found', `${agent} has no pending reminder #${id}`);
    this.schedule();
    return true;
  }

  /** Arm the timer for the nearest due reminder. */
  schedule(): void {
    this.timer.arm();
  }

  /** Deliver every due reminder (each message and its delivered mark in one transaction). */
  deliverDue(): void {
    const due = this.work.db
      .prepare('SELECT id, agent, message FROM reminders WHERE delivered_at IS NULL AND cancelled_at IS NULL AND due_at <= ? ORDER BY due_at, id')
      .all(Date.now() / 1000) as { id: number; agent: string; message: string }[];
    for (const r of due) {
      this.work.commit(() => {
        this.work.db.prepare('UPDATE reminders SET delivered_at = ? WHERE id = ?').run(nowUnix(), r.id);
        this.mail.post('reminder', r.agent, r.message);
        this.statusChanged(r.agent);
      });
    }
    this.schedule();
  }

  stop(): void {
    this.timer.stop();
  }
}

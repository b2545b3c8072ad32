/** The `schedules` table: its rows, and a row as the wire's Schedule and as a timing. */
import { formatAge, formatInZone, type Schedule, type ScheduleState } from '../../protocol/index.js';
import type { ScheduleTiming } from './schedule-timing.js';

export type ScheduleRow = {
  id: number;
  target: string;
  prompt: string;
  cron: string | null;
  every_seconds: number | null;
  tz: string;
  catch_up: number;
  state: ScheduleState;
  approval_id: number;
  proposed_by: string;
  proposer_agent: string | null;
  proposed_at: number;
  anchor_ms: number | null;
  next_due_ms: number | null;
  last_fired_at: number | null;
  fired: number;
  missed: number;
  paused_by: string | null;
  ended_at: number | null;
  note: string | null;
};

export function toSchedule(row: ScheduleRow): Schedule {
  const s: Schedule = {
    id: row.id,
    target: row.target,
    prompt: row.prompt,
    tz: row.tz,
    catch_up: row.catch_up === 1,
    state: row.state,
    approval_id: row.approval_id,
    proposed_by: row.proposed_by,
    proposed_at: row.proposed_at,
    fired: row.fired,
    missed: row.missed,
  };
  if (row.cron !== null) s.cron = row.cron;
  if (row.every_seconds !== null) s.every_seconds = row.every_seconds;
  if (row.next_due_ms !== null && row.state === 'active') s.next_due_at = row.next_due_ms / 1000;
  if (row.last_fired_at !== null) s.last_fired_at = row.last_fired_at;
  if (row.paused_by !== null && row.state === 'paused') s.paused_by = row.paused_by;
  if (row.ended_at !== null) s.ended_at = row.ended_at;
  if (row.note !== null) s.note = row.note;
  return s;
}

/** The row's timing; an interval not yet anchored (still proposed) is anchored at `anchorMs`. */
export function timingOf(row: ScheduleRow, anchorMs: number): ScheduleTiming {
  if (row.cron !== null) return { kind: 'cron', cron: row.cron, tz: row.tz };
  return { kind: 'interval', everySeconds: row.every_seconds!, anchorMs: row.anchor_ms ?? anchorMs, tz: row.tz };
}

/** A delivery this much after its slot says so in its first line. */
export const LATE_AFTER_MS = 60_000;

/** The message a slot delivers: the prompt, after a line saying when it was due if it comes late. */
export function deliveryBody(row: ScheduleRow, slotMs: number, nowMs: number): string {
  if (nowMs - slotMs <= LATE_AFTER_MS) return row.prompt;
  return `[schedule #${row.id}: due ${formatInZone(slotMs / 1000, row.tz)}, delivered ${formatAge((nowMs - slotMs) / 1000)} late]\n${row.prompt}`;
}

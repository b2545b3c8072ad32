/** The schedules view's logic (pure): which schedules it lists, in what order, and the cells of a row. */
import { formatAge, formatInZone, formatScheduleWhen } from '../protocol/light.js';
import type { Schedule } from '../protocol/index.js';
import { matchesFilter } from './ui/list.js';

const STATE_ORDER: Record<Schedule['state'], number> = { active: 0, paused: 1, proposed: 2, ended: 3 };

/** Live schedules first (active by their next slot, then paused and proposed), then the ended ones, newest first. */
export function scheduleList(schedules: Record<number, Schedule>): Schedule[] {
  return Object.values(schedules).sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      (a.state === 'ended' ? (b.ended_at ?? 0) - (a.ended_at ?? 0) : (a.next_due_at ?? Infinity) - (b.next_due_at ?? Infinity)) ||
      a.id - b.id,
  );
}

/** The words a schedules filter is matched against. */
export function scheduleFilterFields(s: Schedule): string[] {
  return [`#${s.id}`, s.target, s.state, s.proposed_by, s.prompt, formatScheduleWhen(s), s.note ?? ''];
}

/** When the next delivery is: its wall-clock time in the schedule's zone and how far off ("in 3h"). */
export function nextDue(s: Schedule, nowSeconds: number): string {
  if (s.next_due_at === undefined) return '-';
  const ahead = s.next_due_at - nowSeconds;
  return `${formatInZone(s.next_due_at, s.tz)} (${ahead >= 0 ? `in ${formatAge(ahead)}` : `${formatAge(-ahead)} late`})`;
}

/** The state word, with who paused it. */
export function scheduleState(s: Schedule): string {
  return s.state === 'paused' && s.paused_by ? `paused (${s.paused_by})` : s.state;
}

/** What `:schedule` asks the core for. */
export interface ScheduleProposal {
  to: string;
  prompt: string;
  cron?: string;
  every_seconds?: number;
  tz?: string;
  catch_up?: boolean;
}

const DURATION = /^(\d{1,9})([smhd])$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** How `:schedule` is typed. */
export const SCHEDULE_USAGE = ':schedule AGENT (every 15m | 0 9 * * 1-5) [tz=Europe/Berlin] [catch-up] PROMPT…';

/**
 * Read `AGENT WHEN [tz=ZONE] [catch-up] PROMPT…`, WHEN being `every N[smhd]`
 * (or just `N[smhd]`) or the five fields of a cron expression. The core
 * checks the rest (the agent, the zone, the cron fields).
 */
export function parseScheduleArgs(text: string): ScheduleProposal | { error: string } {
  let rest = text.trim();
  const take = (): string | undefined => {
    const m = /^(\S+)\s*/.exec(rest);
    if (!m) return undefined;
    rest = rest.slice(m[0].length);
    return m[1];
  };
  const to = take();
  if (!to) return { error: `which agent? ${SCHEDULE_USAGE}` };
  const proposal: Partial<ScheduleProposal> = { to };
  let first = take();
  if (first === 'every') first = take();
  const duration = first === undefined ? null : DURATION.exec(first);
  if (duration) {
    proposal.every_seconds = Number(duration[1]) * UNIT_SECONDS[duration[2] as keyof typeof UNIT_SECONDS];
  } else {
    const fields = [first, take(), take(), take(), take()];
    if (fields.some((f) => f === undefined)) return { error: `when? ${SCHEDULE_USAGE}` };
    proposal.cron = fields.join(' ');
  }
  for (;;) {
    const option = /^(tz=(\S+)|catch-up)(\s+|$)/.exec(rest);
    if (!option) break;
    if (option[2] !== undefined) proposal.tz = option[2];
    else proposal.catch_up = true;
    rest = rest.slice(option[0].length);
  }
  if (rest === '') return { error: `what prompt? ${SCHEDULE_USAGE}` };
  return { ...proposal, prompt: rest } as ScheduleProposal;
}

/** The list as filtered by `/`. */
export function filterSchedules(rows: readonly Schedule[], filter: string): Schedule[] {
  return rows.filter((s) => matchesFilter(filter, scheduleFilterFields(s)));
}

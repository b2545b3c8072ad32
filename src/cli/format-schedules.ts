/** Human output of `hyperhive schedules`: one row per scheduled prompt. Pure; wire strings pass the sanitizer. */
import { formatInZone, formatScheduleWhen } from '../protocol/display.js';
import type { Schedule } from '../protocol/schedules.js';
import { age, cell, renderTable, truncate } from './format.js';

const PROMPT_PREVIEW = 60;

/** `schedules`: live ones (soonest first, as the core orders them); with `all` the ended ones follow with why they ended. */
export function renderSchedules(schedules: Schedule[], nowSeconds: number, width?: number, all = false): string[] {
  if (schedules.length === 0) return [all ? 'no schedules' : 'no schedules (hyperhive schedules --all shows ended ones)'];
  const body = schedules.map((s) => {
    const next = s.next_due_at === undefined ? '-' : `${formatInZone(s.next_due_at, s.tz)} (${age(s.next_due_at, nowSeconds)})`;
    const state = s.state === 'paused' && s.paused_by ? `paused by ${cell(s.paused_by)}` : cell(s.state);
    const last = s.last_fired_at === undefined ? '-' : `${age(s.last_fired_at, nowSeconds)} ago`;
    return [
      `#${s.id}`,
      cell(s.target),
      state,
      cell(formatScheduleWhen(s)) + (s.catch_up ? ' +catch-up' : ''),
      next,
      last,
      `${s.fired}/${s.missed}`,
      cell(s.proposed_by),
      truncate(cell(s.prompt), PROMPT_PREVIEW) + (s.note ? ` — ${cell(s.note)}` : ''),
    ];
  });
  return renderTable(['ID', 'TO', 'STATE', 'WHEN', 'NEXT', 'LAST', 'SENT/MISSED', 'BY', 'PROMPT'], body, width);
}

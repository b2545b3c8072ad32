/**
 * When a scheduled prompt is due: the checked form of a request's "when"
 * (a five-field cron expression read in an IANA zone, or an interval), the
 * next slot after a moment, and the slots that fell due while nobody looked.
 * Pure: every moment is passed in (milliseconds since the epoch).
 */
import { CronExpressionParser } from 'cron-parser';
import { isTimeZone, localTimeZone } from '../../protocol/index.js';

/** A schedule's timing, checked. Interval slots are `anchorMs + k × everySeconds` (k ≥ 1). */
export type ScheduleTiming =
  | { kind: 'cron'; cron: string; tz: string }
  | { kind: 'interval'; everySeconds: number; anchorMs: number; tz: string };

/** What a request gave; the zone defaults to `defaultTz`. */
export interface WhenInput {
  cron?: string;
  every_seconds?: number;
  tz?: string;
}

/** The core's own time zone: the default for a schedule that names none (as budget days use it). */
export { localTimeZone };

/** Why `tz` is not an IANA time zone this runtime knows, or null. */
export function timeZoneProblem(tz: string): string | null {
  return isTimeZone(tz) ? null : `unknown time zone ${JSON.stringify(tz)} (expected an IANA name such as "Europe/Berlin" or "UTC")`;
}

/**
 * Check a request's "when" at `nowMs`. Returns the timing (an interval is
 * anchored at `nowMs`) or a sentence saying what is wrong.
 */
export function checkWhen(input: WhenInput, defaultTz: string, nowMs: number): ScheduleTiming | { error: string } {
  const tz = input.tz ?? defaultTz;
  const tzProblem = timeZoneProblem(tz);
  if (tzProblem) return { error: tzProblem };
  if ((input.cron === undefined) === (input.every_seconds === undefined)) {
    return { error: 'give exactly one of cron (e.g. "0 9 * * 1-5") or every_seconds' };
  }
  if (input.every_seconds !== undefined) return { kind: 'interval', everySeconds: input.every_seconds, anchorMs: nowMs, tz };
  const cron = input.cron!.trim().split(/\s+/).join(' ');
  const fields = cron.split(' ').length;
  if (fields !== 5) {
    return { error: `a cron expression has five fields (minute hour day-of-month month day-of-week), e.g. "0 9 * * 1-5"; ${JSON.stringify(input.cron)} has ${fields}` };
  }
  const timing: ScheduleTiming = { kind: 'cron', cron, tz };
  try {
    nextSlot(timing, nowMs);
  } catch (err) {
    return { error: `cron expression ${JSON.stringify(input.cron)}: ${(err as Error).message}` };
  }
  return timing;
}

/** The first slot strictly after `afterMs`. Throws for a cron expression that never fires. */
export function nextSlot(timing: ScheduleTiming, afterMs: number): number {
  if (timing.kind === 'interval') {
    const step = timing.everySeconds * 1000;
    const k = afterMs < timing.anchorMs ? 1 : Math.floor((afterMs - timing.anchorMs) / step) + 1;
    return timing.anchorMs + k * step;
  }
  return CronExpressionParser.parse(timing.cron, { currentDate: new Date(afterMs), tz: timing.tz }).next().getTime();
}

/** Slots due by now: the most recent `keep` of them (oldest first), and how many there were in all. */
export interface DueSlots {
  slots: number[];
  total: number;
}

/**
 * Past this many, missed slots are not counted one by one: cron-parser takes
 * about a quarter of a millisecond per slot, and a minutely schedule down for
 * a week has ten thousand.
 */
export const MAX_COUNTED_SLOTS = 1000;

/**
 * The slots from `firstDueMs` (the first one not yet delivered) up to and
 * including `nowMs`: the last `keep` of them and their total (counted up to
 * `MAX_COUNTED_SLOTS`).
 */
export function dueSlots(timing: ScheduleTiming, firstDueMs: number, nowMs: number, keep: number): DueSlots {
  if (firstDueMs > nowMs) return { slots: [], total: 0 };
  if (timing.kind === 'interval') {
    const step = timing.everySeconds * 1000;
    const total = Math.floor((nowMs - firstDueMs) / step) + 1;
    const last = firstDueMs + (total - 1) * step;
    const shown = Math.min(keep, total);
    return { slots: Array.from({ length: shown }, (_, i) => last - (shown - 1 - i) * step), total };
  }
  const forward = CronExpressionParser.parse(timing.cron, { currentDate: new Date(firstDueMs - 1), tz: timing.tz });
  let total = 0;
  while (total < MAX_COUNTED_SLOTS && forward.next().getTime() <= nowMs) total++;
  // The most recent ones, counted back from now (the count above may have stopped short of them).
  const backward = CronExpressionParser.parse(timing.cron, { currentDate: new Date(nowMs + 1), tz: timing.tz });
  const slots: number[] = [];
  while (slots.length < Math.min(keep, total)) {
    const slot = backward.prev().getTime();
    if (slot < firstDueMs) break;
    slots.unshift(slot);
  }
  return { slots, total: Math.max(total, slots.length) };
}

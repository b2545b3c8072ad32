/**
 * Wall-clock time in a named time zone, with nothing but `Intl`: where a day
 * and a week begin (budget days), and the next instant a clock in some zone
 * shows a given time (a usage limit that "resets 3pm (Europe/Rome)"). Pure
 * and zod-free.
 */

/** The calendar fields of an instant as a clock in some zone shows them (month 1–12, weekday 0 = Sunday). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone this process keeps local time in (`TZ`, else the system's). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** What a clock in `timeZone` shows at `ms` (milliseconds since the epoch). */
export function wallClock(ms: number, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type === 'weekday') out.weekday = WEEKDAYS[part.value] ?? 0;
    else if (part.type !== 'literal' && part.type !== 'dayPeriod') out[part.type] = Number(part.value);
  }
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second!, weekday: out.weekday! };
}

/** How far `timeZone` is ahead of UTC at `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const c = wallClock(ms, timeZone);
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a clock in `timeZone` shows this date and time. A time a
 * daylight-saving jump skips comes out shifted forward by the jump (02:30
 * becomes 03:30); a time shown twice comes out as one of the two.
 */
export function zonedInstant(date: { year: number; month: number; day: number; hour?: number; minute?: number }, timeZone: string): number {
  const hour = date.hour ?? 0;
  const minute = date.minute ?? 0;
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  if (first === second) return first;
  // Around a change of offset the two guesses differ: take the one whose clock shows the time asked for.
  const shows = (t: number) => {
    const c = wallClock(t, timeZone);
    return c.day === date.day && c.hour === hour && c.minute === minute;
  };
  if (shows(first) !== shows(second)) return shows(first) ? first : second;
  return shows(first) ? Math.min(first, second) : Math.max(first, second);
}

/** The calendar day `days` after this one (month and year lengths handled by Date). */
function addDays(d: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number } {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Midnight that began the day `ms` falls in, as a clock in `timeZone` sees it. */
export function dayStart(ms: number, timeZone: string): number {
  const { year, month, day } = wallClock(ms, timeZone);
  return zonedInstant({ year, month, day }, timeZone);
}

/** The next midnight after `ms` in `timeZone`. */
export function nextDayStart(ms: number, timeZone: string): number {
  return zonedInstant(addDays(wallClock(ms, timeZone), 1), timeZone);
}

/** Monday 00:00 of the week `ms` falls in, in `timeZone`. */
export function weekStart(ms: number, timeZone: string): number {
  const c = wallClock(ms, timeZone);
  return zonedInstant(addDays({ year: c.year, month: c.month, day: c.day }, -((c.weekday + 6) % 7)), timeZone);
}

/** The first instant after `ms` at which a clock in `timeZone` shows `hour:minute` (today's, else tomorrow's). */
export function nextWallClockTime(ms: number, hour: number, minute: number, timeZone: string): number {
  const c = wallClock(ms, timeZone);
  const today = zonedInstant({ year: c.year, month: c.month, day: c.day, hour, minute }, timeZone);
  if (today > ms) return today;
  return zonedInstant({ ...addDays(c, 1), hour, minute }, timeZone);
}

/**
 * What claude says when it cannot work: not logged in, or the account's usage
 * limit reached (with when it resets, when it says). Pure: text and a clock in,
 * values out. The forms read, as claude has printed them:
 *
 * - `Not logged in · Please run /login` (an assistant message flagged
 *   `"error":"authentication_failed"`, then the `result` text);
 * - `Claude AI usage limit reached|1753441200` (the reset as unix seconds);
 * - `Claude usage limit reached. Your limit will reset at 5pm (Europe/Warsaw).`;
 * - `5-hour limit reached ∙ resets 3pm`, `You've hit your session limit · resets 12:50am (America/Los_Angeles)`
 *   (a clock time, in the zone named in brackets or else the local one; a
 *   month and day may come before it);
 * - `You have reached your specified API usage limits. You will regain access on 2026-04-01 at 00:00 UTC.`;
 * - a `rate_limit_event` line whose `rate_limit_info.status` is `rejected`, with `resetsAt` (unix seconds).
 */
import { isTimeZone, nextWallClockTime, zonedInstant, wallClock } from '../protocol/index.js';

/** A usage limit claude reported. */
export interface UsageLimit {
  /** The message, as claude wrote it (first 300 characters). */
  text: string;
  /** Unix seconds at which it resets, when claude said. */
  resetsAt?: number;
}

/** The clock reset times are read against: now, and the zone claude prints local times in. */
export interface SignalClock {
  nowMs: number;
  timeZone: string;
}

const LOGIN = /not logged in|please run \/login|invalid api key|oauth token (?:has )?expired/i;
const LIMIT = /usage limit reached|limit reached\s*[∙·•|]|hit your (?:[\w-]+ )?limit|reached your specified api usage limits|out of extra usage/i;
const PIPE_UNIX = /usage limit reached\|(\d{9,11})\b/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const CLOCK = /\breset(?:s)?(?:\s+at)?\s+(?:([a-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(?:at\s+)?)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b(?:\s*\(([^)]+)\))?/i;
const REGAIN = /regain access on (\d{4})-(\d{2})-(\d{2}) at (\d{2}):(\d{2}) UTC/i;

/** True when `text` is claude saying it is not logged in. */
export function isLoginMessage(text: string): boolean {
  return LOGIN.test(text);
}

/** The usage limit `text` reports, or null when it reports none. */
export function usageLimitIn(text: string, clock: SignalClock): UsageLimit | null {
  if (!LIMIT.test(text)) return null;
  const limit: UsageLimit = { text: text.trim().slice(0, 300) };
  const resetsAt = resetTimeIn(text, clock);
  if (resetsAt !== undefined) limit.resetsAt = resetsAt;
  return limit;
}

/** When the limit resets, read from the message, or undefined when it does not say in a form read here. */
export function resetTimeIn(text: string, clock: SignalClock): number | undefined {
  const unix = PIPE_UNIX.exec(text);
  if (unix) return Number(unix[1]);
  const regain = REGAIN.exec(text);
  if (regain) {
    const [, y, mo, d, h, mi] = regain.map(Number) as number[];
    return Date.UTC(y!, mo! - 1, d!, h!, mi!) / 1000;
  }
  const at = CLOCK.exec(text);
  if (!at) return undefined;
  const [, monthName, dayText, hourText, minuteText, meridiem, zoneText] = at;
  let hour = Number(hourText) % 12;
  if (meridiem!.toLowerCase() === 'pm') hour += 12;
  const minute = minuteText ? Number(minuteText) : 0;
  if (hour > 23 || minute > 59) return undefined;
  const zone = zoneText && isTimeZone(zoneText.trim()) ? zoneText.trim() : clock.timeZone;
  if (!monthName) return Math.floor(nextWallClockTime(clock.nowMs, hour, minute, zone) / 1000);
  const month = MONTHS.indexOf(monthName.toLowerCase()) + 1;
  const day = Number(dayText);
  if (month === 0 || day < 1 || day > 31) return undefined;
  const { year } = wallClock(clock.nowMs, zone);
  // A date already past means next year's (a weekly limit read on 31 December).
  let ms = zonedInstant({ year, month, day, hour, minute }, zone);
  if (ms <= clock.nowMs - 86_400_000) ms = zonedInstant({ year: year + 1, month, day, hour, minute }, zone);
  return Math.floor(ms / 1000);
}

/** The checks every verb's arguments go through: ids, names, counts, words, and spans and points of time. A failed check throws a `UsageError` whose message is the sentence the operator reads. */
import { agentNameProblem } from '../protocol/names.js';
import type { SinceArg } from './command.js';

/** A command line that does not say a command; its message is for the operator. */
export class UsageError extends Error {}

/** Refuse the command line with `message`. */
export function fail(message: string): never {
  throw new UsageError(message);
}

/** An id as typed (`7` or `#7`). */
export function parseId(raw: string | undefined, what: string): number {
  if (raw === undefined) fail(`missing ${what}`);
  const cleaned = raw.startsWith('#') ? raw.slice(1) : raw;
  if (!/^\d{1,15}$/.test(cleaned)) fail(`${what} must be a non-negative integer, not ${JSON.stringify(raw)}`);
  return Number(cleaned);
}

/** A count or id given to a number flag. */
export function positiveInt(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 999_999_999) fail(`--${flag} takes a positive integer, not ${value}`);
  return value;
}

/** An agent's name, checked as the core checks it. */
export function parseName(raw: string | undefined, what = 'agent name'): string {
  if (raw === undefined) fail(`missing ${what}`);
  const problem = agentNameProblem(raw);
  if (problem) fail(problem);
  return raw;
}

/** The rest of the words as one text ("-" is kept: it means stdin). */
export function joinText(words: string[], what: string): string {
  if (words.length === 0) fail(`missing ${what}`);
  const text = words.join(' ');
  if (text.trim() === '') fail(`${what} must not be empty`);
  return text;
}

/** At most `count` positional arguments. */
export function exactly(positional: string[], count: number, verb: string): void {
  if (positional.length > count) fail(`${verb} takes ${count === 0 ? 'no arguments' : `${count} argument${count > 1 ? 's' : ''}`}; unexpected ${JSON.stringify(positional[count])}`);
}

/** No positional arguments. */
export function none(positional: string[], verb: string): void {
  exactly(positional, 0, verb);
}

/** One positional argument, an id. */
export function onlyId(positional: string[], verb: string, what: string): number {
  exactly(positional, 1, verb);
  return parseId(positional[0], what);
}

/** One positional argument, an agent's name. */
export function onlyName(positional: string[], verb: string): string {
  exactly(positional, 1, verb);
  return parseName(positional[0]);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400 };

/** A span of time as typed, `90s`, `15m`, `2h`, `1h30m`, `1.5d`, `1w`, in whole seconds; null when it is not one. */
export function parseDuration(raw: string): number | null {
  const text = raw.trim();
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(text)) return null;
  let seconds = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) seconds += Number(n) * UNIT_SECONDS[unit!]!;
  return Number.isFinite(seconds) ? Math.round(seconds) : null;
}

/** `--since`: a time ago (`2h`, `1h30m`, as `parseDuration` reads it), or a date and time (`2026-11-21`, `2026-11-21T09:00`, with a zone or local). */
export function parseSince(text: string): SinceArg {
  const trimmed = text.trim();
  const agoSeconds = parseDuration(trimmed);
  if (agoSeconds !== null) return { agoSeconds };
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) {
    // A date alone is local midnight, as a person means it (Date.parse would read it as UTC).
    const ms = Date.parse(trimmed.length === 10 ? `${trimmed}T00:00` : trimmed.replace(' ', 'T'));
    if (Number.isFinite(ms)) return { atSeconds: ms / 1000 };
  }
  fail(`--since takes a time ago (90s, 15m, 2h, 1h30m, 3d, 1w) or a date (2026-11-21, 2026-11-21T09:00), not ${JSON.stringify(text)}`);
}

// When scheduled prompts fall due: checking a request's "when", the next slot (cron in a zone, across DST; intervals), missed slots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_COUNTED_SLOTS, checkWhen, dueSlots, nextSlot, type ScheduleTiming } from './schedule-timing.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const weekdays9: ScheduleTiming = { kind: 'cron', cron: '0 9 * * 1-5', tz: 'Europe/Berlin' };

test('a weekday 09:00 cron in Berlin: the next slot skips the weekend and follows summer time', () => {
  // Friday 2026-05-01 12:00 UTC → Monday 09:00 CEST (07:00 UTC).
  assert.equal(iso(nextSlot(weekdays9, at('2026-05-01T12:00:00Z'))), '2026-05-04T07:00:00.000Z');
  // Exactly at a slot: the next one, never the same one again.
  assert.equal(iso(nextSlot(weekdays9, at('2026-05-04T07:00:00Z'))), '2026-05-05T07:00:00.000Z');
  // Winter: 09:00 CET is 08:00 UTC.
  assert.equal(iso(nextSlot(weekdays9, at('2026-01-05T00:00:00Z'))), '2026-01-05T08:00:00.000Z');
  // A slot in the hour the clocks skip (02:30 on 29 March) comes at the first minute that exists after it.
  const skipped: ScheduleTiming = { kind: 'cron', cron: '30 2 * * *', tz: 'Europe/Berlin' };
  assert.ok(nextSlot(skipped, at('2026-03-29T00:00:00Z')) > at('2026-03-29T00:00:00Z'));
});

test('interval slots are counted from the anchor, never at it', () => {
  const every15m: ScheduleTiming = { kind: 'interval', everySeconds: 900, anchorMs: at('2026-05-01T10:00:00Z'), tz: 'UTC' };
  assert.equal(iso(nextSlot(every15m, at('2026-05-01T10:00:00Z'))), '2026-05-01T10:15:00.000Z');
  assert.equal(iso(nextSlot(every15m, at('2026-05-01T10:14:59Z'))), '2026-05-01T10:15:00.000Z');
  assert.equal(iso(nextSlot(every15m, at('2026-05-01T10:15:00Z'))), '2026-05-01T10:30:00.000Z');
  assert.equal(iso(nextSlot(every15m, at('2026-05-01T09:00:00Z'))), '2026-05-01T10:15:00.000Z');
});

test('checking a request: one of cron or interval, five cron fields, a known zone, a cron that fires', () => {
  const now = at('2026-05-01T12:00:00Z');
  assert.deepEqual(checkWhen({ cron: ' 0  9 * * 1-5 ', tz: 'Europe/Berlin' }, 'UTC', now), weekdays9);
  assert.deepEqual(checkWhen({ every_seconds: 3600 }, 'Europe/Paris', now), { kind: 'interval', everySeconds: 3600, anchorMs: now, tz: 'Europe/Paris' });
  const errors: [Parameters<typeof checkWhen>[0], RegExp][] = [
    [{}, /give exactly one of cron .* or every_seconds/],
    [{ cron: '0 9 * * *', every_seconds: 60 }, /give exactly one of/],
    [{ cron: '0 9 * *' }, /a cron expression has five fields .* has 4/],
    [{ cron: '0 0 9 * * 1-5' }, /has 6/],
    [{ cron: '@daily' }, /has 1/],
    [{ cron: '61 9 * * *' }, /cron expression "61 9 \* \* \*": .*0-59/],
    [{ cron: '0 0 30 2 *' }, /cron expression "0 0 30 2 \*": /],
    [{ cron: 'hello there you cron job' }, /cron expression "hello there you cron job": /],
    [{ cron: '0 9 * * *', tz: 'Mars/Olympus_Mons' }, /unknown time zone "Mars\/Olympus_Mons" \(expected an IANA name/],
  ];
  for (const [input, error] of errors) {
    const checked = checkWhen(input, 'UTC', now);
    assert.ok('error' in checked, JSON.stringify(input));
    assert.match(checked.error, error);
  }
});

test('missed slots: the latest few and how many in all, for intervals and cron', () => {
  const hourly: ScheduleTiming = { kind: 'interval', everySeconds: 3600, anchorMs: at('2026-05-01T00:00:00Z'), tz: 'UTC' };
  const first = at('2026-05-01T01:00:00Z');
  assert.deepEqual(dueSlots(hourly, first, first - 1, 24), { slots: [], total: 0 });
  assert.deepEqual(dueSlots(hourly, first, first, 1), { slots: [first], total: 1 });
  const fiveLate = dueSlots(hourly, first, at('2026-05-01T05:30:00Z'), 1);
  assert.deepEqual({ slots: fiveLate.slots.map(iso), total: fiveLate.total }, { slots: ['2026-05-01T05:00:00.000Z'], total: 5 });
  assert.deepEqual(dueSlots(hourly, first, at('2026-05-01T05:30:00Z'), 24).slots.map(iso), [1, 2, 3, 4, 5].map((h) => `2026-05-01T0${h}:00:00.000Z`));

  // Down from Friday 12:00 to Wednesday 10:00 Berlin: Monday, Tuesday and Wednesday 09:00 were missed.
  const monday = nextSlot(weekdays9, at('2026-05-01T12:00:00Z'));
  const missed = dueSlots(weekdays9, monday, at('2026-05-06T08:00:00Z'), 2);
  assert.deepEqual({ slots: missed.slots.map(iso), total: missed.total }, { slots: ['2026-05-05T07:00:00.000Z', '2026-05-06T07:00:00.000Z'], total: 3 });

  // A minutely cron down for a week: counted up to the cap, and the slots given are still the latest.
  const minutely: ScheduleTiming = { kind: 'cron', cron: '* * * * *', tz: 'UTC' };
  const long = dueSlots(minutely, at('2026-05-01T00:00:00Z'), at('2026-05-08T00:00:30Z'), 1);
  assert.deepEqual({ slots: long.slots.map(iso), total: long.total }, { slots: ['2026-05-08T00:00:00.000Z'], total: MAX_COUNTED_SLOTS });
});

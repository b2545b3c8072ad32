import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayStart, isTimeZone, nextDayStart, nextWallClockTime, wallClock, weekStart, zonedInstant } from './zoned-time.js';

const iso = (ms: number) => new Date(ms).toISOString();

test('days and weeks begin at midnight and on Monday in the zone asked for', () => {
  const t = Date.UTC(2026, 10, 25, 22, 30); // Wednesday 23:30 in Berlin, Thursday 07:30 in Tokyo
  assert.equal(iso(dayStart(t, 'Europe/Berlin')), '2026-11-24T23:00:00.000Z');
  assert.equal(iso(nextDayStart(t, 'Europe/Berlin')), '2026-11-25T23:00:00.000Z');
  assert.equal(iso(dayStart(t, 'Asia/Tokyo')), '2026-11-25T15:00:00.000Z');
  assert.equal(iso(dayStart(t, 'UTC')), '2026-11-25T00:00:00.000Z');
  assert.equal(iso(weekStart(t, 'Europe/Berlin')), '2026-11-22T23:00:00.000Z');
  assert.equal(iso(weekStart(t, 'America/Los_Angeles')), '2026-11-23T08:00:00.000Z');
  assert.equal(wallClock(t, 'Asia/Tokyo').weekday, 4);
});

test('a day with a daylight-saving jump is 23 or 25 hours long', () => {
  const spring = Date.UTC(2026, 2, 29, 10, 0); // Berlin moves 02:00 → 03:00 that night
  assert.equal(nextDayStart(spring, 'Europe/Berlin') - dayStart(spring, 'Europe/Berlin'), 23 * 3600_000);
  const autumn = Date.UTC(2026, 9, 25, 10, 0);
  assert.equal(nextDayStart(autumn, 'Europe/Berlin') - dayStart(autumn, 'Europe/Berlin'), 25 * 3600_000);
  // 02:30 does not exist that spring night: it comes out an hour later.
  assert.equal(iso(zonedInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin')), '2026-03-29T01:30:00.000Z');
});

test('the next time a clock shows h:mm is today\'s when still ahead, else tomorrow\'s', () => {
  const nine = Date.UTC(2026, 10, 22, 9, 0);
  assert.equal(iso(nextWallClockTime(nine, 15, 0, 'UTC')), '2026-11-22T15:00:00.000Z');
  assert.equal(iso(nextWallClockTime(nine, 8, 59, 'UTC')), '2026-11-23T08:59:00.000Z');
  assert.equal(iso(nextWallClockTime(nine, 9, 0, 'UTC')), '2026-11-23T09:00:00.000Z', 'now is not ahead');
  assert.equal(iso(nextWallClockTime(nine, 17, 0, 'Europe/Warsaw')), '2026-11-22T16:00:00.000Z');
});

test('time zone names are checked', () => {
  assert.equal(isTimeZone('Europe/Berlin'), true);
  assert.equal(isTimeZone('UTC'), true);
  assert.equal(isTimeZone('Mars/Olympus'), false);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeConnection, headerSegments, reasonRows, type HeaderFacts } from './Header.js';
import type { ConnectionInfo } from '../client/connection-info.js';

const text = (c: ConnectionInfo, now = 1_000_000) => {
  const d = describeConnection(c, now);
  return d.state.map((s) => s.text).join('') + (d.reason ? ` — ${d.reason}` : '');
};
const base = { where: '/run/hyperhive/host.sock', readOnly: false };

test('every connection state explains itself in words', () => {
  assert.equal(text({ ...base, phase: 'connecting' }), '◌ connecting to /run/hyperhive/host.sock');
  assert.equal(text({ ...base, phase: 'live' }), '● live');
  assert.equal(
    text({ ...base, phase: 'unreachable', attempt: 3, nextTryAt: 1_002_000, reason: 'no hive at /run/hyperhive/host.sock — is hyperhive-core running?' }),
    '✗ unreachable (next try in 2s) — no hive at /run/hyperhive/host.sock — is hyperhive-core running?',
  );
  assert.match(text({ ...base, phase: 'reconnecting', attempt: 2, nextTryAt: 1_001_000, staleSince: 990_000, reason: 'the core closed the connection' }), /^◌ reconnecting \(attempt 2, next try in 1s\) · data stale since \d\d:\d\d:\d\d — the core closed the connection$/);
  assert.match(text({ ...base, phase: 'stale', attempt: 5, nextTryAt: 1_005_000, staleSince: 990_000 }), /^◌ stale since \d\d:\d\d:\d\d \(attempt 5, next try in 5s\)$/);
  assert.equal(text({ ...base, phase: 'incompatible', theirVersion: 2, reason: 'core speaks protocol 2, this console speaks 1' }), '✗ incompatible — core speaks protocol 2, this console speaks 1');
});

test('the "no hive" sentence is wrapped whole onto its own rows, never cut', () => {
  const reason = 'no hive at /run/user/1000/hyperhive/host.sock — is hyperhive-core running?';
  const rows = reasonRows({ ...base, phase: 'unreachable', reason }, 0, 40);
  assert.ok(rows.length > 1 && rows.every((r) => r.length <= 38), rows.join('\n'));
  assert.equal(rows.join(' '), reason, 'every word whole, in order');
  // A path longer than a row is split across rows, not dropped.
  const long = 'no hive at /home/operator/.local/state/a/very/long/runtime/dir/hyperhive/host.sock — is hyperhive-core running?';
  const split = reasonRows({ ...base, phase: 'unreachable', reason: long }, 0, 40);
  assert.ok(split.every((r) => r.length <= 38));
  assert.equal(split.join('').replace(/ /g, ''), long.replace(/ /g, ''));
  assert.deepEqual(reasonRows({ ...base, phase: 'live' }, 0, 40), []);
});

const facts: HeaderFacts = {
  hive: { name: 'night-shift', version: '0.1.0', started_at: 1000 - 3 * 3600, models: [] },
  agentsRunning: 3,
  agentsTotal: 4,
  turnsRunning: 1,
  todayCostUsd: 1.27,
  approvals: 2,
  questions: 1,
  messages: 3,
  agentTrouble: 1,
};
const line = (width: number, f = facts) => headerSegments({ ...base, phase: 'live' }, f, 1_000_000, width).map((s) => s.text).join('');

test('the header carries name, version, uptime, connection, needs, agents, turns and today\'s cost', () => {
  assert.equal(line(200), 'hyperhive night-shift 0.1.0 up 3h · ● live · ⚑2 ?1 ✉3 ✗1 need you · 3/4 agents running · 1 turn running · today $1.27');
  assert.equal(line(200, { ...facts, approvals: 0, questions: 0, messages: 0, agentTrouble: 0 }).includes('nothing needs you'), true);
});

test('at 80 columns the least important pieces go first; connection and needs stay', () => {
  const at80 = line(80);
  assert.ok(at80.length <= 80, at80);
  assert.match(at80, /● live/);
  assert.match(at80, /⚑2 \?1 ✉3 ✗1 need you/);
  assert.match(at80, /3\/4 agents running/);
  assert.doesNotMatch(at80, /up 3h/, 'uptime is dropped first');
  const at60 = line(60);
  assert.equal(at60, 'hyperhive night-shift · ● live · ⚑2 ?1 ✉3 ✗1 need you');
  const at40 = line(40);
  assert.equal(at40, '● live · ⚑2 ?1 ✉3 ✗1 need you', 'the state and what needs you stay longest');
  const unreachable = headerSegments({ ...base, phase: 'unreachable', nextTryAt: 1_001_000 }, { ...facts, hive: undefined, approvals: 0, questions: 0, messages: 0, agentTrouble: 0 }, 1_000_000, 80).map((s) => s.text).join('');
  assert.match(unreachable, /^hyperhive · ✗ unreachable \(next try in 1s\) · nothing needs you/, 'the console names itself first');
});

test('the header names the context, and says when only decisions are offered', () => {
  const row = (c: Partial<ConnectionInfo>) => headerSegments({ ...base, phase: 'live', ...c }, facts, 1_000_000, 200).map((s) => s.text).join('');
  assert.match(row({ context: 'prod' }), /^hyperhive night-shift ⟨prod⟩ 0\.1\.0 up 3h · ● live/);
  assert.match(row({ decisionsOnly: true }), /\[DECISIONS ONLY\] · ● live/);
});

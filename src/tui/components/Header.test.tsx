import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeConnection } from './Header.js';
import type { ConnectionInfo } from '../client/hive-state.js';

const text = (c: ConnectionInfo, now = 1_000_000) => describeConnection(c, now).map((s) => s.text).join('');
const base = { where: '/run/hyperhive/host.sock', readOnly: false };

test('every connection state explains itself in words', () => {
  assert.equal(text({ ...base, phase: 'connecting' }), '◌ connecting to /run/hyperhive/host.sock');
  assert.equal(text({ ...base, phase: 'live' }), '● live');
  assert.equal(
    text({ ...base, phase: 'unreachable', attempt: 3, nextTryAt: 1_002_000, reason: 'no hive at /run/hyperhive/host.sock — is hyperhive-core running?' }),
    '✗ unreachable (next try in 2s): no hive at /run/hyperhive/host.sock — is hyperhive-core running?',
  );
  assert.match(text({ ...base, phase: 'reconnecting', attempt: 2, nextTryAt: 1_001_000, staleSince: 990_000, reason: 'the core closed the connection' }), /^◌ reconnecting \(attempt 2, next try in 1s\) · data stale since \d\d:\d\d:\d\d — the core closed the connection$/);
  assert.match(text({ ...base, phase: 'stale', attempt: 5, nextTryAt: 1_005_000, staleSince: 990_000 }), /^◌ stale since \d\d:\d\d:\d\d \(attempt 5, next try in 5s\)$/);
  assert.equal(text({ ...base, phase: 'incompatible', theirVersion: 2, reason: 'core speaks protocol 2, this console speaks 1' }), '✗ incompatible: core speaks protocol 2, this console speaks 1');
});

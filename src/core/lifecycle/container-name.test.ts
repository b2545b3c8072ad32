import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTAINER_NAME_MAX, containerName } from './container-name.js';
import { agentNameProblem } from '../../protocol/index.js';

const NIXOS_CONTAINER_NAME = /^[a-zA-Z0-9_-]+$/;
// NixOS's networking.hostName check, which the container's default hostname must pass.
const NIXOS_HOSTNAME = /^$|^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;

test('short names map to h-<name>; longer ones to a prefix and a hash, within 11 characters', () => {
  assert.equal(containerName('iris'), 'h-iris');
  assert.equal(containerName('abcdefghi'), 'h-abcdefghi');
  const long = containerName('abcdefghij');
  assert.match(long, /^h-abc_[a-z2-7]{5}$/);
  assert.equal(containerName('abcdefghij'), long, 'deterministic');
  assert.notEqual(containerName('abcdefghik'), long);
  // A name ending in "-" would give an invalid hostname, so it is hashed too.
  assert.match(containerName('ab-'), /^h-ab-_[a-z2-7]{5}$/);
  for (const name of ['a', 'iris', 'ab-', 'manager', 'a-very-long-agent-name-indeed', 'x'.repeat(63), '0-0']) {
    assert.equal(agentNameProblem(name), null);
    const c = containerName(name);
    assert.ok(c.length <= CONTAINER_NAME_MAX, `${c} fits`);
    assert.match(c, NIXOS_CONTAINER_NAME);
    assert.match(c, NIXOS_HOSTNAME);
  }
});

test('direct and hashed names never meet: agent names cannot contain "_"', () => {
  for (let i = 0; i < 2000; i++) {
    const name = `agent-${i.toString(36)}-long`;
    assert.ok(containerName(name).includes('_'));
  }
  assert.ok(!containerName('abc12345').includes('_'));
});

test('hashed names collide only by chance, and such a pair is found and kept apart by the backend', () => {
  // 25 bits of hash behind a 3-character prefix: a birthday search finds a pair in a few thousand names.
  const seen = new Map<string, string>();
  let pair: [string, string] | null = null;
  for (let i = 0; i < 200_000 && !pair; i++) {
    const name = `wrk-${i}`;
    const c = containerName(name);
    const other = seen.get(c);
    if (other) pair = [other, name];
    seen.set(c, name);
  }
  assert.ok(pair, 'a colliding pair exists');
  assert.equal(containerName(pair[0]), containerName(pair[1]));
  assert.ok(seen.size > 1000, 'it took many names to find one');
  // Different prefixes never collide.
  assert.notEqual(containerName(`abc-${pair[0]}`).slice(0, 5), containerName(`xyz-${pair[0]}`).slice(0, 5));
});

/**
 * Container names for agents. `nixos-container` refuses names longer than 11
 * characters (the host side of the container's veth is `ve-<name>`, and an
 * interface name has at most 15). An agent name of at most 9 characters that
 * ends in a letter or digit maps to `h-<name>`. Any other name maps to `h-`,
 * its first 3 characters, `_` and 5 base32 characters of the SHA-256 of the
 * whole name: deterministic, and never equal to a direct name, because agent
 * names cannot contain `_`. Two long names can still share a hashed name
 * (same first 3 characters and same 25-bit hash); the backend refuses the
 * second one by name instead of sharing a container.
 */
import { createHash } from 'node:crypto';

export const CONTAINER_NAME_MAX = 11;
const PREFIX = 'h-';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The container name of a validated agent name. */
export function containerName(agent: string): string {
  const direct = PREFIX + agent;
  if (direct.length <= CONTAINER_NAME_MAX && /[a-z0-9]$/.test(agent)) return direct;
  return `${PREFIX}${agent.slice(0, 3)}_${hash25(agent)}`;
}

/** Five base32 characters (25 bits) of the name's SHA-256. */
function hash25(text: string): string {
  const digest = createHash('sha256').update(text).digest();
  let bits = (digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!;
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += BASE32[(bits >>> 27) & 31];
    bits <<= 5;
  }
  return out;
}

/** Agent-name rules, checked at every entry point (socket, config, CLI) so no name reaches a path unchecked. */

/** Senders that are not agents; no agent may take these names. */
export const RESERVED_NAMES = ['operator', 'system', 'reminder', 'all', 'core', 'schedule'] as const;

const AGENT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Why `name` is not a valid agent name, or null when it is. */
export function agentNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'an agent name must be a string';
  if (name.length === 0) return 'an agent name must not be empty';
  if (Buffer.byteLength(name, 'utf8') > 63) return `agent name is longer than 63 bytes`;
  if (name.startsWith('-')) return `agent name ${JSON.stringify(name)} must not start with "-"`;
  if (!AGENT_NAME.test(name)) {
    return `agent name ${JSON.stringify(name)} may only use a-z, 0-9 and "-"`;
  }
  if ((RESERVED_NAMES as readonly string[]).includes(name)) {
    return `agent name ${JSON.stringify(name)} is reserved`;
  }
  return null;
}

/** True when `name` is a valid agent name. */
export function isAgentName(name: unknown): name is string {
  return agentNameProblem(name) === null;
}

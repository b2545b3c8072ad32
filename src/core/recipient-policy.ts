/**
 * `allowed_recipients`: which agents an agent may reach. One rule for every
 * path into another agent's inbox (a message, a broadcast, a peer question):
 * an agent without a list may reach anyone; with one, the agents it names and
 * the manager.
 */
import type { AgentDirectory } from './ports.js';
import { refuse, type Refusal } from './refusal.js';

/** True when `from` may put something into `to`'s inbox (`from` not an agent: the operator, the core). */
export function mayReach(agents: AgentDirectory, from: string, to: string): boolean {
  const allowed = agents.agent(from)?.config.allowed_recipients;
  return !allowed || allowed.includes(to) || to === agents.manager;
}

/** The refusal for `from` reaching `to`, or null when it may. */
export function reachRefusal(agents: AgentDirectory, from: string, to: string): Refusal | null {
  if (mayReach(agents, from, to)) return null;
  const allowed = agents.agent(from)!.config.allowed_recipients!;
  const manager = agents.manager ? ' and the manager' : '';
  return refuse('forbidden', `${from} may not message ${to} (allowed: ${allowed.join(', ') || 'nobody'}${manager})`);
}

/** A roster row as the core reports a running agent with nothing going on. */
import type { AgentStatusRow } from '../../protocol/index.js';

/** A running, idle agent since `sinceSeconds` (unix seconds): the base of sample rows (tests, the warm-up). */
export function idleAgentRow(name: string, sinceSeconds: number): AgentStatusRow {
  return {
    name,
    running: true,
    failed: false,
    needs_update: false,
    needs_login: false,
    paused: false,
    pending_reminders: 0,
    turn_state: 'idle',
    turn_state_since: sinceSeconds,
    unread: 0,
  };
}

/**
 * The wire schemas the console checks what the core sends against, with the
 * warm-up the bundle's code cache for them is made with (the bundle ships
 * them as a CommonJS file of their own, loaded after the first frame).
 */
import { DashboardEvent, StateSnapshot } from '../../protocol/index.js';
import { idleAgentRow } from './idle-agent-row.js';

export * from '../../protocol/index.js';

/** Check a snapshot and a few events, as a start does (their parsers compiled, for the code cache). */
export function warmUpSchemas(): void {
  const now = Math.floor(Date.now() / 1000);
  const row = (name: string) => idleAgentRow(name, now);
  StateSnapshot.parse({ seq: 1, agents: [row('manager'), row('iris')], approvals: [], questions: [], transients: {}, operator_inbox: [] });
  for (const event of [{ kind: 'agent_status', seq: 2, at: now, row: row('iris') }, { kind: 'unknown', seq: 3 }]) DashboardEvent.safeParse(event);
}

/**
 * The roster as the attention surface: which rows it shows and in what
 * order — what needs the operator first (question deadlines soonest, then
 * approvals and questions, then failed, login and stalled agents, then
 * unread messages), by name grouped under parents, or heaviest CPU or
 * memory first (where the core samples them) — filtered by `/`.
 */
import type { AgentStatusRow, ResourceSample } from '../protocol/index.js';
import type { AgentNeeds } from './client/attention-queue.js';
import { agentState, groupByParent } from './format.js';
import { matchesFilter } from './ui/list.js';
import type { RosterSort } from './ui/ui-state.js';
import { holdNeedsYou } from './holds.js';

/** One roster row as drawn. */
export interface RosterEntry {
  row: AgentStatusRow;
  depth: number;
  needs?: AgentNeeds;
  /** Its processes' CPU and memory, when the core samples them. */
  resources?: ResourceSample;
}

/** How urgently an agent needs the operator: lower first; `Infinity` when it needs nothing. */
export function urgency(row: AgentStatusRow, needs: AgentNeeds | undefined): [number, number] {
  if (needs?.nearestDeadline !== undefined) return [0, needs.nearestDeadline];
  if (needs && (needs.approvals > 0 || needs.questions > 0)) return [1, 0];
  if (row.failed || row.needs_login || row.stalled || holdNeedsYou(row)) return [2, 0];
  if (needs && needs.messages > 0) return [3, 0];
  return [Number.POSITIVE_INFINITY, 0];
}

/** True when the agent has anything for the operator. */
export function needsYou(row: AgentStatusRow, needs: AgentNeeds | undefined): boolean {
  return urgency(row, needs)[0] !== Number.POSITIVE_INFINITY;
}

/** The words a roster filter is matched against. */
function filterFields(row: AgentStatusRow): (string | undefined)[] {
  return [row.name, agentState(row), row.status_text, row.active_model, row.parent, row.stalled ? 'stalled' : undefined];
}

/** The roster rows in display order, filtered. In `needs` order the agents that need you come first, flat; the rest keep the tree. */
export function rosterEntries(
  rows: readonly AgentStatusRow[],
  needsOf: ReadonlyMap<string, AgentNeeds>,
  sort: RosterSort,
  filter: string,
  resources: Readonly<Record<string, ResourceSample>> = {},
): RosterEntry[] {
  const shown = rows.filter((r) => matchesFilter(filter, filterFields(r)));
  const entry = (e: { row: AgentStatusRow; depth: number }): RosterEntry => {
    const sample = resources[e.row.name];
    return sample ? { ...e, needs: needsOf.get(e.row.name), resources: sample } : { ...e, needs: needsOf.get(e.row.name) };
  };
  if (sort === 'name') return groupByParent(shown).map(entry);
  if (sort === 'cpu' || sort === 'memory') {
    // Flat, heaviest first; agents without a sample (not running) after them, by name.
    const weight = (r: AgentStatusRow) => {
      const sample = resources[r.name];
      return sample === undefined ? -1 : sort === 'cpu' ? sample.cpu_percent : sample.rss_bytes;
    };
    return [...shown].sort((a, b) => weight(b) - weight(a) || (a.name < b.name ? -1 : 1)).map((row) => entry({ row, depth: 0 }));
  }
  const urgent = shown
    .filter((r) => needsYou(r, needsOf.get(r.name)))
    .map((row) => ({ row, rank: urgency(row, needsOf.get(row.name)) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || (a.row.name < b.row.name ? -1 : 1))
    .map(({ row }) => entry({ row, depth: 0 }));
  const quiet = groupByParent(shown.filter((r) => !needsYou(r, needsOf.get(r.name)))).map(entry);
  return [...urgent, ...quiet];
}

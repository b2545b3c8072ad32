/** Turn-stats table logic: sorting, filtering and per-agent totals (pure). */
import type { TurnStat } from '../protocol/index.js';

/** Columns the stats table sorts by. */
export const STATS_SORT_KEYS = ['time', 'agent', 'model', 'duration', 'input', 'output', 'cache', 'cost', 'tools', 'peak_cpu', 'peak_mem', 'result'] as const;
export type StatsSortKey = (typeof STATS_SORT_KEYS)[number];

/** How the stats table is shown. */
export interface StatsView {
  sort: StatsSortKey;
  desc: boolean;
  agent?: string;
}

function sortValue(row: TurnStat, key: StatsSortKey): number | string {
  switch (key) {
    case 'time':
      return row.ended_at;
    case 'agent':
      return row.agent;
    case 'model':
      return row.model;
    case 'duration':
      return row.duration_ms;
    case 'input':
      return row.input_tokens;
    case 'output':
      return row.output_tokens;
    case 'cache':
      return row.cache_read_input_tokens + row.cache_creation_input_tokens;
    case 'cost':
      return row.cost_usd ?? -1;
    case 'tools':
      return row.tool_call_count;
    case 'peak_cpu':
      return row.peak_cpu_percent ?? -1;
    case 'peak_mem':
      return row.peak_rss_bytes ?? -1;
    case 'result':
      return row.result_kind;
  }
}

/** Rows filtered by agent and sorted by the chosen column (ties: newest first). */
export function statsRows(rows: readonly TurnStat[], view: StatsView): TurnStat[] {
  const filtered = view.agent ? rows.filter((r) => r.agent === view.agent) : [...rows];
  const dir = view.desc ? -1 : 1;
  return filtered.sort((a, b) => {
    const x = sortValue(a, view.sort);
    const y = sortValue(b, view.sort);
    if (x < y) return -dir;
    if (x > y) return dir;
    return b.id - a.id;
  });
}

/** Per-agent totals over the rows given. */
export interface AgentTotals {
  agent: string;
  turns: number;
  durationMs: number;
  inputTokens: number;
  outputTokens: number;
  cacheTokens: number;
  costUsd: number;
  toolCalls: number;
  failed: number;
}

/** Totals per agent, most expensive first. */
export function totalsByAgent(rows: readonly TurnStat[]): AgentTotals[] {
  const by = new Map<string, AgentTotals>();
  for (const r of rows) {
    const t = by.get(r.agent) ?? { agent: r.agent, turns: 0, durationMs: 0, inputTokens: 0, outputTokens: 0, cacheTokens: 0, costUsd: 0, toolCalls: 0, failed: 0 };
    t.turns++;
    t.durationMs += r.duration_ms;
    t.inputTokens += r.input_tokens;
    t.outputTokens += r.output_tokens;
    t.cacheTokens += r.cache_read_input_tokens + r.cache_creation_input_tokens;
    t.costUsd += r.cost_usd ?? 0;
    t.toolCalls += r.tool_call_count;
    // An operator's cancel is not a failure.
    if (r.result_kind !== 'ok' && r.result_kind !== 'cancelled') t.failed++;
    by.set(r.agent, t);
  }
  return [...by.values()].sort((a, b) => b.costUsd - a.costUsd || (a.agent < b.agent ? -1 : 1));
}

/** Next agent filter in the cycle all → each agent → all. */
export function nextAgentFilter(current: string | undefined, agents: readonly string[]): string | undefined {
  if (agents.length === 0) return undefined;
  if (current === undefined) return agents[0];
  const i = agents.indexOf(current);
  return i < 0 || i === agents.length - 1 ? undefined : agents[i + 1];
}

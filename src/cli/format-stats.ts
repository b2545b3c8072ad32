/** Turn stats as the ctl prints them: one row per turn, then totals per agent. */
import { formatBytes, formatPercent } from '../protocol/display.js';
import type { TurnStat } from '../protocol/records.js';
import { age, cell, duration, renderTable, tokens, usd } from './format.js';

/** Per-agent totals over a page of turn stats. */
export interface StatTotals {
  agent: string;
  turns: number;
  failed: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
  toolCalls: number;
}

/** Sum a page of turn stats per agent (in first-seen order). */
export function totalsByAgent(stats: TurnStat[]): StatTotals[] {
  const byAgent = new Map<string, StatTotals>();
  for (const s of stats) {
    let t = byAgent.get(s.agent);
    if (!t) {
      t = { agent: s.agent, turns: 0, failed: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, durationMs: 0, toolCalls: 0 };
      byAgent.set(s.agent, t);
    }
    t.turns += 1;
    if (s.result_kind !== 'ok' && s.result_kind !== 'cancelled') t.failed += 1; // an operator's cancel is not a failure
    t.costUsd += s.cost_usd ?? 0;
    t.inputTokens += s.input_tokens + s.cache_read_input_tokens + s.cache_creation_input_tokens;
    t.outputTokens += s.output_tokens;
    t.durationMs += s.duration_ms;
    t.toolCalls += s.tool_call_count;
  }
  return [...byAgent.values()];
}

/** `stats`: one row per turn (newest first), then totals per agent. */
export function renderStats(rows: TurnStat[], nowSeconds: number, width?: number): string[] {
  // A row missing its id, agent or numbers is left out whole rather than printed as "#undefined" and NaN.
  const stats = rows.filter(isWholeStat);
  const skipped = rows.length - stats.length;
  if (stats.length === 0) return [skipped ? `no readable turns (${skipped} unreadable rows left out)` : 'no turns recorded'];
  const body = stats.map((s) => [
    `#${s.id}`,
    cell(s.agent),
    `${age(s.ended_at, nowSeconds)} ago`,
    cell(s.result_kind),
    duration(s.duration_ms),
    usd(s.cost_usd),
    tokens(s.input_tokens + s.cache_read_input_tokens + s.cache_creation_input_tokens),
    tokens(s.output_tokens),
    String(s.tool_call_count),
    s.peak_cpu_percent === undefined ? '-' : `${formatPercent(s.peak_cpu_percent)} ${formatBytes(s.peak_rss_bytes)}`,
    cell(s.model),
    cell(s.wake_from) + (s.note ? ` — ${cell(s.note)}` : ''),
  ]);
  const lines = renderTable(['ID', 'AGENT', 'ENDED', 'RESULT', 'TOOK', 'COST', 'IN', 'OUT', 'TOOLS', 'PEAK', 'MODEL', 'WOKEN BY'], body, width);
  const totals = totalsByAgent(stats).map((t) => [
    cell(t.agent),
    String(t.turns),
    String(t.failed),
    duration(t.durationMs),
    usd(t.costUsd),
    tokens(t.inputTokens),
    tokens(t.outputTokens),
    String(t.toolCalls),
  ]);
  lines.push('', ...renderTable(['AGENT', 'TURNS', 'NOT OK', 'TIME', 'COST', 'IN', 'OUT', 'TOOLS'], totals, width));
  if (skipped) lines.push('', `${skipped} unreadable rows left out`);
  return lines;
}

const STAT_NUMBERS = ['id', 'ended_at', 'duration_ms', 'input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'tool_call_count'] as const;

function isWholeStat(s: TurnStat): boolean {
  if (typeof s !== 'object' || s === null || typeof s.agent !== 'string') return false;
  if (s.cost_usd !== undefined && !Number.isFinite(s.cost_usd)) return false;
  return STAT_NUMBERS.every((key) => Number.isFinite(s[key]));
}

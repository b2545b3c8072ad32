/** Per-turn stats, newest first by default, sortable and filterable, with per-agent totals. */
import { memo } from 'react';
import { Box } from 'ink';
import type { TurnStat } from '../../protocol/index.js';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { fit, formatClock, formatCost, formatDuration, formatTokens } from '../format.js';
import type { AgentTotals, StatsView as StatsViewState, StatsSortKey } from '../stats.js';
import { keyOf } from '../keys/hints.js';

// Keys quoted in the table's title line, from the keymap.
const FILTER_KEY = keyOf('filter_agent');
const SORT_KEYS = `${keyOf('sort_next')}/${keyOf('sort_reverse')}`;

export interface StatsViewProps {
  rows: TurnStat[];
  totals: AgentTotals[];
  view: StatsViewState;
  cursor: number;
  height: number;
  width: number;
  theme: Theme;
}

const COLUMNS: { key: StatsSortKey; title: string; width: number }[] = [
  { key: 'time', title: 'TIME', width: 9 },
  { key: 'agent', title: 'AGENT', width: 13 },
  { key: 'model', title: 'MODEL', width: 9 },
  { key: 'duration', title: 'DUR', width: 8 },
  { key: 'input', title: 'IN', width: 7 },
  { key: 'output', title: 'OUT', width: 7 },
  { key: 'cache', title: 'CACHE', width: 7 },
  { key: 'cost', title: 'COST', width: 9 },
  { key: 'tools', title: 'TOOLS', width: 6 },
  { key: 'result', title: 'RESULT', width: 10 },
];

/** Cells of one stats row. */
export function statsCells(r: TurnStat): string[] {
  return [
    formatClock(r.ended_at),
    r.agent,
    r.model,
    formatDuration(r.duration_ms),
    formatTokens(r.input_tokens),
    formatTokens(r.output_tokens),
    formatTokens(r.cache_read_input_tokens + r.cache_creation_input_tokens),
    formatCost(r.cost_usd),
    String(r.tool_call_count),
    r.result_kind,
  ];
}

/** The stats view. */
export const StatsView = memo(function StatsView({ rows, totals, view, cursor, height, width, theme }: StatsViewProps) {
  const totalRows = Math.min(totals.length + 1, Math.max(2, Math.floor(height / 3)));
  const tableRows = Math.max(1, height - 2 - totalRows);
  const c = Math.max(0, Math.min(cursor, rows.length - 1));
  const start = Math.max(0, Math.min(c - Math.floor(tableRows / 2), rows.length - tableRows));
  const header: Segment[] = [
    { text: '  ' },
    ...COLUMNS.map((col) => ({ text: fit(col.key === view.sort ? `${col.title}${view.desc ? '▼' : '▲'}` : col.title, col.width), bold: true, tone: col.key === view.sort ? ('accent' as const) : undefined })),
  ];
  return (
    <Box flexDirection="column" height={height}>
      <Line theme={theme} segments={[{ text: `${rows.length} turns · filter: ${view.agent ?? 'all agents'} (${FILTER_KEY}) · sort: ${view.sort} (${SORT_KEYS})`, tone: 'muted' }]} />
      <Line theme={theme} segments={header} />
      {rows.length === 0 ? <Line theme={theme} segments={[{ text: '  no turns recorded yet', tone: 'muted' }]} /> : null}
      {rows.slice(start, start + tableRows).map((r, i) => {
        const selected = start + i === c;
        const cells = statsCells(r);
        return (
          <Line
            key={r.id}
            theme={theme}
            selected={selected}
            segments={[{ text: selected ? '› ' : '  ' }, ...cells.map((cell, j) => ({ text: fit(cell, COLUMNS[j]!.width), tone: j === 9 && cell !== 'ok' ? ('error' as const) : undefined }))]}
          />
        );
      })}
      <Box flexGrow={1} />
      <Line theme={theme} segments={[{ text: fit('TOTALS  agent         turns  time      in      out     cache   cost      tools  failed', width), bold: true }]} />
      {totals.slice(0, totalRows - 1).map((t) => (
        <Line
          key={t.agent}
          theme={theme}
          segments={[{ text: `        ${fit(t.agent, 14)}${fit(String(t.turns), 7)}${fit(formatDuration(t.durationMs), 10)}${fit(formatTokens(t.inputTokens), 8)}${fit(formatTokens(t.outputTokens), 8)}${fit(formatTokens(t.cacheTokens), 8)}${fit(formatCost(t.costUsd), 10)}${fit(String(t.toolCalls), 7)}${t.failed}` }]}
        />
      ))}
    </Box>
  );
});

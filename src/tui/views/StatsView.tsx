/** Per-turn stats, newest first by default, sortable and filterable, with per-agent totals; columns as wide as their content. */
import { memo } from 'react';
import { Box } from 'ink';
import type { AgentSpend, TurnStat } from '../../protocol/index.js';
import { Line, type Segment } from '../components/Line.js';
import { listTitle } from '../components/ListTitle.js';
import { fitColumns } from '../components/table.js';
import type { Theme } from '../theme/theme.js';
import { fit, formatBytes, formatClock, formatCost, formatDuration, formatPercent, formatTokens } from '../format.js';
import type { AgentTotals, StatsView as StatsViewState, StatsSortKey } from '../stats.js';
import { keyOf } from '../keys/hints.js';
import { listWindow, rowPrefix } from '../ui/list.js';

// Keys quoted in the table's title line, from the keymap.
const AGENT_KEY = keyOf('filter_agent');
const REVERSE_KEY = keyOf('sort_reverse');

export interface StatsViewProps {
  rows: TurnStat[];
  /** Rows before the filters. */
  total: number;
  totals: AgentTotals[];
  /** Each agent's cost today and this week (the budget day's), from its roster row. */
  spend?: Record<string, AgentSpend | undefined>;
  view: StatsViewState;
  filter: string;
  cursor: number;
  height: number;
  width: number;
  theme: Theme;
}

const COLUMNS: { key: StatsSortKey; title: string; drop: number }[] = [
  { key: 'time', title: 'TIME', drop: 0 },
  { key: 'agent', title: 'AGENT', drop: 0 },
  { key: 'model', title: 'MODEL', drop: 3 },
  { key: 'duration', title: 'DUR', drop: 0 },
  { key: 'input', title: 'IN', drop: 5 },
  { key: 'output', title: 'OUT', drop: 4 },
  { key: 'cache', title: 'CACHE', drop: 6 },
  { key: 'cost', title: 'COST', drop: 0 },
  { key: 'tools', title: 'TOOLS', drop: 2 },
  // The highest CPU and memory the core sampled of the agent's processes during the turn (process backend).
  { key: 'peak_cpu', title: 'CPU PEAK', drop: 3 },
  { key: 'peak_mem', title: 'MEM PEAK', drop: 3 },
];

/** Cells of one stats row (the result is the last, free column). */
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
    formatPercent(r.peak_cpu_percent),
    formatBytes(r.peak_rss_bytes),
  ];
}

function resultText(r: TurnStat): string {
  return `${r.result_kind.replace(/_/g, ' ')}${r.note && r.result_kind !== 'ok' ? ` · ${r.note.replace(/\n/g, ' ')}` : ''}`;
}

const TOTAL_TITLES = ['AGENT', 'TURNS', 'TIME', 'IN', 'OUT', 'CACHE', 'COST', 'TODAY', 'WEEK', 'TOOLS'];
const TOTAL_DROP = [0, 0, 2, 4, 4, 5, 0, 1, 1, 3];

function totalCells(t: AgentTotals, spend: AgentSpend | undefined): string[] {
  const today = spend ? `${formatCost(spend.today_usd)}${spend.budget_state === 'ok' ? '' : spend.budget_state === 'warning' ? ' ⚠' : ' ✗'}` : '-';
  return [t.agent, String(t.turns), formatDuration(t.durationMs), formatTokens(t.inputTokens), formatTokens(t.outputTokens), formatTokens(t.cacheTokens), formatCost(t.costUsd), today, spend ? formatCost(spend.week_usd) : '-', String(t.toolCalls)];
}

/** The stats view. */
export const StatsView = memo(function StatsView({ rows, total, totals, spend, view, filter, cursor, height, width, theme }: StatsViewProps) {
  const totalRows = Math.min(totals.length + 1, Math.max(2, Math.floor(height / 3)));
  const tableRows = Math.max(1, height - 3 - totalRows);
  const win = listWindow(cursor, rows.length, tableRows);
  // The peak columns only where some turn has them (the process backend samples them).
  const measured = rows.some((r) => r.peak_cpu_percent !== undefined);
  const shownColumns = measured ? COLUMNS : COLUMNS.filter((c) => c.key !== 'peak_cpu' && c.key !== 'peak_mem');
  const cells = rows.map((r) => statsCells(r).slice(0, shownColumns.length));
  const { widths, rest } = fitColumns(shownColumns.map((c, j) => ({ title: `${c.title}▼`, cells: cells.map((r) => r[j]!), max: 16, drop: c.drop })), width - 3, 8);
  const header: Segment[] = [
    { text: '   ' },
    ...shownColumns.flatMap((col, j) => (widths[j]! > 0 ? [{ text: `${fit(col.key === view.sort ? `${col.title}${view.desc ? '▼' : '▲'}` : col.title, widths[j]!)} `, bold: true, tone: col.key === view.sort ? ('accent' as const) : undefined }] : [])),
    { text: 'RESULT', bold: true, tone: view.sort === 'result' ? 'accent' : undefined },
  ];
  const totalsCells = totals.map((t) => totalCells(t, spend?.[t.agent]));
  const fitted = fitColumns(TOTAL_TITLES.map((t, j) => ({ title: t, cells: totalsCells.map((r) => r[j]!), max: 16, drop: TOTAL_DROP[j]! })), width - 3, 6);
  const totalLine = (values: string[], bold = false): Segment[] => [{ text: '   ' }, ...values.flatMap((v, j) => (fitted.widths[j]! > 0 ? [{ text: `${fit(v, fitted.widths[j]!)} `, bold }] : [])), { text: bold ? 'FAILED' : '', bold }];
  const title = listTitle({ name: 'turns', shown: rows.length, total, sort: `${view.sort} ${view.desc ? '▼' : '▲'}, ${REVERSE_KEY} reverses`, filter, note: { text: ` · agent: ${view.agent ?? 'all'} (${AGENT_KEY})`, tone: 'muted' } });
  return (
    <Box flexDirection="column" height={height}>
      <Line theme={theme} segments={title} />
      <Line theme={theme} segments={header} />
      {rows.length === 0 ? <Line theme={theme} segments={[{ text: filter || view.agent ? '  no turn matches' : '  no turns recorded yet', tone: 'muted' }]} /> : null}
      {rows.slice(win.start, win.end).map((r, i) => {
        const selected = win.start + i === win.cursor;
        const row = cells[win.start + i]!;
        return (
          <Line
            key={r.id}
            theme={theme}
            selected={selected}
            segments={[
              { text: rowPrefix(selected, false) },
              ...row.flatMap((cell, j) => (widths[j]! > 0 ? [{ text: `${fit(cell, widths[j]!)} ` }] : [])),
              { text: fit(resultText(r), rest), tone: r.result_kind === 'ok' ? undefined : r.result_kind === 'cancelled' ? 'warn' : 'error' },
            ]}
          />
        );
      })}
      <Box flexGrow={1} />
      <Line theme={theme} segments={totalLine(TOTAL_TITLES, true)} />
      {totals.slice(0, totalRows - 1).map((t, i) => (
        <Line key={t.agent} theme={theme} segments={[...totalLine(totalsCells[i]!).slice(0, -1), { text: String(t.failed) }]} />
      ))}
    </Box>
  );
});

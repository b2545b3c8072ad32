/** The roster: one row per agent, grouped by parent, only the visible window drawn. */
import { memo } from 'react';
import { Box } from 'ink';
import type { AgentStatusRow, TransientEntry } from '../../protocol/index.js';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import {
  agentState,
  fit,
  formatAge,
  formatCost,
  formatDuration,
  formatTokens,
  secondsSinceIso,
  spinnerFrame,
  STATE_GLYPH,
  transientOf,
} from '../format.js';

export interface AgentsViewProps {
  rows: { row: AgentStatusRow; depth: number }[];
  transients: Record<string, TransientEntry>;
  cursor: number;
  height: number;
  width: number;
  nowMs: number;
  tick: number;
  tiled: readonly string[];
  theme: Theme;
}

const STATE_TONE = { failed: 'error', 'needs login': 'error', paused: 'warn', stopped: 'muted', running: 'ok' } as const;

/** Segments of one roster row. */
export function rosterRowSegments(row: AgentStatusRow, depth: number, transients: Record<string, TransientEntry>, nowMs: number, tick: number, width: number, tiled: boolean): Segment[] {
  const state = agentState(row);
  const wide = width >= 110;
  const transient = transientOf(row, transients);
  let turn: Segment;
  if (transient) turn = { text: fit(`${spinnerFrame(tick)} ${transient}`, 14), tone: 'accent' };
  else if (row.stalled) turn = { text: fit(`⚠ stalled ${formatAge(nowMs / 1000 - row.turn_state_since)}`, 14), tone: 'error' };
  else if (row.turn_state !== 'idle') turn = { text: fit(`${row.turn_state} ${formatAge(nowMs / 1000 - row.turn_state_since)}`, 14), tone: 'accent' };
  else turn = { text: fit('idle', 14), tone: 'muted' };
  const statusAge = secondsSinceIso(row.status_set_at, nowMs);
  const status = row.status_text ? `${row.status_text.replace(/\n/g, ' ')}${statusAge !== undefined ? ` (${formatAge(statusAge)})` : ''}` : '';
  const name = `${'  '.repeat(Math.min(depth, 4))}${depth ? '└ ' : ''}${row.name}${tiled ? ' ▣' : ''}`;
  const segments: Segment[] = [
    { text: fit(`${STATE_GLYPH[state]} ${state}`, 13), tone: STATE_TONE[state], bold: state === 'failed' },
    { text: fit(name, 18) },
    turn,
    { text: fit(row.unread > 0 ? `✉${row.unread}` : '', 6), tone: 'warn' },
  ];
  if (wide) {
    const last = row.last_turn;
    segments.push(
      { text: fit(row.active_model ?? '-', 10), tone: 'muted' },
      { text: fit(`ctx ${formatTokens(row.context_tokens)}`, 10) },
      { text: fit(last ? formatCost(last.cost_usd) : '-', 9) },
      { text: fit(last ? `${formatDuration(last.duration_ms)}${last.result_kind === 'ok' ? '' : ` ${last.result_kind}`}` : '-', 14), tone: last && last.result_kind !== 'ok' ? 'error' : undefined },
    );
  }
  segments.push({ text: fit(row.needs_update ? '⬆ update' : '', 9), tone: 'warn' });
  segments.push({ text: status, tone: 'muted' });
  return segments;
}

/** The roster view. */
export const AgentsView = memo(function AgentsView({ rows, transients, cursor, height, width, nowMs, tick, tiled, theme }: AgentsViewProps) {
  const wide = width >= 110;
  const header: Segment[] = [
    { text: fit('  STATE', 15), bold: true },
    { text: fit('AGENT', 18), bold: true },
    { text: fit('TURN', 14), bold: true },
    { text: fit('INBOX', 6), bold: true },
    ...(wide ? [{ text: fit('MODEL', 10), bold: true }, { text: fit('CONTEXT', 10), bold: true }, { text: fit('LAST $', 9), bold: true }, { text: fit('LAST TURN', 14), bold: true }] : []),
    { text: fit('', 9) },
    { text: 'STATUS', bold: true },
  ];
  if (rows.length === 0) {
    return (
      <Box flexDirection="column" height={height}>
        <Line theme={theme} segments={header} />
        <Line theme={theme} segments={[{ text: '  no agents yet', tone: 'muted' }]} />
      </Box>
    );
  }
  const visible = Math.max(1, height - 1);
  const c = Math.max(0, Math.min(cursor, rows.length - 1));
  const start = Math.max(0, Math.min(c - Math.floor(visible / 2), rows.length - visible));
  return (
    <Box flexDirection="column" height={height}>
      <Line theme={theme} segments={header} />
      {rows.slice(start, start + visible).map(({ row, depth }, i) => {
        const selected = start + i === c;
        return (
          <Line
            key={row.name}
            theme={theme}
            selected={selected}
            segments={[{ text: selected ? '› ' : '  ' }, ...rosterRowSegments(row, depth, transients, nowMs, tick, width, tiled.includes(row.name))]}
          />
        );
      })}
    </Box>
  );
});

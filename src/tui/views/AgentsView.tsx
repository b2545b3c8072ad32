/**
 * The roster, the attention surface: one row per agent with its state, what
 * it needs from the operator (⚑ approvals, ? questions with the nearest
 * deadline, ✉ unread messages to the operator), its turn, and its status.
 * Columns are as wide as their content; STATUS gets the rest. While the
 * connection is not live every row is dimmed and marked stale.
 */
import { memo } from 'react';
import { Box } from 'ink';
import type { KeptAgent, TransientEntry } from '../../protocol/index.js';
import { Line, type Segment } from '../components/Line.js';
import { listTitle } from '../components/ListTitle.js';
import { fitColumns, type ColumnSpec } from '../components/table.js';
import type { Theme } from '../theme/theme.js';
import type { RosterEntry } from '../roster.js';
import { agentState, fit, formatAge, formatBytes, formatCost, formatDuration, formatPercent, formatTokens, secondsSinceIso, spinnerFrame, transientOf, type AgentStateWord } from '../format.js';
import { listWindow, rowPrefix } from '../ui/list.js';
import { holdMark, holdStatus } from '../holds.js';
import { labelOf } from '../keys/hints.js';
import type { RosterSort } from '../ui/ui-state.js';

export interface AgentsViewProps {
  entries: RosterEntry[];
  /** Agents in the roster before the filter. */
  total: number;
  transients: Record<string, TransientEntry>;
  cursor: number;
  marked: readonly string[];
  sort: RosterSort;
  filter: string;
  height: number;
  width: number;
  nowMs: number;
  tick: number;
  tiled: readonly string[];
  /** The connection is not live: the rows are the last known state. */
  stale: boolean;
  /** Agents destroyed with their state kept, newest first, as filtered; the cursor reaches them after the agents. */
  kept?: readonly KeptAgent[];
  /** Kept agents before the filter. */
  keptTotal?: number;
  /** The keys that act on kept agents are hidden (read-only). */
  actionsHidden?: boolean;
  theme: Theme;
}

/** The state as glyph and word, so it reads without colour. */
export const STATE_LABEL: Record<AgentStateWord, string> = {
  failed: '✗ failed',
  'needs login': '🔑 login',
  paused: '‖ paused',
  stopped: '■ stopped',
  running: '● running',
};
const STATE_TONE = { failed: 'error', 'needs login': 'error', paused: 'warn', stopped: 'muted', running: 'ok' } as const;
const SORT_NAMES: Record<RosterSort, string> = { needs: 'needs you first', name: 'by name', cpu: 'by CPU', memory: 'by memory' };

/** What the agent needs from the operator: `⚑2 ?1 4m ✉3`. */
export function needsText(entry: RosterEntry, nowMs: number): string {
  const n = entry.needs ?? { approvals: 0, questions: 0, messages: 0, items: [] };
  const parts: string[] = [];
  if (n.approvals) parts.push(`⚑${n.approvals}`);
  if (n.questions) parts.push(n.nearestDeadline !== undefined ? `?${n.questions} ${formatAge(n.nearestDeadline - nowMs / 1000)}` : `?${n.questions}`);
  if (n.messages) parts.push(`✉${n.messages}`);
  const hold = holdMark(entry.row, nowMs);
  if (hold) parts.push(hold);
  return parts.join(' ');
}

function turnCell(entry: RosterEntry, transients: Record<string, TransientEntry>, nowMs: number, tick: number): Segment {
  const row = entry.row;
  const transient = transientOf(row, transients);
  if (transient) return { text: `${spinnerFrame(tick)} ${transient}`, tone: 'accent' };
  if (row.stalled) return { text: `⚠ stalled ${formatAge(nowMs / 1000 - row.turn_state_since)}`, tone: 'error' };
  if (row.turn_state !== 'idle') return { text: `${row.turn_state} ${formatAge(nowMs / 1000 - row.turn_state_since)}`, tone: 'accent' };
  return { text: 'idle', tone: 'muted' };
}

function lastTurnCell(entry: RosterEntry): Segment {
  const last = entry.row.last_turn;
  if (!last) return { text: '-', tone: 'muted' };
  const result = last.result_kind === 'ok' ? '' : ` ${last.result_kind.replace(/_/g, ' ')}`;
  return { text: `${formatDuration(last.duration_ms)} ${formatCost(last.cost_usd)}${result}`, tone: last.result_kind === 'ok' || last.result_kind === 'cancelled' ? undefined : 'error' };
}

/** Every row's cells, and the columns fitted to the width. */
export function rosterTable(props: Pick<AgentsViewProps, 'entries' | 'transients' | 'nowMs' | 'tick' | 'tiled' | 'stale' | 'width'>) {
  const { entries, transients, nowMs, tick, tiled, stale, width } = props;
  const rows = entries.map((e) => {
    const state = agentState(e.row);
    const statusAge = secondsSinceIso(e.row.status_set_at, nowMs);
    return {
      entry: e,
      state: { text: `${STATE_LABEL[state]}${stale ? ' stale' : ''}`, tone: STATE_TONE[state], bold: state === 'failed' } as Segment,
      name: `${'  '.repeat(Math.min(e.depth, 4))}${e.depth ? '└ ' : ''}${e.row.name}${tiled.includes(e.row.name) ? ' ▣' : ''}`,
      needs: needsText(e, nowMs),
      turn: turnCell(e, transients, nowMs, tick),
      inbox: e.row.unread > 0 ? String(e.row.unread) : '',
      model: e.row.active_model ?? '-',
      context: formatTokens(e.row.context_tokens),
      last: lastTurnCell(e),
      cpu: e.resources ? formatPercent(e.resources.cpu_percent) : '',
      memory: e.resources ? formatBytes(e.resources.rss_bytes) : '',
      update: e.row.needs_update ? '⬆ update' : '',
      status: [holdStatus(e.row, nowMs), e.row.status_text ? `${e.row.status_text.replace(/\n/g, ' ')}${statusAge !== undefined ? ` (${formatAge(statusAge)})` : ''}` : ''].filter(Boolean).join(' · '),
    };
  });
  const columns: ColumnSpec[] = [
    { title: 'STATE', cells: rows.map((r) => r.state.text), max: 16, drop: 0 },
    { title: 'AGENT', cells: rows.map((r) => r.name), max: 24, drop: 0 },
    { title: 'NEEDS YOU', cells: rows.map((r) => r.needs), max: 16, drop: 0 },
    { title: 'TURN', cells: rows.map((r) => r.turn.text), max: 16, drop: 2 },
    { title: 'INBOX', cells: rows.map((r) => r.inbox), max: 5, drop: 6 },
    { title: 'MODEL', cells: rows.map((r) => r.model), max: 16, drop: 5 },
    { title: 'CONTEXT', cells: rows.map((r) => r.context), max: 7, drop: 7 },
    { title: 'LAST TURN', cells: rows.map((r) => r.last.text), max: 24, drop: 4 },
  ];
  // The processes' CPU and memory, where the core samples them (the process backend).
  const withResources = entries.some((e) => e.resources);
  if (withResources) columns.push({ title: 'CPU', cells: rows.map((r) => r.cpu), max: 5, drop: 3 }, { title: 'MEM', cells: rows.map((r) => r.memory), max: 6, drop: 3 });
  const withUpdate = rows.some((r) => r.update);
  if (withUpdate) columns.push({ title: '', cells: rows.map((r) => r.update), max: 8, drop: 3 });
  // STATUS keeps at least a quarter of the row: the least important columns go first.
  const { widths, rest } = fitColumns(columns, width - 3, Math.max(20, Math.floor(width / 4)));
  return { rows, columns, widths, rest, withUpdate, withResources };
}

/** The roster's column header and one styled row per agent (before the cursor's window is taken), as drawn. */
export function rosterLines(props: Pick<AgentsViewProps, 'entries' | 'transients' | 'nowMs' | 'tick' | 'tiled' | 'stale' | 'width' | 'cursor' | 'marked'>): { header: Segment[]; rows: { name: string; segments: Segment[] }[] } {
  const { rows, columns, widths, rest, withUpdate, withResources } = rosterTable(props);
  const cells = (values: Segment[]): Segment[] => values.flatMap((v, i) => (i < widths.length && widths[i]! <= 0 ? [] : [{ ...v, text: i < widths.length ? `${fit(v.text, widths[i]!)} ` : fit(v.text, rest) }]));
  const header: Segment[] = [{ text: '   ' }, ...cells([...columns.map((c) => ({ text: c.title, bold: true })), { text: 'STATUS', bold: true }])];
  // A cursor below the agents (on a kept row) marks none of them.
  const cursor = props.cursor < 0 ? -1 : listWindow(props.cursor, rows.length, 1).cursor;
  return {
    header,
    rows: rows.map((r, i) => {
      const resources: Segment[] = withResources ? [{ text: r.cpu }, { text: r.memory }] : [];
      const update: Segment[] = withUpdate ? [{ text: r.update, tone: 'warn' }] : [];
      const segments = cells([r.state, { text: r.name }, { text: r.needs, tone: 'warn', bold: true }, r.turn, { text: r.inbox }, { text: r.model, tone: 'muted' }, { text: r.context }, r.last, ...resources, ...update, { text: r.status, tone: 'muted' }]);
      const all = [{ text: rowPrefix(i === cursor, props.marked.includes(r.entry.row.name)) }, ...segments];
      return { name: r.entry.row.name, segments: props.stale ? all.map((x) => ({ ...x, dim: true })) : all };
    }),
  };
}

/** The kept section below the roster: a title and a window of the kept agents around the cursor (`cursor`: an index among them, if it is on one), in at most `max` rows (none when it has fewer than 2). */
export function keptSection(kept: readonly KeptAgent[], nowMs: number, max: number, options: { cursor?: number; total?: number; actionsHidden?: boolean } = {}): { segments: Segment[]; selected: boolean }[] {
  const total = options.total ?? kept.length;
  if (total === 0 || max < 2) return [];
  const shown = kept.length > max - 1 ? max - 2 : kept.length;
  const filtered = total > kept.length ? ` (${kept.length} shown)` : '';
  const keys = options.actionsHidden ? '' : ` · on a row: ${labelOf('kept_details')} details, ${labelOf('revive')} revive, ${labelOf('purge')} purge`;
  const lines = [{ segments: [{ text: `kept ${total}`, bold: true }, { text: `${filtered} · destroyed, state kept${keys}`, tone: 'muted' }] as Segment[], selected: false }];
  const win = listWindow(options.cursor ?? 0, kept.length, shown);
  for (let i = win.start; i < win.end; i++) {
    const k = kept[i]!;
    const selected = i === options.cursor;
    lines.push({ segments: [{ text: `${rowPrefix(selected, false)}◌ ${k.name}` }, { text: `  destroyed ${formatAge(nowMs / 1000 - k.destroyed_at)} ago${k.deployed_sha ? ` · on ${k.deployed_sha}` : ''}`, tone: 'muted' }], selected });
  }
  const hidden = kept.length - (win.end - win.start);
  if (hidden > 0) lines.push({ segments: [{ text: `   … ${hidden} more${win.above > 0 ? ` (${win.above} above)` : ''}`, tone: 'muted' }], selected: false });
  return lines;
}

/** The roster view. */
export const AgentsView = memo(function AgentsView(props: AgentsViewProps) {
  const { entries, total, cursor, marked, sort, filter, height, stale, theme } = props;
  const kept = props.kept ?? [];
  // The cursor runs on from the agents into the kept rows.
  const keptCursor = cursor >= entries.length && cursor < entries.length + kept.length ? cursor - entries.length : undefined;
  const { header, rows } = rosterLines({ ...props, cursor: keptCursor === undefined ? cursor : -1 });
  const title = listTitle({ name: 'agents', shown: entries.length, total, sort: SORT_NAMES[sort], filter, marked: marked.length, note: stale ? { text: ' · stale: last known state', tone: 'warn' } : undefined });
  // The kept section takes at most a quarter of the rows, after the title, the header and a row of agents.
  const keptRows = keptSection(kept, props.nowMs, Math.min(5, Math.floor(height / 4), height - 3), { cursor: keptCursor, total: props.keptTotal, actionsHidden: props.actionsHidden });
  const win = listWindow(keptCursor === undefined ? cursor : rows.length - 1, rows.length, height - 2 - keptRows.length);
  return (
    <Box flexDirection="column" height={height}>
      <Line theme={theme} segments={title} />
      <Line theme={theme} segments={header} />
      {rows.length === 0 ? <Line theme={theme} segments={[{ text: filter ? `  no agent matches /${filter}` : '  no agents yet', tone: 'muted' }]} /> : null}
      {rows.slice(win.start, win.end).map((r, i) => (
        <Line key={r.name} theme={theme} selected={keptCursor === undefined && win.start + i === win.cursor} segments={r.segments} />
      ))}
      <Box flexGrow={1} />
      {keptRows.map((line, i) => (
        <Line key={`kept${i}`} theme={theme} selected={line.selected} segments={line.segments} />
      ))}
    </Box>
  );
});

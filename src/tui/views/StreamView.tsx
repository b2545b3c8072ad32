/** One agent's stream, or several tiled side by side; only the visible window is drawn. */
import { memo } from 'react';
import { Box } from 'ink';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { streamLineAt, type StreamBuffer } from '../client/stream-buffer.js';
import { wrapLine, type StreamLine } from '../client/stream-lines.js';
import { keyOf, labelOf } from '../keys/hints.js';
import { bottomIndex, newBelow, shownPanes } from '../ui/stream-scroll.js';
import type { StreamScroll } from '../ui/ui-state.js';

// Keys quoted in the pane title, from the keymap.
const FOLLOW_KEY = keyOf('bottom');
const SEARCH_KEYS = `${keyOf('search_next')}/${keyOf('search_prev')}, ${keyOf('back')} clears`;
const PANE_KEYS = `${labelOf('focus_next_pane')}, ${labelOf('focus_prev_pane')}`;

export interface StreamPaneProps {
  agent: string;
  buffer?: StreamBuffer;
  /** Changes whenever the buffer does (buffers mutate in place). */
  rev: number;
  scroll?: StreamScroll;
  focused: boolean;
  /** Chosen panes that do not fit, before and after this one (shown on the edge panes). */
  hiddenBefore?: number;
  hiddenAfter?: number;
  width: number;
  height: number;
  theme: Theme;
}

/** Where a pane is: following the tail, or held with lines below it. */
export function scrollLabel(scroll: StreamScroll | undefined, below: number): Segment {
  if (!scroll || scroll.follow) return { text: '⇣ following', tone: 'muted' };
  return { text: below > 0 ? `↓ ${below} more · ${FOLLOW_KEY} to follow` : `held · ${FOLLOW_KEY} to follow`, tone: 'warn' };
}

function lineSegments(line: StreamLine, row: string, first: boolean): Segment[] {
  switch (line.kind) {
    case 'turn_start':
    case 'turn_end':
      return [{ text: row, tone: 'accent', bold: true }];
    case 'thinking':
      return [{ text: row, tone: 'muted', dim: true }];
    case 'tool': {
      if (!first) return [{ text: row }];
      const mark: Segment =
        line.toolStatus === 'ok' ? { text: ' ✓', tone: 'ok' } : line.toolStatus === 'error' ? { text: ' ✗', tone: 'error' } : { text: ' …', tone: 'muted' };
      return [{ text: row, tone: 'accent' }, mark];
    }
    case 'result':
      return [{ text: row, tone: 'ok' }];
    case 'note':
      return [{ text: row, tone: 'warn' }];
    case 'info':
      return [{ text: row, tone: 'muted' }];
    case 'error':
      return [{ text: row, tone: 'error' }];
    default:
      return [{ text: row }];
  }
}

/** Rows that fill a pane, bottom-anchored at the scroll position. */
export function visibleRows(buffer: StreamBuffer, scroll: StreamScroll | undefined, width: number, rows: number): { line: StreamLine; row: string; first: boolean }[] {
  const out: { line: StreamLine; row: string; first: boolean }[] = [];
  const textWidth = Math.max(4, width - 2); // room for the ✓/✗ mark
  for (let i = bottomIndex(buffer, scroll); i >= 0 && out.length < rows; i--) {
    const line = streamLineAt(buffer, i)!;
    const wrapped = wrapLine(line, textWidth);
    for (let r = wrapped.length - 1; r >= 0 && out.length < rows; r--) out.push({ line, row: wrapped[r]!, first: r === 0 });
  }
  return out.reverse();
}

/** One stream pane: title row, then lines. */
export const StreamPane = memo(function StreamPane({ agent, buffer, scroll, focused, hiddenBefore = 0, hiddenAfter = 0, width, height, theme }: StreamPaneProps) {
  const bodyRows = Math.max(1, height - 1);
  const below = buffer ? newBelow(buffer, scroll) : 0;
  const title: Segment[] = [
    ...(hiddenBefore > 0 ? [{ text: `◀ +${hiddenBefore} more `, tone: 'warn' as const, bold: true }] : []),
    { text: `${focused ? '▶' : ' '} ${agent} `, bold: true, tone: focused ? 'accent' : undefined },
    scrollLabel(scroll, below),
    ...(scroll?.search ? [{ text: `  /${scroll.search} (${SEARCH_KEYS})`, tone: 'accent' as const }] : []),
    ...(buffer?.loadingOlder ? [{ text: '  loading older…', tone: 'muted' as const }] : []),
    ...(hiddenAfter > 0 ? [{ text: `  +${hiddenAfter} more ▶ (${PANE_KEYS})`, tone: 'warn' as const, bold: true }] : []),
  ];
  const rows = buffer ? visibleRows(buffer, scroll, width, bodyRows) : [];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Line theme={theme} segments={title} />
      {!buffer ? <Line theme={theme} segments={[{ text: 'opening stream…', tone: 'muted' }]} /> : null}
      {buffer && rows.length === 0 ? <Line theme={theme} segments={[{ text: 'no events yet', tone: 'muted' }]} /> : null}
      {rows.map((r, i) => {
        const segs = lineSegments(r.line, r.row, r.first);
        const match = Boolean(scroll?.search) && r.row.toLowerCase().includes(scroll!.search!.toLowerCase());
        if (match) segs.unshift({ text: '▸', tone: 'warn', bold: true });
        return <Line key={i} theme={theme} segments={segs} />;
      })}
    </Box>
  );
});

export interface StreamViewProps {
  agents: string[];
  streams: Record<string, StreamBuffer>;
  scroll: Record<string, StreamScroll>;
  focusPane: number;
  paneStart: number;
  width: number;
  height: number;
  maxPanes: number;
  theme: Theme;
}

/** The width of each of `count` panes side by side (one column between them). */
export function paneWidthFor(width: number, count: number): number {
  return Math.floor(width / Math.max(1, count)) - (count > 1 ? 1 : 0);
}

/** Panes side by side, as many as fit; the others are reached by moving the focus, and the edge panes say how many are hidden. */
export const StreamView = memo(function StreamView({ agents, streams, scroll, focusPane, paneStart, width, height, maxPanes, theme }: StreamViewProps) {
  const { start, shown, hiddenBefore, hiddenAfter } = shownPanes(agents, focusPane, paneStart, maxPanes);
  const paneWidth = paneWidthFor(width, shown.length);
  return (
    <Box flexDirection="row" height={height} width={width} gap={shown.length > 1 ? 1 : 0}>
      {shown.map((agent, i) => (
        <StreamPane
          key={agent}
          agent={agent}
          buffer={streams[agent]}
          rev={streams[agent]?.rev ?? -1}
          scroll={scroll[agent]}
          focused={agents.length > 1 && start + i === focusPane}
          hiddenBefore={i === 0 ? hiddenBefore : 0}
          hiddenAfter={i === shown.length - 1 ? hiddenAfter : 0}
          width={paneWidth}
          height={height}
          theme={theme}
        />
      ))}
    </Box>
  );
});

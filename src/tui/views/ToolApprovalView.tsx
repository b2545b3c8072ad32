/**
 * A tool approval: what claude waits to run (the command, the diff, the
 * input) and, beside it on a wide terminal (below on a narrow one), the
 * asking agent's latest stream lines, so the call is read in its context.
 */
import { memo, useMemo } from 'react';
import { Box } from 'ink';
import type { Approval } from '../../protocol/index.js';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import type { StreamBuffer } from '../client/stream-buffer.js';
import { formatAge, secondsSinceIso } from '../format.js';
import { hintLine, keyOf, type Hint } from '../keys/hints.js';
import { toolCallBody, toolCallHeader } from '../tool-call.js';
import { ContextLines } from './ContextLines.js';
import { lastLines } from '../view-model.js';

const SCROLL_KEYS = `${keyOf('down')}/${keyOf('up')}`;
const BOTTOM_KEY = keyOf('bottom');
/** Columns from which the agent's stream sits beside the call rather than below it. */
export const SIDE_BY_SIDE_COLUMNS = 110;

export interface ToolApprovalViewProps {
  approval: Approval;
  loading: boolean;
  scroll: number;
  hints: Hint[];
  /** The asking agent's stream (watched while this view is open). */
  stream?: StreamBuffer;
  /** Whether the hive still has the agent (a destroyed one has no stream to show). */
  known: boolean;
  width: number;
  height: number;
  nowMs: number;
  theme: Theme;
}

/** How the view's height splits between the call and the agent's stream (side by side, each has it all). */
function toolApprovalHeights(width: number, height: number): { streamHeight: number; callHeight: number } {
  if (width >= SIDE_BY_SIDE_COLUMNS) return { streamHeight: height, callHeight: height };
  const streamHeight = Math.max(4, Math.floor(height * 0.35));
  return { streamHeight, callHeight: height - streamHeight };
}

/** Lines of the call the view shows at once (what scrolling moves over). */
export function toolCallRows(approval: Approval, width: number, height: number): number {
  return Math.max(1, toolApprovalHeights(width, height).callHeight - toolCallHeader(approval, '').length - 1);
}

export const ToolApprovalView = memo(function ToolApprovalView({ approval, loading, scroll, hints, stream, known, width, height, nowMs, theme }: ToolApprovalViewProps) {
  const body = useMemo(() => toolCallBody(approval, loading), [approval, loading]);
  const age = secondsSinceIso(approval.requested_at, nowMs);
  const header = toolCallHeader(approval, age !== undefined ? `${formatAge(age)} ago` : '');
  const beside = width >= SIDE_BY_SIDE_COLUMNS;
  const callWidth = beside ? Math.floor(width * 0.58) : width;
  const { streamHeight, callHeight } = toolApprovalHeights(width, height);
  const rows = Math.max(1, callHeight - header.length - 1);
  const start = Math.max(0, Math.min(scroll, Math.max(0, body.total - rows)));
  const end = Math.min(body.total, start + rows);
  const shown: Segment[][] = [];
  // Rows of a diff page not loaded yet show as … until the page holding them comes.
  for (let r = start; r < end; r++) shown.push(body.rows[r - body.from] ?? [{ text: '…', tone: 'muted' }]);
  const long = body.total > rows;
  const call = (
    <Box flexDirection="column" width={callWidth} height={callHeight}>
      {header.map((segs, i) => (
        <Line key={`h${i}`} theme={theme} segments={segs} />
      ))}
      <Line
        theme={theme}
        segments={[
          { text: long ? `(lines ${start + 1}–${end} of ${body.total}, ${SCROLL_KEYS} scroll, ${BOTTOM_KEY} end)` : '', tone: 'muted' },
          { text: hints.length ? `${long ? ' · ' : ''}${hintLine(hints)}` : '', tone: 'muted' },
        ]}
      />
      {shown.map((segs, i) => (
        <Line key={i} theme={theme} segments={segs} />
      ))}
    </Box>
  );
  const lines = useMemo(() => (stream ? lastLines(stream, streamHeight) : undefined), [stream, stream?.rev, streamHeight]);
  const context = known ? <ContextLines context={{ agent: approval.agent, ...(lines && { lines }) }} rows={streamHeight} width={beside ? width - callWidth - 1 : width} theme={theme} /> : null;
  return beside ? (
    <Box flexDirection="row" width={width} height={height} gap={1}>
      {call}
      {context}
    </Box>
  ) : (
    <Box flexDirection="column" width={width} height={height}>
      {call}
      {context}
    </Box>
  );
});

/** The last few lines of an agent's stream, shown beside a question or an approval so the operator sees what led to it. */
import { memo } from 'react';
import { Box } from 'ink';
import { Line } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { fit } from '../format.js';
import type { StreamLine } from '../client/stream-lines.js';

/** An agent and its latest stream lines (oldest first); `lines` undefined while the stream opens. */
export interface StreamContext {
  agent: string;
  lines?: readonly StreamLine[];
}

const TONE = { turn_start: 'accent', turn_end: 'accent', thinking: 'muted', tool: 'accent', result: 'ok', note: 'warn', info: 'muted', error: 'error', text: undefined } as const;

/** A titled box of the last `rows - 1` lines. */
export const ContextLines = memo(function ContextLines({ context, rows, width, theme }: { context: StreamContext; rows: number; width: number; theme: Theme }) {
  if (rows <= 0) return null;
  const lines = context.lines?.slice(-(rows - 1)) ?? [];
  return (
    <Box flexDirection="column" width={width}>
      <Line theme={theme} segments={[{ text: fit(`│ ${context.agent}, last lines:`, width), tone: 'muted', bold: true }]} />
      {context.lines === undefined ? <Line theme={theme} segments={[{ text: '│ opening its stream…', tone: 'muted' }]} /> : null}
      {context.lines?.length === 0 ? <Line theme={theme} segments={[{ text: '│ (no events yet)', tone: 'muted' }]} /> : null}
      {lines.map((l, i) => (
        <Line key={i} theme={theme} segments={[{ text: '│ ', tone: 'muted' }, { text: fit(l.text.replace(/\n/g, ' '), Math.max(1, width - 2)), tone: TONE[l.kind] }]} />
      ))}
    </Box>
  );
});

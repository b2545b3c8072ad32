/** One approval: who, what, when, and its diff, coloured and scrollable. */
import { memo, useMemo } from 'react';
import { Box } from 'ink';
import type { Approval } from '../../protocol/index.js';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { parseDiff, type DiffLine } from '../diff.js';
import { formatAge, secondsSinceIso } from '../format.js';
import { hintLine, keyOf, type Hint } from '../keys/hints.js';

const SCROLL_KEYS = `${keyOf('down')}/${keyOf('up')}`;

export interface ApprovalViewProps {
  approval?: Approval;
  /** True until the full approval (with diff) has arrived. */
  loading: boolean;
  scroll: number;
  /** What the keys do to this approval (from the keymap). */
  hints: Hint[];
  height: number;
  nowMs: number;
  theme: Theme;
}

const DIFF_TONE = { file: 'accent', hunk: 'hunk', add: 'add', del: 'del', context: undefined, meta: 'muted' } as const;

/** Header lines above the diff. */
export function approvalHeader(a: Approval, nowMs: number): Segment[][] {
  const age = secondsSinceIso(a.requested_at, nowMs);
  return [
    [{ text: `approval #${a.id} `, bold: true }, { text: a.status, tone: a.status === 'pending' ? 'warn' : a.status === 'approved' ? 'ok' : 'error' }],
    [{ text: 'agent: ', tone: 'muted' }, { text: a.agent }, { text: '   kind: ', tone: 'muted' }, { text: a.kind }],
    [{ text: 'commit: ', tone: 'muted' }, { text: `${a.commit_ref}${a.fetched_sha ? ` (${a.fetched_sha.slice(0, 12)})` : ''}` }, { text: '   age: ', tone: 'muted' }, { text: age !== undefined ? formatAge(age) : '-' }],
    [{ text: 'description: ', tone: 'muted' }, { text: (a.description ?? '').replace(/\n/g, ' ') }],
    ...(a.note ? [[{ text: 'note: ', tone: 'muted' as const }, { text: a.note.replace(/\n/g, ' ') }]] : []),
  ];
}

/** The approval detail view. */
export const ApprovalView = memo(function ApprovalView({ approval, loading, scroll, hints, height, nowMs, theme }: ApprovalViewProps) {
  const diff: DiffLine[] = useMemo(() => (approval?.diff ? parseDiff(approval.diff) : []), [approval?.diff]);
  if (!approval) return <Line theme={theme} segments={[{ text: 'approval not found (resolved or removed)', tone: 'muted' }]} />;
  const header = approvalHeader(approval, nowMs);
  const rows = Math.max(1, height - header.length - 1);
  const start = Math.max(0, Math.min(scroll, Math.max(0, diff.length - rows)));
  return (
    <Box flexDirection="column" height={height}>
      {header.map((segs, i) => (
        <Line key={`h${i}`} theme={theme} segments={segs} />
      ))}
      <Line
        theme={theme}
        segments={[
          { text: loading ? 'loading diff…' : diff.length ? `diff (${start + 1}-${Math.min(diff.length, start + rows)} of ${diff.length}, ${SCROLL_KEYS} scroll)` : 'no diff for this approval', tone: 'muted' },
          { text: hints.length ? ` · ${hintLine(hints)}` : '', tone: 'muted' },
        ]}
      />
      {diff.slice(start, start + rows).map((d, i) => (
        <Line key={i} theme={theme} segments={[{ text: d.text || ' ', tone: DIFF_TONE[d.kind], bold: d.kind === 'file' }]} />
      ))}
    </Box>
  );
});

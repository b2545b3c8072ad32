/**
 * One approval: who asks, what and when, then its body — for a config change
 * the files it touches with their +/− counts and the diff file by file
 * (coloured, and readable without colour: every row keeps its +/−); for a
 * spawn the files the new agent starts with. Scrolled by line, page and file.
 */
import { memo, useMemo } from 'react';
import { Box } from 'ink';
import type { Approval } from '../../protocol/index.js';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { BODY_ROW_TONE, approvalBody, bodyRow, fileAt, type ApprovalBody } from '../approval-body.js';
import { formatAge, secondsSinceIso } from '../format.js';
import { hintLine, keyOf, type Hint } from '../keys/hints.js';

export interface ApprovalViewProps {
  approval?: Approval;
  /** True until the full approval (with its diff) has arrived. */
  loading: boolean;
  /** The body row at the top of the diff area. */
  scroll: number;
  /** The diff is recomputed against what the agent runs now. */
  against?: 'deployed';
  /** What the keys do to this approval (from the keymap). */
  hints: Hint[];
  height: number;
  nowMs: number;
  theme: Theme;
}

/** Most rows the file list takes; the rest are reached with `[`/`]`. */
const MAX_FILE_ROWS = 6;
const STATUS_MARK = { added: 'A', deleted: 'D', modified: 'M', renamed: 'R' } as const;

const short = (sha: string | undefined) => (sha ? sha.slice(0, 12) : '');

/** The lines above the body: who asks for what, when, and (for a config change) against what. */
export function approvalHeader(a: Approval, nowMs: number, against?: 'deployed'): Segment[][] {
  const age = secondsSinceIso(a.requested_at, nowMs);
  const what = a.kind === 'spawn' ? `${a.revival ? 'revive' : 'spawn'} ${a.agent}` : `${a.kind} for ${a.agent}`;
  const status: Segment = { text: a.applying ? 'applying' : a.status, tone: a.status === 'pending' || a.applying ? 'warn' : a.status === 'approved' ? 'ok' : 'error' };
  const lines: Segment[][] = [
    [{ text: `approval #${a.id} `, bold: true }, status, { text: ` · ${what}` }],
    [
      { text: 'requested by ', tone: 'muted' },
      { text: a.requested_by ?? 'operator' },
      { text: ` ${age !== undefined ? formatAge(age) : '-'} ago`, tone: 'muted' },
      ...(a.kind === 'apply_commit' ? [{ text: ' · commit ', tone: 'muted' as const }, { text: `${short(a.fetched_sha) || a.commit_ref}` }] : []),
      ...(a.revival && a.fetched_sha ? [{ text: ' · from its kept commit ', tone: 'muted' as const }, { text: short(a.fetched_sha) }] : []),
    ],
    [{ text: 'description: ', tone: 'muted' }, { text: (a.description ?? '').replace(/\n/g, ' ') || '-' }],
  ];
  const rebase = keyOf('rebase_diff');
  if (against === 'deployed') {
    lines.push([{ text: `⚠ base moved (${rebase}: as requested): this diff is against what ${a.agent} runs now${a.deployed_sha ? ` (${short(a.deployed_sha)})` : ''}, not ${short(a.base_sha)}`, tone: 'warn' }]);
  } else if (a.base_moved) {
    lines.push([{ text: `⚠ base moved (${rebase}: diff against now): ${a.agent} now runs ${short(a.deployed_sha)}; this diff is against ${short(a.base_sha)}, what ran when asked`, tone: 'warn' }]);
  }
  if (a.note) lines.push([{ text: 'note: ', tone: 'muted' }, { text: a.note.replace(/\n/g, ' ') }]);
  return lines;
}

/** The file list: one row per file with its mark, path and +/− counts (at most `max` rows). */
function fileRows(body: ApprovalBody, max: number): Segment[][] {
  if (body.files.length === 0 || max <= 0) return [];
  const total = body.filesTotal ?? body.files.length;
  const added = body.files.reduce((n, f) => n + f.added, 0);
  const removed = body.files.reduce((n, f) => n + f.removed, 0);
  const rows: Segment[][] = [[{ text: `${total} file${total === 1 ? '' : 's'} `, bold: true }, { text: `+${added}`, tone: 'add' }, { text: ' ' }, { text: `−${removed}`, tone: 'del' }]];
  const listed = body.files.length > max - 1 ? max - 2 : body.files.length;
  for (const f of body.files.slice(0, Math.max(0, listed))) {
    rows.push([
      { text: `  ${STATUS_MARK[f.status]} ` },
      { text: f.old_path ? `${f.old_path} → ${f.path}` : f.path },
      { text: '  ' },
      ...(f.binary ? [{ text: 'binary', tone: 'muted' as const }] : [{ text: `+${f.added}`, tone: 'add' as const }, { text: ' ' }, { text: `−${f.removed}`, tone: 'del' as const }]),
    ]);
  }
  if (listed < body.files.length || total > body.files.length) rows.push([{ text: `  … ${total - Math.max(0, listed)} more (${keyOf('next_file')}/${keyOf('prev_file')} jump by file)`, tone: 'muted' }]);
  return rows;
}

/** How the view's rows are shared: header, file list, one title row, and the rest for the body. */
export interface ApprovalLayout {
  header: Segment[][];
  files: Segment[][];
  body: ApprovalBody;
  bodyRows: number;
}

/** The view's layout in `height` rows (the container reads `bodyRows` for scrolling). */
export function approvalLayout(a: Approval, height: number, nowMs: number, against?: 'deployed'): ApprovalLayout {
  const header = approvalHeader(a, nowMs, against);
  const body = approvalBody(a);
  // The file list gives way to the body on a short terminal: at least 5 body rows when there is room.
  const fileBudget = Math.min(MAX_FILE_ROWS, Math.max(0, height - header.length - 1 - 5));
  const files = a.kind === 'spawn' ? [] : fileRows(body, fileBudget);
  return { header, files, body, bodyRows: Math.max(1, height - header.length - files.length - 1) };
}

/** The approval detail view. */
export const ApprovalView = memo(function ApprovalView({ approval, loading, scroll, against, hints, height, nowMs, theme }: ApprovalViewProps) {
  const layout = useMemo(() => (approval ? approvalLayout(approval, height, Math.floor(nowMs / 1000) * 1000, against) : undefined), [approval, height, Math.floor(nowMs / 1000), against]);
  if (!approval || !layout) return <Line theme={theme} segments={[{ text: 'approval not found (resolved or removed)', tone: 'muted' }]} />;
  const { header, files, body, bodyRows } = layout;
  const start = Math.max(0, Math.min(scroll, Math.max(0, body.total - 1)));
  const end = Math.min(body.total, start + bodyRows);
  const file = body.files[fileAt(body.files, start)];
  const where = body.total === 0 ? '' : `${file ? `${file.path} · ` : ''}${body.caption} ${start + 1}–${end} of ${body.total}`;
  const title = loading ? 'loading…' : body.total === 0 ? 'nothing to show for this approval' : where;
  const rows: Segment[][] = [];
  for (let r = start; r < end; r++) {
    const row = bodyRow(body, r);
    rows.push(row ? [{ text: row.text || ' ', tone: BODY_ROW_TONE[row.kind], bold: row.kind === 'file' || row.kind === 'title' }] : [{ text: '…', tone: 'muted' }]);
  }
  return (
    <Box flexDirection="column" height={height}>
      {[...header, ...files].map((segs, i) => (
        <Line key={`h${i}`} theme={theme} segments={segs} />
      ))}
      <Line theme={theme} segments={[{ text: `── ${title}`, tone: 'muted' }, { text: hints.length ? ` · ${hintLine(hints)}` : '', tone: 'muted' }]} />
      {rows.map((segs, i) => (
        <Line key={i} theme={theme} segments={segs} />
      ))}
    </Box>
  );
});

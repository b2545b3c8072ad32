/** A report — search results, the recap, the traffic — as rows: headings, and items under a cursor that Enter follows. */
import { memo } from 'react';
import { Box } from 'ink';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { keyOf } from '../keys/hints.js';
import { linkedRows, type Report, type ReportName } from '../reports.js';
import { listWindow } from '../ui/list.js';

export interface ReportViewProps {
  name: ReportName;
  report: Report | undefined;
  /** Index among the rows that lead somewhere. */
  cursor: number;
  height: number;
  theme: Theme;
}

const TITLES: Record<ReportName, string> = { search: 'search', recap: 'while you were away', traffic: 'traffic' };

function titleOf(name: ReportName, report: Report | undefined): Segment[] {
  const segments: Segment[] = [{ text: `${TITLES[name]}${report ? `: ${report.subject}` : ''}`, bold: true }];
  if (!report) segments.push({ text: name === 'search' ? ' · :search WORDS searches every stream' : ' · nothing asked yet', tone: 'muted' });
  else if (report.status === 'loading') segments.push({ text: ' · asking the core…', tone: 'muted' });
  else if (report.note) segments.push({ text: ` · ${report.note}`, tone: report.status === 'error' ? 'error' : 'muted' });
  if (report?.status === 'ready') segments.push({ text: ` · ${keyOf('follow')} goes there${name === 'traffic' ? `, ${keyOf('filter_agent')} one agent` : ''}`, tone: 'muted' });
  return segments;
}

/** The report view. */
export const ReportView = memo(function ReportView({ name, report, cursor, height, theme }: ReportViewProps) {
  const rows = report?.rows ?? [];
  const linked = linkedRows(report);
  const selectedRow = linked.length > 0 ? linked[Math.max(0, Math.min(cursor, linked.length - 1))]! : -1;
  const win = listWindow(Math.max(0, selectedRow), rows.length, Math.max(1, height - 1));
  return (
    <Box flexDirection="column" height={height}>
      <Line theme={theme} segments={titleOf(name, report)} />
      {report?.status === 'ready' && rows.length === 0 && <Line theme={theme} segments={[{ text: '  nothing to show', tone: 'muted' }]} />}
      {rows.slice(win.start, win.end).map((row, i) => {
        const at = win.start + i;
        const selected = at === selectedRow;
        return <Line key={at} theme={theme} selected={selected} segments={[{ text: selected ? '›' : ' ' }, ...row.segments]} />;
      })}
    </Box>
  );
});

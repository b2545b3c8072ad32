/**
 * Scheduled prompts: one row each (whom, state, when, the next slot in the
 * schedule's own zone, deliveries made and missed), the prompt the last,
 * free column; the selected one's note and whole prompt below.
 */
import { memo } from 'react';
import { Box } from 'ink';
import type { Schedule } from '../../protocol/index.js';
import { formatScheduleWhen } from '../../protocol/light.js';
import { Line, type Segment } from '../components/Line.js';
import { EmptyList, listTitle, type ListViewProps } from '../components/ListTitle.js';
import { fitColumns } from '../components/table.js';
import { fit, wrapWords } from '../format.js';
import { hintLine } from '../keys/hints.js';
import { listWindow, rowPrefix } from '../ui/list.js';
import { nextDue, scheduleState } from '../schedules.js';

export interface SchedulesViewProps extends ListViewProps {
  schedules: Schedule[];
}

const TONE: Record<Schedule['state'], Segment['tone']> = { active: 'ok', paused: 'warn', proposed: 'accent', ended: 'muted' };
const TITLES = ['ID', 'TO', 'STATE', 'WHEN', 'NEXT', 'SENT/MISSED', 'BY'];
const MAX = [6, 20, 24, 34, 36, 11, 20];
const DROP = [0, 0, 0, 0, 1, 2, 3];

/** One row's cells before the prompt. */
export function scheduleCells(s: Schedule, nowSeconds: number): string[] {
  return [`#${s.id}`, s.target, scheduleState(s), formatScheduleWhen(s) + (s.catch_up ? ' +catch-up' : ''), nextDue(s, nowSeconds), `${s.fired}/${s.missed}`, s.proposed_by];
}

/** The schedules view. */
export const SchedulesView = memo(function SchedulesView({ schedules, total, cursor, filter, hints, height, width, nowMs, theme }: SchedulesViewProps) {
  const live = schedules.filter((s) => s.state !== 'ended').length;
  const title = <Line theme={theme} segments={listTitle({ name: 'schedules', shown: schedules.length, total, filter, note: { text: ` · ${live} live`, tone: 'muted' } })} />;
  if (schedules.length === 0) return <EmptyList title={title} filter={filter} what="schedule" none="no schedules — agents propose them (schedule_prompt); :schedule proposes one" height={height} theme={theme} />;
  const c = listWindow(cursor, schedules.length, 1).cursor;
  const selected = schedules[c]!;
  const prompt = selected.prompt.split('\n').flatMap((l) => wrapWords(l, width - 4));
  const detail: Segment[][] = [
    [{ text: `#${selected.id} → ${selected.target}, proposed by ${selected.proposed_by} (approval #${selected.approval_id})`, bold: true }],
    ...(selected.note ? [[{ text: selected.note, tone: selected.state === 'ended' ? ('muted' as const) : ('warn' as const) }]] : []),
    ...prompt.slice(0, Math.max(1, Math.floor(height / 2) - 4)).map((l) => [{ text: `  ${l}` }] as Segment[]),
    ...(hints.length ? [[{ text: hintLine(hints), tone: 'muted' as const }]] : []),
  ];
  const win = listWindow(cursor, schedules.length, Math.max(1, height - 3 - detail.length));
  const cols = schedules.map((s) => scheduleCells(s, nowMs / 1000));
  const { widths, rest } = fitColumns(TITLES.map((t, j) => ({ title: t, cells: cols.map((r) => r[j]!), max: MAX[j]!, drop: DROP[j]! })), width - 3, 16);
  const header: Segment[] = [{ text: '   ' }, ...TITLES.flatMap((t, j) => (widths[j]! > 0 ? [{ text: `${fit(t, widths[j]!)} `, bold: true }] : [])), { text: 'PROMPT', bold: true }];
  return (
    <Box flexDirection="column" height={height}>
      {title}
      <Line theme={theme} segments={header} />
      {schedules.slice(win.start, win.end).map((s, i) => {
        const isSelected = win.start + i === win.cursor;
        const cells = cols[win.start + i]!.flatMap((text, j) => (widths[j]! > 0 ? [{ text: `${fit(text, widths[j]!)} `, tone: j === 2 ? TONE[s.state] : undefined }] : []));
        return <Line key={s.id} theme={theme} selected={isSelected} segments={[{ text: rowPrefix(isSelected, false) }, ...cells, { text: fit(s.prompt.replace(/\s+/g, ' '), rest), tone: s.state === 'ended' ? 'muted' : undefined }]} />;
      })}
      <Line theme={theme} segments={[{ text: '─'.repeat(Math.max(1, width - 1)), tone: 'muted' }]} />
      {detail.map((segs, i) => (
        <Line key={`d${i}`} theme={theme} segments={segs} />
      ))}
    </Box>
  );
});

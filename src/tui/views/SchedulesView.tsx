/** Scheduled prompts: one row each (when, next slot in its zone, deliveries), the selected one's prompt and note below. */
import { memo } from 'react';
import { Box } from 'ink';
import type { Schedule } from '../../protocol/index.js';
import { formatScheduleWhen } from '../../protocol/light.js';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { fit } from '../format.js';
import { nextDue, scheduleState } from '../schedules.js';

export interface SchedulesViewProps {
  rows: Schedule[];
  cursor: number;
  nowSeconds: number;
  height: number;
  width: number;
  theme: Theme;
}

const COLUMNS = [
  { title: 'ID', width: 5 },
  { title: 'TO', width: 12 },
  { title: 'STATE', width: 16 },
  { title: 'WHEN', width: 30 },
  { title: 'NEXT', width: 34 },
  { title: 'SENT/MISSED', width: 12 },
  { title: 'BY', width: 14 },
] as const;

const TONE: Record<Schedule['state'], Segment['tone']> = { active: 'ok', paused: 'warn', proposed: 'accent', ended: 'muted' };

/** The schedules view. */
export const SchedulesView = memo(function SchedulesView({ rows, cursor, nowSeconds, height, width, theme }: SchedulesViewProps) {
  const c = Math.max(0, Math.min(cursor, rows.length - 1));
  const selected = rows[c];
  const detailRows = selected ? Math.min(6, Math.max(2, Math.floor(height / 3))) : 0;
  const tableRows = Math.max(1, height - 1 - detailRows);
  const start = Math.max(0, Math.min(c - Math.floor(tableRows / 2), rows.length - tableRows));
  const header: Segment[] = [{ text: '  ' }, ...COLUMNS.map((col) => ({ text: fit(col.title, col.width), bold: true })), { text: 'PROMPT', bold: true }];
  const detail = selected ? detailLines(selected, width).slice(0, detailRows) : [];
  return (
    <Box flexDirection="column" height={height}>
      <Line theme={theme} segments={header} />
      {rows.length === 0 ? <Line theme={theme} segments={[{ text: '  no schedules — an agent proposes one with its schedule_prompt tool, you with :schedule', tone: 'muted' }]} /> : null}
      {rows.slice(start, start + tableRows).map((s, i) => {
        const isSelected = start + i === c;
        const cells = [`#${s.id}`, s.target, scheduleState(s), formatScheduleWhen(s) + (s.catch_up ? ' +catch-up' : ''), nextDue(s, nowSeconds), `${s.fired}/${s.missed}`, s.proposed_by];
        return (
          <Line
            key={s.id}
            theme={theme}
            selected={isSelected}
            segments={[
              { text: isSelected ? '› ' : '  ' },
              ...cells.map((cell, j) => ({ text: fit(cell, COLUMNS[j]!.width), tone: j === 2 ? TONE[s.state] : undefined })),
              { text: s.prompt.replace(/\s+/g, ' ') },
            ]}
          />
        );
      })}
      <Box flexGrow={1} />
      {detail.map((text, i) => (
        <Line key={i} theme={theme} segments={[{ text, tone: i === 0 ? undefined : 'muted' }]} />
      ))}
    </Box>
  );
});

/** The selected schedule below the table: its note (why it ended, why a slot was not delivered), then its prompt. */
function detailLines(s: Schedule, width: number): string[] {
  const head = `#${s.id} → ${s.target}${s.note ? ` — ${s.note}` : ''}`;
  const prompt = s.prompt.split('\n').flatMap((line) => (line.length <= width - 2 ? [line] : line.match(new RegExp(`.{1,${Math.max(10, width - 2)}}`, 'g')) ?? []));
  return [head, ...prompt.map((l) => `  ${l}`)];
}

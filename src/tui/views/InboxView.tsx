/** The operator inbox: every message agents sent the operator that this console holds, newest first; unread ones marked ✉. */
import { memo } from 'react';
import { Box } from 'ink';
import type { OperatorMessage } from '../../protocol/index.js';
import { Line, type Segment } from '../components/Line.js';
import { EmptyList, listTitle, type ListViewProps } from '../components/ListTitle.js';
import { fitColumns } from '../components/table.js';
import { fit, formatAge, wrapWords } from '../format.js';
import { hintLine } from '../keys/hints.js';
import { listWindow, rowPrefix } from '../ui/list.js';

export interface InboxViewProps extends ListViewProps {
  messages: OperatorMessage[];
}

/** The inbox view. */
export const InboxView = memo(function InboxView({ messages, total, cursor, filter, hints, height, width, nowMs, theme }: InboxViewProps) {
  const unread = messages.filter((m) => !m.read).length;
  const title = <Line theme={theme} segments={listTitle({ name: 'inbox', shown: messages.length, total, filter, note: { text: ` · ${unread} unread`, tone: unread ? 'warn' : 'muted' } })} />;
  if (messages.length === 0) return <EmptyList title={title} filter={filter} what="message" none="no messages from agents yet" height={height} theme={theme} />;
  const c = listWindow(cursor, messages.length, 1).cursor;
  const selected = messages[c]!;
  const body = selected.body.split('\n').flatMap((l) => wrapWords(l, width - 2));
  const detail: Segment[][] = [
    [{ text: `#${selected.id} from ${selected.from}, ${formatAge(nowMs / 1000 - selected.sent_at)} ago${selected.read ? ' (read)' : ''}`, bold: true }],
    ...body.slice(0, Math.max(1, Math.floor(height / 2) - 3)).map((l) => [{ text: l }] as Segment[]),
    ...(hints.length ? [[{ text: hintLine(hints), tone: 'muted' as const }]] : []),
  ];
  const win = listWindow(cursor, messages.length, Math.max(1, height - 2 - detail.length));
  const cols = messages.map((m) => [`${m.read ? ' ' : '✉'} #${m.id}`, m.from, `${formatAge(nowMs / 1000 - m.sent_at)} ago`]);
  const { widths, rest } = fitColumns(['MSG', 'FROM', 'AGE'].map((t, j) => ({ title: t, cells: cols.map((r) => r[j]!), max: [9, 20, 9][j]!, drop: [0, 0, 1][j]! })), width - 3, 16);
  return (
    <Box flexDirection="column" height={height}>
      {title}
      {messages.slice(win.start, win.end).map((m, i) => {
        const isSelected = win.start + i === win.cursor;
        const cells = cols[win.start + i]!.flatMap((text, j) => (widths[j]! > 0 ? [{ text: `${fit(text, widths[j]!)} `, bold: !m.read && j === 0 }] : []));
        return <Line key={m.id} theme={theme} selected={isSelected} segments={[{ text: rowPrefix(isSelected, false) }, ...cells, { text: fit(m.body.replace(/\n/g, ' '), rest), tone: m.read ? 'muted' : undefined }]} />;
      })}
      <Line theme={theme} segments={[{ text: '─'.repeat(Math.max(1, width - 1)), tone: 'muted' }]} />
      {detail.map((segs, i) => (
        <Line key={`d${i}`} theme={theme} segments={segs} />
      ))}
    </Box>
  );
});

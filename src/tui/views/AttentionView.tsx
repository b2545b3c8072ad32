/** The attention queue: approvals and operator questions by deadline, then unread operator messages. */
import { memo } from 'react';
import { Box } from 'ink';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import type { AttentionItem } from '../client/attention-queue.js';
import { fit, formatAge, formatDuration } from '../format.js';
import { hintLine, type Hint } from '../keys/hints.js';

export interface AttentionViewProps {
  items: AttentionItem[];
  cursor: number;
  /** What the keys do to the selected item (from the keymap). */
  hints: Hint[];
  height: number;
  width: number;
  nowMs: number;
  theme: Theme;
}

const oneLine = (s: string) => s.replace(/\n/g, ' ');

/** What happens if nobody acts, with a live countdown. */
export function timeoutText(item: AttentionItem, nowMs: number): Segment {
  if (item.kind === 'approval') return { text: 'waits for you (no timeout)', tone: 'muted' };
  if (item.kind === 'message') return { text: '', tone: 'muted' };
  if (item.deadline === undefined) return { text: 'waits for you (no deadline)', tone: 'muted' };
  const left = item.deadline * 1000 - nowMs;
  if (left <= 0) return { text: 'expiring now → answered [expired]', tone: 'error' };
  return { text: `⏱ ${formatDuration(left)} left → answered [expired]`, tone: left < 60_000 ? 'error' : 'warn' };
}

/** Segments of one queue row. */
export function attentionRowSegments(item: AttentionItem, nowMs: number, width: number): Segment[] {
  const age = formatAge(nowMs / 1000 - item.at);
  if (item.kind === 'approval') {
    const a = item.approval;
    return [
      { text: fit(`⚑ approval #${a.id}`, 15), tone: 'warn', bold: true },
      { text: fit(a.agent, 14) },
      { text: fit(a.kind, 13), tone: 'accent' },
      { text: fit(`${age} ago`, 9), tone: 'muted' },
      timeoutText(item, nowMs),
      { text: `  ${oneLine(a.description ?? a.commit_ref)}` },
    ];
  }
  if (item.kind === 'question') {
    const q = item.question;
    return [
      { text: fit(`? question #${q.id}`, 15), tone: 'accent', bold: true },
      { text: fit(q.asker, 14) },
      { text: fit(q.multi ? 'multi' : q.options.length ? 'choice' : 'free text', 13), tone: 'muted' },
      { text: fit(`${age} ago`, 9), tone: 'muted' },
      timeoutText(item, nowMs),
      { text: `  ${fit(oneLine(q.question), Math.max(10, width - 90))}` },
    ];
  }
  const m = item.message;
  return [
    { text: fit(`✉ message #${m.id}`, 15), tone: 'ok' },
    { text: fit(m.from, 14) },
    { text: fit('to operator', 13), tone: 'muted' },
    { text: fit(`${age} ago`, 9), tone: 'muted' },
    { text: oneLine(m.body) },
  ];
}

/** Detail lines of the selected item under the list, ending with what its keys do. */
function detailLines(item: AttentionItem | undefined, hints: Hint[]): Segment[][] {
  if (!item) return [];
  const keys: Segment[][] = hints.length ? [[{ text: hintLine(hints), tone: 'muted' }]] : [];
  if (item.kind === 'question') {
    const q = item.question;
    return [
      [{ text: `${q.asker} asks: `, bold: true }, { text: oneLine(q.question) }],
      ...q.options.map((o, i) => [{ text: `  ${i + 1}. ${oneLine(o)}` }] as Segment[]),
      ...(q.options.length ? [] : [[{ text: '  (free text)', tone: 'muted' }] as Segment[]]),
      ...keys,
    ];
  }
  if (item.kind === 'approval') {
    const a = item.approval;
    return [
      [{ text: `${a.agent} requests ${a.kind} ${a.commit_ref}`, bold: true }],
      [{ text: oneLine(a.description ?? ''), tone: 'muted' }],
      ...keys,
    ];
  }
  const lines = item.message.body.split('\n').slice(0, 4);
  return [...lines.map((l) => [{ text: l }] as Segment[]), ...keys];
}

/** The attention view. */
export const AttentionView = memo(function AttentionView({ items, cursor, hints, height, width, nowMs, theme }: AttentionViewProps) {
  if (items.length === 0) {
    return (
      <Box flexDirection="column" height={height}>
        <Line theme={theme} segments={[{ text: '✓ nothing needs you: no pending approvals, questions or unread messages', tone: 'ok' }]} />
      </Box>
    );
  }
  const c = Math.max(0, Math.min(cursor, items.length - 1));
  const detail = detailLines(items[c], hints).slice(0, Math.max(0, Math.floor(height / 2) - 1));
  const listRows = Math.max(1, height - detail.length - 1);
  const start = Math.max(0, Math.min(c - Math.floor(listRows / 2), items.length - listRows));
  return (
    <Box flexDirection="column" height={height}>
      {items.slice(start, start + listRows).map((item, i) => {
        const selected = start + i === c;
        return (
          <Line key={`${item.kind}-${item.id}`} theme={theme} selected={selected} segments={[{ text: selected ? '› ' : '  ' }, ...attentionRowSegments(item, nowMs, width)]} />
        );
      })}
      <Line theme={theme} segments={[{ text: '─'.repeat(Math.max(1, width - 1)), tone: 'muted' }]} />
      {detail.map((segs, i) => (
        <Line key={`d${i}`} theme={theme} segments={segs} />
      ))}
    </Box>
  );
});

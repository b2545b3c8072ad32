/**
 * The attention queue: questions by deadline, agents held by a login, a
 * budget or a usage limit, approvals and the other questions, budget
 * warnings, then unread operator messages. Under the list, the selected item
 * in full, what its keys do, and beside it its agent's last stream lines.
 */
import { memo } from 'react';
import { Box } from 'ink';
import { Line, type Segment } from '../components/Line.js';
import { listTitle } from '../components/ListTitle.js';
import { fitColumns } from '../components/table.js';
import type { Theme } from '../theme/theme.js';
import { attentionAgent, attentionKey, isHoldItem, type AttentionItem } from '../client/attention-queue.js';
import { agentList, budgetPercent, holdCountdown, holdOutlook, holdSentence, type HoldItem } from '../client/hold-items.js';
import { fit, formatAge, formatDuration } from '../format.js';
import { hintLine, type Hint } from '../keys/hints.js';
import { listWindow, rowPrefix } from '../ui/list.js';
import { ContextLines, type StreamContext } from './ContextLines.js';

export interface AttentionViewProps {
  items: AttentionItem[];
  /** Items in the queue before the filter. */
  total: number;
  cursor: number;
  marked: readonly string[];
  filter: string;
  /** What the keys do to the selected item (from the keymap). */
  hints: Hint[];
  /** The selected item's agent and its last stream lines. */
  context?: StreamContext;
  height: number;
  width: number;
  nowMs: number;
  theme: Theme;
}

const oneLine = (s: string) => s.replace(/\n/g, ' ');

/** What happens if nobody acts, with a live countdown. */
export function timeoutText(item: AttentionItem, nowMs: number): Segment {
  if (isHoldItem(item)) return { text: holdOutlook(item, nowMs), tone: item.kind === 'budget' && !item.paused ? 'muted' : 'warn' };
  if (item.kind === 'approval') return { text: 'waits for you (no timeout)', tone: 'muted' };
  if (item.kind === 'message') return { text: '', tone: 'muted' };
  if (item.deadline === undefined) return { text: 'waits for you (no deadline)', tone: 'muted' };
  const left = item.deadline * 1000 - nowMs;
  if (left <= 0) return { text: 'expires now, then answered [expired]', tone: 'error' };
  return { text: `expires in ${formatDuration(left)}, then answered [expired]`, tone: left < 60_000 ? 'error' : 'warn' };
}

/** The short countdown a row shows (the detail says the whole sentence). */
function countdown(item: AttentionItem, nowMs: number): Segment {
  if (isHoldItem(item)) {
    const at = holdCountdown(item);
    return at === undefined ? { text: '' } : { text: `in ${formatDuration(Math.max(0, at * 1000 - nowMs))}`, tone: 'muted' };
  }
  if (item.kind !== 'question' || item.deadline === undefined) return { text: '' };
  const left = item.deadline * 1000 - nowMs;
  return { text: `⏱ ${left <= 0 ? 'now' : formatDuration(left)}`, tone: left < 60_000 ? 'error' : 'warn' };
}

function holdLabel(item: HoldItem): Segment {
  if (item.kind === 'login') return { text: '🔑 needs login', tone: 'error', bold: true };
  if (item.kind === 'limit') return { text: '⏸ usage limit', tone: 'error', bold: true };
  if (item.paused) return { text: `$ ${item.scope === 'hive' ? 'hive budget' : 'budget'}`, tone: 'error', bold: true };
  return { text: `$ ${budgetPercent(item)}% of budget`, tone: 'warn' };
}

function label(item: AttentionItem): Segment {
  if (isHoldItem(item)) return holdLabel(item);
  if (item.kind === 'approval') return { text: `⚑ approval #${item.id}`, tone: 'warn', bold: true };
  if (item.kind === 'question') return { text: `? question #${item.id}`, tone: 'accent', bold: true };
  return { text: `✉ message #${item.id}`, tone: 'ok' };
}

function kind(item: AttentionItem): string {
  if (item.kind === 'login') return 'paused';
  if (item.kind === 'limit') return 'paused';
  if (item.kind === 'budget') return item.budget === 'per_turn' ? 'per turn' : 'daily';
  if (item.kind === 'approval') return item.approval.kind;
  if (item.kind === 'question') return item.question.multi ? 'multi' : item.question.options.length ? 'choice' : 'free text';
  return 'to you';
}

function summary(item: AttentionItem, nowMs: number): string {
  if (isHoldItem(item)) return holdSentence(item, nowMs);
  if (item.kind === 'approval') return oneLine(item.approval.description ?? item.approval.commit_ref);
  if (item.kind === 'question') return oneLine(item.question.question);
  return oneLine(item.message.body);
}

/** Every row's segments, the columns fitted to the width (STATUS-like summary gets the rest). */
export function attentionRows(items: readonly AttentionItem[], nowMs: number, width: number): Segment[][] {
  const cols = items.map((item) => [label(item), { text: from(item) }, { text: kind(item), tone: 'muted' as const }, { text: item.at > 0 ? `${formatAge(nowMs / 1000 - item.at)} ago` : '', tone: 'muted' as const }, countdown(item, nowMs)]);
  const { widths, rest } = fitColumns(
    ['WHAT', 'FROM', 'KIND', 'AGE', 'DEADLINE'].map((title, j) => ({ title, cells: cols.map((c) => c[j]!.text), max: [16, 20, 12, 9, 12][j]!, drop: [0, 0, 3, 2, 1][j]! })),
    width - 3,
    16,
  );
  return items.map((item, i) => [...cols[i]!.flatMap((seg, j) => (widths[j]! > 0 ? [{ ...seg, text: `${fit(seg.text, widths[j]!)} ` }] : [])), { text: fit(summary(item, nowMs), rest) }]);
}

/** Who the row is about: the agent, `iris +2` for several, `hive` for the hive's budget. */
function from(item: AttentionItem): string {
  if (!isHoldItem(item)) return attentionAgent(item);
  if (item.kind === 'budget' && item.scope === 'hive') return 'hive';
  return item.agents.length > 1 ? `${item.agents[0]} +${item.agents.length - 1}` : (item.agents[0] ?? '');
}

/** Detail lines of the selected item under the list, ending with what its keys do. */
function detailLines(item: AttentionItem | undefined, hints: Hint[], nowMs: number): Segment[][] {
  if (!item) return [];
  const keys: Segment[][] = hints.length ? [[{ text: hintLine(hints), tone: 'muted' }]] : [];
  if (isHoldItem(item)) {
    const agents = item.agents.length > 1 ? [[{ text: `paused: ${agentList(item.agents)}`, tone: 'muted' }] as Segment[]] : [];
    return [[{ text: holdSentence(item, nowMs), bold: true }], ...agents, [timeoutText(item, nowMs)], ...keys];
  }
  if (item.kind === 'question') {
    const q = item.question;
    return [
      [{ text: `${q.asker} asks: `, bold: true }, { text: oneLine(q.question) }],
      ...q.options.map((o, i) => [{ text: `  ${i + 1}. ${oneLine(o)}` }] as Segment[]),
      ...(q.options.length ? [] : [[{ text: '  (free text)', tone: 'muted' }] as Segment[]]),
      [timeoutText(item, nowMs)],
      ...keys,
    ];
  }
  if (item.kind === 'approval') {
    const a = item.approval;
    return [
      [{ text: `${a.requested_by ?? a.agent} requests ${a.kind}${a.kind === 'spawn' ? ` of ${a.agent}` : ` ${a.commit_ref}`}`, bold: true }],
      [{ text: oneLine(a.description ?? ''), tone: 'muted' }],
      [timeoutText(item, nowMs)],
      ...keys,
    ];
  }
  const lines = item.message.body.split('\n').slice(0, 4);
  return [[{ text: `${item.message.from} wrote:`, bold: true }], ...lines.map((l) => [{ text: l }] as Segment[]), ...keys];
}

/** The attention view. */
export const AttentionView = memo(function AttentionView({ items, total, cursor, marked, filter, hints, context, height, width, nowMs, theme }: AttentionViewProps) {
  const title = <Line theme={theme} segments={listTitle({ name: 'attention', shown: items.length, total, filter, marked: marked.length })} />;
  if (items.length === 0) {
    return (
      <Box flexDirection="column" height={height}>
        {title}
        <Line theme={theme} segments={[filter ? { text: `  nothing matches /${filter}`, tone: 'muted' } : { text: '✓ nothing needs you: no pending approvals or questions, no agent held or near its budget, no unread messages', tone: 'ok' }]} />
      </Box>
    );
  }
  const win0 = listWindow(cursor, items.length, 1);
  const selected = items[win0.cursor];
  const side = width >= 100 && context !== undefined;
  const detailWidth = side ? Math.floor(width * 0.55) : width;
  const detail = detailLines(selected, hints, nowMs).slice(0, Math.max(0, Math.floor(height / 2) - 1));
  const below = !side && context ? Math.max(0, Math.min(6, Math.floor(height / 2) - 1 - detail.length)) : 0;
  const lowerRows = Math.max(detail.length + below, side ? Math.min(8, Math.floor(height / 2) - 1) : 0);
  const listRows = Math.max(1, height - 2 - lowerRows);
  const win = listWindow(cursor, items.length, listRows);
  const rows = attentionRows(items.slice(win.start, win.end), nowMs, width);
  return (
    <Box flexDirection="column" height={height}>
      {title}
      {rows.map((segs, i) => {
        const item = items[win.start + i]!;
        const isSelected = win.start + i === win.cursor;
        return <Line key={attentionKey(item)} theme={theme} selected={isSelected} segments={[{ text: rowPrefix(isSelected, marked.includes(attentionKey(item))) }, ...segs]} />;
      })}
      <Line theme={theme} segments={[{ text: '─'.repeat(Math.max(1, width - 1)), tone: 'muted' }]} />
      <Box flexDirection={side ? 'row' : 'column'}>
        <Box flexDirection="column" width={detailWidth}>
          {detail.map((segs, i) => (
            <Line key={`d${i}`} theme={theme} segments={segs} />
          ))}
        </Box>
        {context && (side || below > 0) ? <ContextLines context={context} rows={side ? lowerRows : below} width={side ? width - detailWidth - 1 : width} theme={theme} /> : null}
      </Box>
    </Box>
  );
});

/** Human output of `hyperhive messages`: who waits on whom, then the page of messages in the order they were sent. Pure. */
import type { FlowMessage, Waiting } from '../protocol/traffic.js';
import { age, cell, renderTable } from './format.js';

/** `messages`: the open questions (who waits on whom), then one row per message, oldest of the page first. */
export function renderMessages(messages: readonly FlowMessage[], waiting: readonly Waiting[], nowSeconds: number, width?: number): string[] {
  const lines: string[] = [];
  if (waiting.length > 0) {
    lines.push('waiting on an answer');
    lines.push(
      ...renderTable(
        ['WHO', 'ON', 'QUESTION', 'ASKED', 'DEADLINE', 'TEXT'],
        waiting.map((w) => [cell(w.agent), cell(w.on), `#${w.question_id}`, `${age(w.asked_at, nowSeconds)} ago`, w.deadline_at === undefined ? '-' : age(w.deadline_at, nowSeconds), cell(w.question)]),
        width === undefined ? undefined : width - 2,
      ).map((l) => `  ${l}`),
    );
    lines.push('');
  }
  if (messages.length === 0) return [...lines, 'no messages'];
  const rows = [...messages].reverse().map((m) => [
    `#${m.id}`,
    `${age(m.sent_at, nowSeconds)} ago`,
    cell(m.from),
    `→ ${cell(m.to)}${m.broadcast ? ' (all)' : ''}`,
    m.state,
    `${m.in_reply_to !== undefined ? `re #${m.in_reply_to}: ` : ''}${cell(m.body)}`,
  ]);
  return [...lines, ...renderTable(['ID', 'SENT', 'FROM', 'TO', 'STATE', 'MESSAGE'], rows, width)];
}

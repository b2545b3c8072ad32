/** What waits for the operator, as the ctl prints it: open questions (and recently resolved ones) and the operator inbox. */
import type { OperatorMessage, Question } from '../protocol/records.js';
import { age, cell, renderTable } from './format.js';

function isResolved(q: Question): boolean {
  return q.answered_at !== undefined || q.answer !== undefined;
}

function resolution(q: Question): string {
  if (q.cancelled) return 'cancelled';
  if (q.answerer === 'ttl-watchdog') return 'expired';
  return 'answered';
}

/**
 * `questions`: open questions, soonest deadline first; with `includeResolved`
 * the recently resolved ones follow with their answers, else only their count.
 */
export function renderQuestions(questions: Question[], nowSeconds: number, width?: number, includeResolved = false): string[] {
  const open = questions.filter((q) => !isResolved(q)).sort((a, b) => (a.deadline_at ?? Infinity) - (b.deadline_at ?? Infinity) || a.id - b.id);
  const resolved = questions.filter(isResolved);
  const shown = includeResolved ? [...open, ...resolved] : open;
  const footer = !includeResolved && resolved.length > 0 ? [`(${resolved.length} recently resolved: hyperhive questions --all)`] : [];
  if (shown.length === 0) return [includeResolved ? 'no questions' : 'no open questions', ...footer];
  const body = shown.map((q) => {
    const options = q.options.length ? ` [${q.options.map(cell).join(q.multi ? ' + ' : ' | ')}]` : '';
    const done = isResolved(q);
    return [
      `#${q.id}`,
      cell(q.asker),
      q.target ? cell(q.target) : 'operator',
      age(q.asked_at, nowSeconds),
      done ? resolution(q) : q.deadline_at === undefined ? '-' : age(q.deadline_at, nowSeconds),
      cell(q.question) + options + (done ? ` → ${cell(q.answer)}${q.answerer ? ` (${cell(q.answerer)})` : ''}` : ''),
    ];
  });
  return [...renderTable(['ID', 'ASKER', 'TO', 'AGE', 'DEADLINE', 'QUESTION'], body, width), ...footer];
}

// ---------------------------------------------------------------- operator inbox

/** `inbox`: messages agents sent to the operator, unread marked `*`. */
export function renderInbox(messages: OperatorMessage[], nowSeconds: number, width?: number): string[] {
  if (messages.length === 0) return ['inbox is empty'];
  const body = messages.map((m) => [
    `${m.read ? ' ' : '*'}#${m.id}`,
    cell(m.from),
    age(m.sent_at, nowSeconds),
    (m.in_reply_to !== undefined ? `(re #${m.in_reply_to}) ` : '') + cell(m.body),
  ]);
  return renderTable([' ID', 'FROM', 'AGE', 'MESSAGE'], body, width);
}

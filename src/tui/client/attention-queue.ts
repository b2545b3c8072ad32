/**
 * The attention queue: what needs the operator, in the order it should be
 * handled — pending approvals and open operator questions by deadline
 * (soonest first, then oldest), then unread operator messages.
 */
import type { Approval, OperatorMessage, Question } from '../../protocol/index.js';
import { isOpenQuestion, isPendingApproval, type HiveState } from './hive-state.js';

/** One entry of the queue. */
export type AttentionItem =
  | { kind: 'approval'; id: number; approval: Approval; deadline?: number; at: number }
  | { kind: 'question'; id: number; question: Question; deadline?: number; at: number }
  | { kind: 'message'; id: number; message: OperatorMessage; at: number; deadline?: undefined };

/** The attention queue: pending approvals, open operator questions, then unread operator messages. */
export function attentionQueue(state: Pick<HiveState, 'approvals' | 'questions' | 'operatorInbox'>): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const a of Object.values(state.approvals)) {
    if (isPendingApproval(a)) items.push({ kind: 'approval', id: a.id, approval: a, at: Date.parse(a.requested_at) / 1000 || 0 });
  }
  for (const q of Object.values(state.questions)) {
    if (isOpenQuestion(q) && !q.target) items.push({ kind: 'question', id: q.id, question: q, deadline: q.deadline_at, at: q.asked_at });
  }
  const rank = (x: AttentionItem) => (x.deadline === undefined ? Number.POSITIVE_INFINITY : x.deadline);
  items.sort((x, y) => rank(x) - rank(y) || x.at - y.at || x.id - y.id);
  const messages: AttentionItem[] = state.operatorInbox
    .filter((m) => !m.read)
    .sort((a, b) => a.sent_at - b.sent_at)
    .map((m) => ({ kind: 'message', id: m.id, message: m, at: m.sent_at }));
  return [...items, ...messages];
}

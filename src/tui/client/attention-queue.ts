/**
 * The attention queue: what needs the operator, in the order it should be
 * handled — pending approvals and open operator questions by deadline
 * (soonest first, then oldest), then unread operator messages — and the
 * same, counted per agent, for the roster.
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
    .sort((a, b) => a.sent_at - b.sent_at || a.id - b.id)
    .map((m) => ({ kind: 'message', id: m.id, message: m, at: m.sent_at }));
  return [...items, ...messages];
}

/** A stable key for an item (marks are kept by it): `approval:3`. */
export function attentionKey(item: Pick<AttentionItem, 'kind' | 'id'>): string {
  return `${item.kind}:${item.id}`;
}

/** The agent an item comes from: who asked for the approval, asked the question, sent the message. */
export function attentionAgent(item: AttentionItem): string {
  switch (item.kind) {
    case 'approval':
      return item.approval.requested_by && item.approval.requested_by !== 'operator' ? item.approval.requested_by : item.approval.agent;
    case 'question':
      return item.question.asker;
    case 'message':
      return item.message.from;
  }
}

/** What one agent has waiting for the operator. */
export interface AgentNeeds {
  approvals: number;
  questions: number;
  /** The soonest question deadline (unix seconds), if any has one. */
  nearestDeadline?: number;
  messages: number;
  /** Its items in queue order (the first is what Enter opens). */
  items: AttentionItem[];
}

/** The queue counted per agent. */
export function needsByAgent(queue: readonly AttentionItem[]): Map<string, AgentNeeds> {
  const byAgent = new Map<string, AgentNeeds>();
  for (const item of queue) {
    const name = attentionAgent(item);
    let needs = byAgent.get(name);
    if (!needs) byAgent.set(name, (needs = { approvals: 0, questions: 0, messages: 0, items: [] }));
    needs.items.push(item);
    if (item.kind === 'approval') needs.approvals++;
    else if (item.kind === 'message') needs.messages++;
    else {
      needs.questions++;
      if (item.deadline !== undefined && (needs.nearestDeadline === undefined || item.deadline < needs.nearestDeadline)) needs.nearestDeadline = item.deadline;
    }
  }
  return byAgent;
}

/**
 * The attention queue: what needs the operator, in the order it should be
 * handled — what expires (questions by deadline, soonest first), then what
 * stops agents (a login, a budget's pause, an account's usage limit; oldest
 * first), then pending approvals and the other open questions (oldest
 * first), then budget warnings (the highest first), then unread operator
 * messages — and the approvals, questions and messages counted per agent,
 * for the roster (which shows an agent's own holds on its row).
 */
import type { Approval, OperatorMessage, Question } from '../../protocol/index.js';
import { isOpenQuestion, isPendingApproval, type HiveState } from './hive-state.js';
import { budgetPercent, holdItems, holdStopsWork, type HoldItem } from './hold-items.js';

/** One entry of the queue. */
export type AttentionItem =
  | { kind: 'approval'; id: number; approval: Approval; deadline?: number; at: number }
  | { kind: 'question'; id: number; question: Question; deadline?: number; at: number }
  | { kind: 'message'; id: number; message: OperatorMessage; at: number; deadline?: undefined }
  | HoldItem;

/** The kinds of item that come from the agents' rows (see hold-items.ts). */
export type HoldKind = HoldItem['kind'];

/** True for an item about an agent's own state rather than something it asked. */
export function isHoldItem(item: AttentionItem): item is HoldItem {
  return item.kind === 'login' || item.kind === 'limit' || item.kind === 'budget';
}

/** The attention queue (see the file's comment for the order). */
export function attentionQueue(state: Pick<HiveState, 'approvals' | 'questions' | 'operatorInbox' | 'agents' | 'spend'>): AttentionItem[] {
  const holds = holdItems(Object.values(state.agents), state.spend);
  const stops = holds.filter(holdStopsWork).sort((x, y) => x.at - y.at || x.id.localeCompare(y.id));
  const warnings = holds
    .filter((x): x is Extract<HoldItem, { kind: 'budget' }> => !holdStopsWork(x) && x.kind === 'budget')
    .sort((x, y) => budgetPercent(y) - budgetPercent(x) || x.id.localeCompare(y.id));
  const items: Exclude<AttentionItem, HoldItem>[] = [];
  for (const a of Object.values(state.approvals)) {
    if (isPendingApproval(a)) items.push({ kind: 'approval', id: a.id, approval: a, at: Date.parse(a.requested_at) / 1000 || 0 });
  }
  for (const q of Object.values(state.questions)) {
    if (isOpenQuestion(q) && !q.target) items.push({ kind: 'question', id: q.id, question: q, deadline: q.deadline_at, at: q.asked_at });
  }
  const rank = (x: AttentionItem) => (x.deadline === undefined ? Number.POSITIVE_INFINITY : x.deadline);
  items.sort((x, y) => rank(x) - rank(y) || x.at - y.at || x.id - y.id);
  const expiring = items.filter((x) => x.deadline !== undefined);
  const waiting = items.filter((x) => x.deadline === undefined);
  const messages: AttentionItem[] = state.operatorInbox
    .filter((m) => !m.read)
    .sort((a, b) => a.sent_at - b.sent_at || a.id - b.id)
    .map((m) => ({ kind: 'message', id: m.id, message: m, at: m.sent_at }));
  return [...expiring, ...stops, ...waiting, ...warnings, ...messages];
}

/** A stable key for an item (marks are kept by it): `approval:3`, `limit:default`. */
export function attentionKey(item: Pick<AttentionItem, 'kind' | 'id'>): string {
  return `${item.kind}:${item.id}`;
}

/** The agent an item comes from: who asked for the approval, asked the question, sent the message, is held (the first of several; '' for the hive's budget warning). */
export function attentionAgent(item: AttentionItem): string {
  switch (item.kind) {
    case 'login':
    case 'limit':
    case 'budget':
      return item.agents[0] ?? '';
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

/** The queue counted per agent (an agent's holds are on its roster row already, so not here). */
export function needsByAgent(queue: readonly AttentionItem[]): Map<string, AgentNeeds> {
  const byAgent = new Map<string, AgentNeeds>();
  for (const item of queue) {
    if (isHoldItem(item)) continue;
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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attentionQueue, needsByAgent } from './attention-queue.js';
import { hiveReducer, initialHiveState, type HiveAction, type HiveState } from './hive-state.js';
import { approval, operatorMessage, question, snapshot } from '../testing/fixtures.js';

const apply = (s: HiveState, ...actions: HiveAction[]) => actions.reduce(hiveReducer, s);
const fresh = () => apply(initialHiveState('/x/host.sock', false), { type: 'snapshot', snapshot: snapshot() });

test('the attention queue orders by deadline then age, then unread messages', () => {
  const now = Math.floor(Date.now() / 1000);
  const s = apply(fresh(), {
    type: 'snapshot',
    snapshot: snapshot({
      approvals: [approval(1), approval(2, { status: 'denied' })],
      questions: [question(1, { deadline_at: now + 600 }), question(2, { deadline_at: now + 60 }), question(3, { answer: 'x' }), question(4, { target: 'bob' })],
      operator_inbox: [operatorMessage(1), operatorMessage(2, { read: true })],
    }),
  });
  const q = attentionQueue(s).map((i) => `${i.kind}${i.id}`);
  assert.deepEqual(q, ['question2', 'question1', 'approval1', 'message1']);
});

test('the queue counted per agent: approvals by who asked, questions with the nearest deadline, unread messages', () => {
  const now = Math.floor(Date.now() / 1000);
  const s = apply(fresh(), {
    type: 'snapshot',
    snapshot: snapshot({
      approvals: [approval(1, { requested_by: 'manager', agent: 'scout' }), approval(2, { requested_by: 'operator', agent: 'beta' })],
      questions: [question(3, { asker: 'iris', deadline_at: now + 600 }), question(4, { asker: 'iris', deadline_at: now + 60 }), question(5, { asker: 'iris' })],
      operator_inbox: [operatorMessage(6, { from: 'iris' }), operatorMessage(7, { from: 'iris', read: true })],
    }),
  });
  const needs = needsByAgent(attentionQueue(s));
  assert.deepEqual(needs.get('manager') && { a: needs.get('manager')!.approvals, q: needs.get('manager')!.questions }, { a: 1, q: 0 });
  assert.equal(needs.get('beta')?.approvals, 1, 'an operator-made request counts for the agent it concerns');
  const iris = needs.get('iris')!;
  assert.deepEqual([iris.questions, iris.nearestDeadline, iris.messages], [3, now + 60, 1]);
  assert.deepEqual(iris.items.map((x) => `${x.kind}${x.id}`), ['question4', 'question3', 'question5', 'message6'], 'soonest first: what Enter opens');
});

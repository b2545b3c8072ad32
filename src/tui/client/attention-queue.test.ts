import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attentionQueue } from './attention-queue.js';
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

// Questions on an in-memory store: TTL cap, peer targets, exactly-once resolution, the watchdog, the asker told.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Questions } from './questions.js';
import { testPorts } from './testing/service-ports.js';
import { MAX_OPEN_QUESTIONS, MAX_QUESTION_TTL_SECONDS } from '../protocol/index.js';

function setup(t: TestContext) {
  const ports = testPorts({ agents: { boss: {}, iris: {}, damo: {} }, manager: 'boss' });
  const questions = new Questions(ports);
  t.after(() => questions.stop());
  return { ports, questions };
}

test('a question is stored with its TTL capped, announced, and open until resolved', (t) => {
  const s = setup(t);
  const id = s.questions.ask('iris', { question: 'ship it?', options: ['yes', 'no'], ttl_seconds: 999_999 }) as number;
  const q = s.questions.get(id)!;
  assert.equal(q.target, null);
  assert.deepEqual(q.options, ['yes', 'no']);
  assert.equal(q.deadline_at! - q.asked_at, MAX_QUESTION_TTL_SECONDS);
  assert.deepEqual(s.questions.page(undefined, 10, true).items.map((x) => x.id), [id]);
  assert.equal(s.questions.openCount(), 1);
  assert.deepEqual(s.questions.openAskedBy('iris').items.map((x) => x.id), [id]);
  assert.deepEqual(s.questions.openAskedBy('damo').items, []);
  const [added] = s.ports.events().map(({ seq: _seq, at: _at, ...rest }) => rest);
  assert.deepEqual(added, { kind: 'question_added', id, asker: 'iris', question: 'ship it?', options: ['yes', 'no'], multi: false, asked_at: q.asked_at, deadline_at: q.deadline_at, target: null });
  assert.deepEqual(s.ports.notified, [], 'a question to the operator notifies no agent');
});

test('bad questions are refused and change nothing', (t) => {
  const s = setup(t);
  assert.deepEqual(s.questions.ask('iris', { question: 'q', to: 'ghost' }), { refused: true, code: 'not_found', error: 'no agent named "ghost" to ask' });
  assert.deepEqual(s.questions.ask('iris', { question: 'q', to: 'iris' }), { refused: true, code: 'bad_request', error: 'an agent cannot ask itself' });
  assert.deepEqual(s.questions.ask('iris', { question: 'q', multi: true }), { refused: true, code: 'bad_request', error: 'a multi-select question needs options' });
  assert.deepEqual(s.questions.list().items, []);
  assert.deepEqual(s.ports.events(), []);
});

test('a peer question obeys the asker\'s allowed_recipients; the manager and the operator stay reachable', (t) => {
  const ports = testPorts({ agents: { boss: {}, iris: { allowed_recipients: ['damo'] }, damo: {}, lone: {} }, manager: 'boss' });
  const questions = new Questions(ports);
  t.after(() => questions.stop());
  assert.deepEqual(questions.ask('iris', { question: 'psst', to: 'lone' }), { refused: true, code: 'forbidden', error: 'iris may not message lone (allowed: damo and the manager)' });
  assert.equal(ports.notified.length, 0, 'nothing reached lone\'s inbox');
  assert.deepEqual(questions.list().items, [], 'no question stored');
  assert.deepEqual(ports.events(), []);
  for (const to of ['damo', 'boss', 'operator']) assert.equal(typeof questions.ask('iris', { question: `to ${to}?`, to }), 'number', to);
  assert.deepEqual(ports.notified.map((n) => n.agent), ['damo', 'boss']);
});

test('an agent has at most 100 open questions; an answer makes room', (t) => {
  const s = setup(t);
  const ids = Array.from({ length: MAX_OPEN_QUESTIONS }, (_, i) => s.questions.ask('iris', { question: `q${i}` }) as number);
  assert.deepEqual(s.questions.ask('iris', { question: 'one more' }), { refused: true, code: 'conflict', error: 'iris already has 100 open questions; wait for answers or cancel one first' });
  assert.equal(typeof s.questions.ask('damo', { question: 'mine' }), 'number', 'the cap is per asker');
  s.questions.resolve(ids[0]!, 'ok', { answerer: 'operator' });
  assert.equal(typeof s.questions.ask('iris', { question: 'one more' }), 'number');
});

test('the operator answers once: the asker is told, the roster refreshed, the answer audited; a second answer conflicts', (t) => {
  const s = setup(t);
  const id = s.questions.ask('iris', { question: 'ship it?' }) as number;
  assert.equal(s.questions.resolve(id, 'yes', { answerer: 'operator', actor: 'op@host' }), true);
  assert.deepEqual(s.ports.notified, [{ agent: 'iris', event: { event: 'question_answered', id, question: 'ship it?', answer: 'yes', answerer: 'operator' } }]);
  assert.deepEqual(s.ports.statusChanges, ['iris']);
  assert.deepEqual(s.ports.audits().map((a) => [a.actor, a.action, a.target, a.detail]), [['op@host', 'answer', String(id), { answer: 'yes' }]]);
  const q = s.questions.get(id)!;
  assert.deepEqual([q.answer, q.answerer, q.cancelled], ['yes', 'operator', false]);
  assert.deepEqual(s.questions.resolve(id, 'no', { answerer: 'operator' }), {
    refused: true,
    code: 'conflict',
    error: `question #${id} was already answered ("yes" by operator)`,
  });
  assert.equal(s.ports.notified.length, 1, 'told once');
  assert.equal(s.questions.openCount(), 0);
  assert.deepEqual(s.questions.list().items.map((x) => x.id), [id]);
  assert.deepEqual(s.questions.resolve(999, 'x', { answerer: 'operator' }), { refused: true, code: 'not_found', error: 'no question #999' });
});

test('a peer question tells its target, and only the target may answer it', (t) => {
  const s = setup(t);
  const id = s.questions.ask('iris', { question: 'lunch?', to: 'damo', options: ['now', 'later'], multi: true }) as number;
  assert.deepEqual(s.ports.notified, [{ agent: 'damo', event: { event: 'question_asked', id, asker: 'iris', question: 'lunch?', options: ['now', 'later'], multi: true } }]);
  assert.deepEqual(s.questions.resolve(id, 'now', { answerer: 'boss', agent: 'boss' }), { refused: true, code: 'forbidden', error: `question #${id} is not addressed to boss` });
  assert.equal(s.questions.resolve(id, 'now', { answerer: 'damo', agent: 'damo' }), true);
  assert.equal(s.ports.notified.at(-1)!.agent, 'iris');
});

test('only the asker may cancel its question', (t) => {
  const s = setup(t);
  const id = s.questions.ask('iris', { question: 'never mind?' }) as number;
  const asDamo = s.questions.resolve(id, '[cancelled by damo]', { answerer: 'damo', agent: 'damo', cancelled: true });
  assert.deepEqual(asDamo, { refused: true, code: 'forbidden', error: `question #${id} was asked by iris, not damo` });
  assert.equal(s.questions.resolve(id, '[cancelled by iris]', { answerer: 'iris', agent: 'iris', cancelled: true }), true);
  const q = s.questions.get(id)!;
  assert.deepEqual([q.answer, q.cancelled], ['[cancelled by iris]', true]);
  assert.equal(s.ports.audits().at(-1)!.action, 'cancel_question');
  const again = s.questions.resolve(id, 'x', { answerer: 'operator' });
  assert.ok(again !== true && /was already cancelled/.test(again.error));
});

test('the watchdog answers overdue questions with [expired], and only those', (t) => {
  const s = setup(t);
  const overdue = s.questions.ask('iris', { question: 'quick?', ttl_seconds: 60 }) as number;
  const later = s.questions.ask('iris', { question: 'slow?', ttl_seconds: 3600 }) as number;
  s.ports.db.prepare('UPDATE questions SET deadline_at = asked_at - 1 WHERE id = ?').run(overdue);
  s.questions.expireDue();
  assert.deepEqual([s.questions.get(overdue)!.answer, s.questions.get(overdue)!.answerer], ['[expired]', 'ttl-watchdog']);
  assert.equal(s.questions.get(later)!.answer, undefined);
  assert.deepEqual(s.ports.notified.map((n) => n.event.event === 'question_answered' && n.event.id), [overdue]);
});

test('the watchdog fires by itself at the nearest deadline', { timeout: 10_000 }, async (t) => {
  const s = setup(t);
  const id = s.questions.ask('iris', { question: 'quick?', ttl_seconds: 1 }) as number;
  const deadline = Date.now() + 8000;
  while (s.questions.get(id)!.answer === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(s.questions.get(id)!.answer, '[expired]');
});

// The traffic view over a real store: every message newest first with its state, one agent's both ways, who waits on whom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPorts } from './testing/service-ports.js';
import { Broker } from './broker.js';
import { Questions } from './questions.js';
import { MessageFlow } from './message-flow.js';

function setup() {
  const ports = testPorts({ agents: { boss: {}, iris: {}, zed: {} }, manager: 'boss' });
  return { ports, broker: new Broker(ports), questions: new Questions(ports), flow: new MessageFlow(ports.db) };
}

const idOf = (r: unknown) => (r as { id: number }).id;

test('messages come newest first with their state: unread, delivered, acked', () => {
  const h = setup();
  const first = idOf(h.broker.send('operator', 'iris', 'please look at #7'));
  const reply = idOf(h.broker.send('iris', 'boss', 'on it', first));
  const third = idOf(h.broker.send('boss', 'zed', 'help iris'));
  h.broker.take('iris', 10);
  h.broker.ack('iris', [first]);
  h.broker.take('zed', 10);
  const page = h.flow.page(undefined, undefined, 10);
  assert.deepEqual(page.items.map((m) => [m.id, m.from, m.to, m.state, m.in_reply_to ?? null]), [
    [third, 'boss', 'zed', 'delivered', null],
    [reply, 'iris', 'boss', 'unread', first],
    [first, 'operator', 'iris', 'acked', null],
  ]);
  assert.ok(page.items[2]!.delivered_at !== undefined && page.items[2]!.acked_at !== undefined);
  assert.equal(page.more, false);
});

test('one agent\'s traffic is what it sent and what it got, each once, newest first, paged', () => {
  const h = setup();
  const ids: number[] = [];
  for (let i = 0; i < 10; i++) {
    ids.push(idOf(h.broker.send('iris', 'boss', `out ${i}`)));
    ids.push(idOf(h.broker.send('boss', 'iris', `in ${i}`)));
    h.broker.send('boss', 'zed', `elsewhere ${i}`);
  }
  const broadcast = h.broker.send('zed', '*', 'all hands');
  const seen: number[] = [];
  let before: number | undefined;
  for (;;) {
    const page = h.flow.page('iris', before, 6);
    seen.push(...page.items.map((m) => m.id));
    for (const m of page.items) assert.ok(m.from === 'iris' || m.to === 'iris');
    if (!page.more) break;
    before = page.items.at(-1)!.id;
  }
  const irisBroadcast = h.flow.page('iris', undefined, 1).items[0]!;
  assert.equal(irisBroadcast.broadcast, true);
  assert.ok(irisBroadcast.id >= idOf(broadcast));
  assert.deepEqual(seen.slice(1), [...ids].reverse(), 'every message of iris once, in order');
});

test('who waits on whom: open questions, to a peer or to the operator, oldest first; answered ones go', () => {
  const h = setup();
  const peer = h.questions.ask('iris', { question: 'which port?', to: 'zed' }) as number;
  const op = h.questions.ask('zed', { question: 'ship it?' }) as number;
  const done = h.questions.ask('boss', { question: 'lunch?', to: 'iris' }) as number;
  h.questions.resolve(done, 'yes', { answerer: 'iris', agent: 'iris' });
  assert.deepEqual(h.flow.waiting(undefined).items.map((w) => [w.agent, w.on, w.question_id]), [['iris', 'zed', peer], ['zed', 'operator', op]]);
  assert.deepEqual(h.flow.waiting('iris').items.map((w) => w.question_id), [peer], 'of or on iris');
  assert.deepEqual(h.flow.waiting('zed').items.map((w) => w.question_id), [peer, op]);
  assert.deepEqual(h.flow.waiting('boss').items, []);
});

test('a page stops before its bytes run out', () => {
  const h = setup();
  for (let i = 0; i < 40; i++) h.broker.send('operator', 'iris', 'x'.repeat(60 * 1024));
  const page = h.flow.page(undefined, undefined, 1000, 300 * 1024);
  assert.ok(page.items.length >= 3 && page.items.length < 6, `${page.items.length} messages`);
  assert.equal(page.more, true);
});

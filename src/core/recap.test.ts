// The recap over a real store: what happened in a window, from the tables that own each piece; each operator's last look.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPorts } from './testing/service-ports.js';
import { Approvals } from './approvals.js';
import { Questions } from './questions.js';
import { Broker } from './broker.js';
import { TurnStats } from './turn-stats.js';
import { AgentEventLog } from './events/index.js';
import { IncidentLog } from './incident-log.js';
import { Recaps } from './recap.js';
import type { AgentStatusRow, TurnStatInput } from '../protocol/index.js';

function setup() {
  const ports = testPorts({ agents: { boss: {}, iris: {}, zed: {} }, manager: 'boss' });
  const events = new AgentEventLog(ports.db);
  const incidents = new IncidentLog(ports.db, () => events.currentSeq, { maxRows: 5, maxAgeSeconds: 3600 });
  return {
    ports,
    events,
    incidents,
    approvals: new Approvals(ports),
    questions: new Questions(ports),
    broker: new Broker(ports),
    turnStats: new TurnStats(ports),
    recaps: new Recaps(ports.db, incidents),
  };
}

const stat = (result_kind: TurnStatInput['result_kind'], cost_usd: number, ended_at = Date.now() / 1000): TurnStatInput => ({
  model: 'haiku', wake_from: 'operator', result_kind, started_at: ended_at - 2, ended_at, duration_ms: 2000,
  input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, cost_usd,
  tool_call_count: 0, tool_calls: {}, open_threads_count: 0, open_reminders_count: 0,
});

const row = (name: string, flags: Partial<AgentStatusRow>): AgentStatusRow => ({
  name, running: true, failed: false, needs_update: false, needs_login: false, paused: false, pending_reminders: 0, turn_state: 'idle', turn_state_since: 0, unread: 0, ...flags,
});

test('turns, cost, failed turns with their starts, incidents, approvals and questions (by whom, expired ones too) and operator messages since a time', async () => {
  const h = setup();
  const before = Date.now() / 1000 - 1;
  // Before the window: none of this shows.
  h.turnStats.record('iris', stat('ok', 5, before - 100));
  const oldApproval = h.approvals.add({ agent: 'old', kind: 'spawn' });
  h.approvals.deny(oldApproval, undefined, 'alice@box pts/1');
  h.ports.db.prepare('UPDATE approvals SET resolved_at = ? WHERE id = ?').run('2020-01-01T00:00:00Z', oldApproval);

  const start = h.events.append('iris', [{ kind: 'turn_start', from: 'operator', body: 'fix it', unread: 0 }]).firstSeq;
  h.events.append('iris', [{ kind: 'note', text: 'working' }, { kind: 'turn_end', ok: false, note: 'exit code 1' }]);
  h.events.append('zed', [{ kind: 'turn_start', from: 'boss', body: 'hi', unread: 0 }, { kind: 'turn_end', ok: true }]);
  h.turnStats.record('iris', stat('failed', 0.25));
  h.turnStats.record('iris', stat('ok', 0.5));
  h.turnStats.record('zed', stat('ok', 0.125));
  h.incidents.record('iris', 'started', 'crash (exit code 1)');
  h.incidents.noteStatus(row('zed', {}), row('zed', { stalled: true }));
  h.incidents.noteStatus(row('zed', { stalled: true }), row('zed', { stalled: true }));

  h.approvals.onApprove('spawn', { apply: async () => null, recover: async () => null });
  const approved = h.approvals.add({ agent: 'scout', kind: 'spawn', description: 'reads the forums' });
  await h.approvals.approve(approved, 'alice@box pts/3');
  h.approvals.add({ agent: 'later', kind: 'spawn' }); // still pending
  const answered = h.questions.ask('iris', { question: 'ship it?', options: ['yes', 'no'] }) as number;
  h.questions.resolve(answered, 'yes', { answerer: 'operator', actor: 'bob@box pts/9' });
  const expired = h.questions.ask('zed', { question: 'anyone?' }) as number;
  h.questions.resolve(expired, '[expired]', { answerer: 'ttl-watchdog' });
  h.questions.ask('zed', { question: 'still open?' });
  h.broker.send('iris', 'operator', 'done with the docs');
  const until = Date.now() / 1000 + 1;

  const recap = h.recaps.build(before, until, 20);
  assert.deepEqual(recap.agents.map((a) => [a.name, a.turns, a.failed_turns, a.cost_usd, a.first_turn_seq, a.started, a.failed, a.stalled]), [
    ['iris', 2, 1, 0.75, start, 1, 0, 0],
    ['zed', 1, 0, 0.125, start + 3, 0, 0, 1],
  ]);
  assert.deepEqual(recap.failed_turns.map((t) => [t.agent, t.seq, t.end_seq, t.note]), [['iris', start, start + 2, 'exit code 1']]);
  assert.deepEqual(recap.incidents.map((i) => [i.agent, i.kind, i.detail ?? null]), [['zed', 'stalled', null], ['iris', 'started', 'crash (exit code 1)']]);
  assert.deepEqual(recap.approvals.map((a) => [a.id, a.status, a.resolved_by, a.description]), [[approved, 'approved', 'alice@box pts/3', 'reads the forums']]);
  assert.deepEqual(recap.questions.map((q) => [q.id, q.answer, q.answerer, q.resolved_by ?? null, q.expired]), [
    [expired, '[expired]', 'ttl-watchdog', null, true],
    [answered, 'yes', 'operator', 'bob@box pts/9', false],
  ]);
  assert.deepEqual(recap.messages.map((m) => [m.from, m.body, m.read]), [['iris', 'done with the docs', false]]);
  assert.deepEqual(recap.counts, {
    turns: 3, cost_usd: 0.875, failed_turns: 1, incidents: 2, approvals: 1, questions: 2, questions_expired: 1, messages: 1,
    approvals_pending: 1, questions_open: 1, messages_unread: 1,
  });

  const quiet = h.recaps.build(until, until + 10, 20);
  assert.deepEqual([quiet.agents, quiet.failed_turns, quiet.incidents, quiet.approvals, quiet.questions, quiet.messages], [[], [], [], [], [], []], 'nothing new after');
  const cut = h.recaps.build(before, until, 1);
  assert.equal(cut.questions.length, 1);
  assert.equal(cut.counts.questions, 2, 'the counts say how many there were');
});

test('a look is kept per operator and never moves back', () => {
  const h = setup();
  assert.equal(h.recaps.lookedAt('alice@box'), null);
  assert.equal(h.recaps.markSeen('alice@box', 1000), 1000);
  assert.equal(h.recaps.markSeen('alice@box', 900), 1000, 'an older look changes nothing');
  assert.equal(h.recaps.markSeen('bob@box', 500), 500);
  assert.equal(h.recaps.lookedAt('alice@box'), 1000);
  assert.equal(h.recaps.lookedAt('bob@box'), 500);
});

test('incidents stay within their count and age', () => {
  const h = setup();
  for (let i = 0; i < 12; i++) h.incidents.record('iris', 'started', `start ${i}`);
  const kept = h.ports.db.prepare('SELECT detail FROM agent_incidents ORDER BY id').all() as { detail: string }[];
  assert.ok(kept.length <= 5, `${kept.length} kept`);
  assert.equal(kept.at(-1)!.detail, 'start 11', 'the newest are kept');
  h.incidents.prune(Date.now() / 1000 + 7200);
  assert.equal((h.ports.db.prepare('SELECT COUNT(*) AS n FROM agent_incidents').get() as { n: number }).n, 0);
});

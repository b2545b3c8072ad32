import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hiveReducer, initialHiveState, type HiveAction, type HiveState } from './hive-state.js';
import { streamLineAt, streamLineCount, STREAM_RING_LINES } from './stream-buffer.js';
import { streamLinesAction } from './stream-lines.js';
import type { Schedule } from '../../protocol/index.js';
import { agentRow, approvalAdded, approvalResolved, operatorMessage, questionAdded, snapshot, turnStat } from '../testing/fixtures.js';

const apply = (s: HiveState, ...actions: HiveAction[]) => actions.reduce(hiveReducer, s);
const fresh = () => apply(initialHiveState('/x/host.sock', false), { type: 'snapshot', snapshot: snapshot() });

test('a snapshot fills agents and sets the resume seq', () => {
  const s = fresh();
  assert.deepEqual(Object.keys(s.agents).sort(), ['iris', 'manager']);
  assert.equal(s.seq, 10);
  assert.equal(s.hasData, true);
});

test('dashboard events at or below the applied seq are not applied twice', () => {
  let s = fresh();
  s = apply(s, { type: 'dashboard', event: approvalAdded(11, 1) });
  const again = apply(s, { type: 'dashboard', event: approvalAdded(11, 1, { description: 'dup' }) });
  assert.equal(again, s);
  const older = apply(s, { type: 'dashboard', event: { kind: 'agent_removed', seq: 5, at: 0, name: 'iris' } });
  assert.ok(older.agents.iris, 'an event from before the snapshot is ignored');
});

test('a new pending approval or operator question raises the alert count once; resolution does not', () => {
  let s = fresh();
  s = apply(s, { type: 'dashboard', event: approvalAdded(11, 1) });
  assert.equal(s.alerts, 1);
  s = apply(s, { type: 'dashboard', event: questionAdded(12, 1) });
  assert.equal(s.alerts, 2);
  s = apply(s, { type: 'dashboard', event: questionAdded(13, 2, { target: 'damocles' }) });
  assert.equal(s.alerts, 2, 'a peer question does not ring for the operator');
  s = apply(s, { type: 'dashboard', event: approvalResolved(14, 1, { status: 'approved' }) });
  assert.equal(s.alerts, 2);
  assert.equal(s.approvals[1]!.status, 'approved');
});

test('flat approval and question events become the records the views show', () => {
  let s = fresh();
  s = apply(s, { type: 'dashboard', event: approvalAdded(11, 4, { description: 'scout', requested_at: 1763702400, requested_by: 'manager', agent: 'scout' }) });
  assert.deepEqual(s.approvals[4], { id: 4, agent: 'scout', kind: 'spawn', commit_ref: '', requested_at: '2025-11-21T05:20:00Z', status: 'pending', description: 'scout', requested_by: 'manager' });
  s = apply(s, { type: 'dashboard', event: approvalResolved(12, 4, { status: 'denied', note: 'not now', resolved_by: 'alice', resolved_at: 1763702460 }) });
  assert.equal(s.approvals[4]!.status, 'denied');
  assert.equal(s.approvals[4]!.note, 'not now');
  assert.equal(s.approvals[4]!.resolved_at, '2025-11-21T05:21:00Z');
  assert.equal(s.approvals[4]!.description, 'scout', 'what the added event said is kept');
  s = apply(s, { type: 'dashboard', event: approvalResolved(13, 9, { status: 'approved', agent: 'x' }) });
  assert.equal(s.approvals[9]!.agent, 'x', 'a resolution of an approval never seen open is built from the event');
  s = apply(s, { type: 'dashboard', event: questionAdded(14, 5, { deadline_at: 1763706000 }) });
  assert.equal(s.questions[5]!.deadline_at, 1763706000);
  s = apply(s, { type: 'dashboard', event: { kind: 'question_resolved', seq: 15, at: 0, id: 5, answer: 'sqlite', answerer: 'operator', answered_at: 1763702500, cancelled: false } });
  assert.deepEqual([s.questions[5]!.answer, s.questions[5]!.answerer, s.questions[5]!.cancelled], ['sqlite', 'operator', false]);
  s = apply(s, { type: 'dashboard', event: { kind: 'question_resolved', seq: 16, at: 0, id: 77, answer: 'x', answerer: 'operator', answered_at: 1, cancelled: true } });
  assert.equal(s.questions[77], undefined, 'a question never seen open stays unknown');
  assert.equal(s.seq, 16);
});

test('transients, status rows, removals, turn stats and operator read marks apply', () => {
  let s = fresh();
  s = apply(
    s,
    { type: 'dashboard', event: { kind: 'transient_set', seq: 11, at: 0, name: 'iris', transient_kind: 'rebuilding', since_unix: 5 } },
    { type: 'dashboard', event: { kind: 'agent_status', seq: 12, at: 0, row: agentRow('iris', { paused: true }) } },
    { type: 'dashboard', event: { kind: 'turn_stat', seq: 13, at: 0, stat: turnStat(3) } },
    { type: 'dashboard', event: { kind: 'operator_message', seq: 14, at: 0, message: operatorMessage(7) } },
  );
  assert.equal(s.transients.iris?.kind, 'rebuilding');
  assert.equal(s.agents.iris!.paused, true);
  assert.equal(s.turnStats[0]!.id, 3);
  assert.equal(s.operatorInbox[0]!.read, false);
  s = apply(
    s,
    { type: 'dashboard', event: { kind: 'transient_cleared', seq: 15, at: 0, name: 'iris' } },
    { type: 'dashboard', event: { kind: 'operator_read', seq: 16, at: 0, ids: [7] } },
    { type: 'dashboard', event: { kind: 'agent_removed', seq: 17, at: 0, name: 'manager' } },
  );
  assert.equal(s.transients.iris, undefined);
  assert.equal(s.operatorInbox[0]!.read, true);
  assert.equal(s.agents.manager, undefined);
  assert.equal(s.seq, 17);
});

test('turn stats merge without duplicates, newest first', () => {
  let s = fresh();
  s = apply(s, { type: 'turn_stats', rows: [turnStat(1), turnStat(3)] }, { type: 'turn_stats', rows: [turnStat(2), turnStat(3)] });
  assert.deepEqual(s.turnStats.map((t) => t.id), [3, 2, 1]);
});

test('strings from the core are sanitized at ingest', () => {
  const s = apply(initialHiveState('/x', false), {
    type: 'snapshot',
    snapshot: snapshot({ agents: [agentRow('iris', { status_text: 'ok\u001b[2J\u001b]0;pwned\u0007 \u202eevil' })] }),
  });
  assert.equal(s.agents.iris!.status_text, 'ok <U+202E>evil');
});

test('the connection marks data stale from when it dropped, and live clears it', () => {
  let s = fresh();
  s = apply(s, { type: 'connection', info: { phase: 'live' } });
  assert.equal(s.connection.staleSince, undefined);
  s = apply(s, { type: 'connection', info: { phase: 'reconnecting', attempt: 1 } });
  const since = s.connection.staleSince;
  assert.ok(since);
  s = apply(s, { type: 'connection', info: { phase: 'stale', attempt: 4 } });
  assert.equal(s.connection.staleSince, since, 'stale since the first drop, not the latest attempt');
  s = apply(s, { type: 'connection', info: { phase: 'live' } });
  assert.equal(s.connection.staleSince, undefined);
});

const textEvent = (seq: number, text: string) => ({ kind: 'stream', seq, agent: 'iris', ts_ms: 0, data: { type: 'assistant', message: { content: [{ type: 'text', text }] } } });

test('stream events are deduplicated by seq and kept in a bounded ring', () => {
  let s = fresh();
  s = apply(s, streamLinesAction('iris', [textEvent(1, 'one'), textEvent(2, 'two')], true));
  s = apply(s, streamLinesAction('iris', [textEvent(2, 'two'), textEvent(3, 'three')]));
  const buf = s.streams.iris!;
  assert.deepEqual(buf.ring.toArray().map((l) => l.text), ['one', 'two', 'three']);
  const many = Array.from({ length: STREAM_RING_LINES + 50 }, (_, i) => textEvent(10 + i, `l${i}`));
  s = apply(s, streamLinesAction('iris', many));
  assert.equal(s.streams.iris!.ring.length, STREAM_RING_LINES);
  assert.equal(s.streams.iris!.ring.last()!.text, `l${STREAM_RING_LINES + 49}`);
});

test('older history pages in before the held lines', () => {
  let s = fresh();
  s = apply(s, streamLinesAction('iris', [textEvent(50, 'fifty')], true));
  s = apply(s, { type: 'stream_older', agent: 'iris', events: [textEvent(49, 'forty-nine'), textEvent(48, 'forty-eight')], exhausted: true });
  const buf = s.streams.iris!;
  assert.equal(streamLineCount(buf), 3);
  assert.deepEqual([0, 1, 2].map((i) => streamLineAt(buf, i)!.text), ['forty-eight', 'forty-nine', 'fifty']);
  assert.equal(buf.historyExhausted, true);
  assert.equal(buf.oldestSeq, 48);
});

const schedule = (id: number, over: Partial<Schedule> = {}): Schedule => ({
  id, target: 'iris', prompt: 'p', tz: 'UTC', catch_up: false, state: 'active', approval_id: id, proposed_by: 'alice', proposed_at: 0, fired: 0, missed: 0, ...over,
});

test('resource samples replace the last poll whole; an agent that stopped is gone from it', () => {
  let s = fresh();
  s = apply(s, { type: 'resources', samples: [{ name: 'iris', pid: 4, cpu_percent: 12, rss_bytes: 100, processes: 2, sampled_at: 1 }, { name: 'manager', pid: 5, cpu_percent: 0, rss_bytes: 50, processes: 1, sampled_at: 1 }] });
  assert.deepEqual(Object.keys(s.resources).sort(), ['iris', 'manager']);
  s = apply(s, { type: 'resources', samples: [{ name: 'iris', pid: 4, cpu_percent: 40, rss_bytes: 120, processes: 3, sampled_at: 6 }] });
  assert.deepEqual([Object.keys(s.resources), s.resources.iris!.cpu_percent, s.resourcesNote], [['iris'], 40, undefined]);
  s = apply(s, { type: 'resources', samples: [], note: 'resources are sampled under the process backend only' });
  assert.deepEqual([s.resources, s.resourcesNote], [{}, 'resources are sampled under the process backend only']);
});

test('schedules: events upsert them; a list fetched before a later event does not undo it', () => {
  let s = fresh();
  s = apply(s, { type: 'dashboard', event: { kind: 'schedule_changed', seq: 11, at: 0, schedule: schedule(1, { state: 'proposed' }) } });
  const asOfSeq = s.seq;
  s = apply(s, { type: 'dashboard', event: { kind: 'schedule_changed', seq: 12, at: 0, schedule: schedule(1, { state: 'paused', paused_by: 'bob' }) } });
  s = apply(s, { type: 'schedules', rows: [schedule(1, { state: 'active' }), schedule(2, { prompt: 'another' })], asOfSeq });
  assert.deepEqual([s.schedules[1]!.state, s.schedules[2]!.prompt], ['paused', 'another']);
  s = apply(s, { type: 'schedules', rows: [schedule(1, { state: 'ended', note: 'deleted by bob' })], asOfSeq: s.seq });
  assert.equal(s.schedules[1]!.state, 'ended', 'a list fetched after the event wins');
});

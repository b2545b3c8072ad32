import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentStatusRow, Approval, OperatorMessage, Question, TurnStat } from '../protocol/records.js';
import { age, duration, renderTable, terminalSafeJson, tokens, truncate, usd } from './format.js';
import { agentState, renderStatus } from './format-roster.js';
import { renderApproval, renderApprovals, renderDiff, renderDiffFiles } from './format-approvals.js';
import { renderInbox, renderQuestions } from './format-operator.js';
import { renderStats, totalsByAgent } from './format-stats.js';
import { renderEvent } from './format-events.js';
import { renderSchedules } from './format-schedules.js';
import { renderResources } from './format-resources.js';

const NOW = 1_800_000_000;
// Anything that could move the cursor, retitle the window, hide text or ring the bell.
const HOSTILE = 'ok\u001b[2J\u001b]0;pwned\u0007\u001b]8;;http://evil\u001b\\x\u202e\u009b31m\rEND';
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function assertSafe(lines: string[]): void {
  for (const line of lines) assert.doesNotMatch(line, UNSAFE, JSON.stringify(line));
}

function row(over: Partial<AgentStatusRow> = {}): AgentStatusRow {
  return {
    name: 'iris', running: true, failed: false, needs_update: false, needs_login: false, paused: false,
    pending_reminders: 2, turn_state: 'thinking', turn_state_since: NOW - 12, unread: 3, ...over,
  };
}

function approval(over: Partial<Approval> = {}): Approval {
  return { id: 7, agent: 'iris', kind: 'apply_commit', commit_ref: 'abcdef1234567890', requested_at: new Date((NOW - 300) * 1000).toISOString(), status: 'pending', ...over };
}

function stat(over: Partial<TurnStat> = {}): TurnStat {
  return {
    id: 1, agent: 'iris', model: 'haiku', wake_from: 'operator', result_kind: 'ok', started_at: NOW - 70, ended_at: NOW - 60,
    duration_ms: 10_000, input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 900, cache_creation_input_tokens: 0,
    cost_usd: 0.0123, tool_call_count: 2, tool_calls: { send: 2 }, open_threads_count: 0, open_reminders_count: 0, ...over,
  };
}

test('small formatters', () => {
  assert.equal(age(NOW - 5, NOW), '5s');
  assert.equal(age(NOW - 125, NOW), '2m');
  assert.equal(age(NOW - 7300, NOW), '2h');
  assert.equal(age(NOW - 3 * 86400, NOW), '3d');
  assert.equal(age(NOW + 600, NOW), 'in 10m');
  assert.equal(age(NaN, NOW), '?');
  assert.equal(duration(850), '850ms');
  assert.equal(duration(3250), '3.3s');
  assert.equal(duration(252_000), '4m12s');
  assert.equal(duration(3_900_000), '1h05m');
  assert.equal(usd(undefined), '-');
  assert.equal(usd(0.01234), '$0.0123');
  assert.equal(usd(12.5), '$12.50');
  assert.equal(tokens(950), '950');
  assert.equal(tokens(12_345), '12k');
  assert.equal(tokens(1234), '1.2k');
  assert.equal(truncate('abcdef', 4), 'abc…');
  assert.equal(truncate('abc', 4), 'abc');
});

test('tables align columns and cut to the terminal width', () => {
  const lines = renderTable(['A', 'LONGER', 'LAST'], [['x', 'y', 'z'], ['wide cell', '', 'tail text']]);
  assert.deepEqual(lines, ['A          LONGER  LAST', 'x          y       z', 'wide cell          tail text']);
  const cut = renderTable(['A', 'B'], [['1', 'x'.repeat(100)]], 30);
  assert.equal([...cut[1]!].length, 30);
  assert.ok(cut[1]!.endsWith('…'));
});

test('agent state: transient beats failed beats stopped/paused/stalled', () => {
  assert.equal(agentState(row({ transient: 'restarting', failed: true })), 'restarting…');
  assert.equal(agentState(row({ failed: true })), 'failed');
  assert.equal(agentState(row({ running: false })), 'stopped');
  assert.equal(agentState(row({ running: false, paused: true })), 'paused');
  assert.equal(agentState(row({ needs_login: true, paused: true })), 'needs login');
  assert.equal(agentState(row({ paused: true, stalled: true })), 'paused');
  assert.equal(agentState(row({ stalled: true })), 'stalled');
  assert.equal(agentState(row()), 'running');
});

test('status table shows turn, counts, last turn and sanitized status text', () => {
  const lines = renderStatus(
    [
      row({ active_model: 'haiku', status_text: `fixing ${HOSTILE}`, context_tokens: 45_000, last_turn: { ended_at: NOW - 120, duration_ms: 3200, result_kind: 'ok' } }),
      row({ name: 'zed', running: false, turn_state: 'idle', needs_login: true }),
    ],
    NOW,
  );
  assert.match(lines[0]!, /^NAME\s+STATE\s+TURN\s+MODEL\s+UNREAD\s+REMIND\s+CONTEXT\s+LAST TURN\s+STATUS$/);
  assert.match(lines[1]!, /^iris\s+running\s+thinking 12s\s+haiku\s+3\s+2\s+45k\s+ok 3\.2s 2m ago\s+fixing ok/);
  assert.match(lines[1]!, /END$/);
  assert.match(lines[2]!, /^zed\s+needs login\s+-\s+-/);
  assertSafe(lines);
  assert.deepEqual(renderStatus([], NOW), ['no agents']);
});

test('approvals list and detail with a hostile diff stay terminal-safe', () => {
  const list = renderApprovals([approval({ description: HOSTILE }), approval({ id: 8, status: 'denied', note: 'later', resolved_at: new Date((NOW - 60) * 1000).toISOString() })], NOW);
  assert.match(list[1]!, /^#7\s+iris\s+apply_commit\s+pending\s+5m\s+abcdef123456\s+ok/);
  assert.match(list[2]!, /^#8\s+.*denied 1m ago.*— later$/);
  assertSafe(list);
  const detail = renderApproval(approval({ diff: `--- a/x\n+++ b/x\n+${HOSTILE}\n`, resolved_by: 'bob@box' }), NOW);
  assert.match(detail[0]!, /^approval #7 {2}apply_commit for iris {2}pending$/);
  assert.ok(detail.includes('--- a/x'));
  assert.ok(detail.some((l) => l.startsWith('+ok') && l.endsWith('END')));
  assertSafe(detail);
  assert.ok(renderApproval(approval(), NOW).includes('(no diff)'));
});

test('questions: open ones by deadline with options; resolved ones only with --all', () => {
  const q = (over: Partial<Question>): Question => ({ id: 1, asker: 'iris', question: 'which?', options: [], multi: false, asked_at: NOW - 30, ...over });
  const questions = [
    q({ id: 1 }),
    q({ id: 2, deadline_at: NOW + 90, options: ['a', HOSTILE], question: HOSTILE, target: 'zed' }),
    q({ id: 3, answer: `b ${HOSTILE}`, answerer: 'operator', answered_at: NOW - 5, cancelled: false }),
    q({ id: 4, answer: '[expired]', answerer: 'ttl-watchdog', answered_at: NOW - 5, cancelled: false }),
  ];
  const lines = renderQuestions(questions, NOW);
  assert.match(lines[1]!, /^#2\s+iris\s+zed\s+30s\s+in 1m\s+ok.*\[a \| ok.*END\]$/);
  assert.match(lines[2]!, /^#1\s+iris\s+operator\s+30s\s+-\s+which\?$/);
  assert.equal(lines.length, 4);
  assert.equal(lines[3], '(2 recently resolved: hyperhive questions --all)');
  assertSafe(lines);
  const all = renderQuestions(questions, NOW, undefined, true);
  assert.match(all[3]!, /^#3\s+iris\s+operator\s+30s\s+answered\s+which\? → b ok.*END \(operator\)$/);
  assert.match(all[4]!, /^#4\s.*expired\s+which\? → \[expired\] \(ttl-watchdog\)$/);
  assertSafe(all);
  assert.deepEqual(renderQuestions([], NOW), ['no open questions']);
});

test('inbox marks unread and sanitizes bodies', () => {
  const m = (over: Partial<OperatorMessage>): OperatorMessage => ({ id: 1, from: 'iris', body: 'hi', sent_at: NOW - 10, read: false, ...over });
  const lines = renderInbox([m({ body: HOSTILE }), m({ id: 2, read: true, in_reply_to: 9 })], NOW);
  assert.match(lines[1]!, /^\*#1\s+iris\s+10s\s+ok/);
  assert.match(lines[2]!, /^ #2\s+iris\s+10s\s+\(re #9\) hi$/);
  assertSafe(lines);
});

test('stats rows and per-agent totals', () => {
  const stats = [stat({ id: 3 }), stat({ id: 2, agent: 'zed', result_kind: 'failed', cost_usd: undefined }), stat({ id: 1, cost_usd: 0.02 })];
  const totals = totalsByAgent(stats);
  assert.deepEqual(totals.map((t) => [t.agent, t.turns, t.failed, Math.round(t.costUsd * 10000)]), [['iris', 2, 0, 323], ['zed', 1, 1, 0]]);
  const lines = renderStats(stats, NOW);
  assert.match(lines[1]!, /^#3\s+iris\s+1m ago\s+ok\s+10\.0s\s+\$0\.0123\s+1\.0k\s+50\s+2\s+-\s+haiku\s+operator$/);
  const measured = renderStats([stat({ id: 4, peak_cpu_percent: 87.4, peak_rss_bytes: 412 * 1024 * 1024 })], NOW);
  assert.match(measured[1]!, /^#4\s+iris\s+.*\s+2\s+87% 412M\s+haiku\s+operator$/);
  const totalsHeader = lines.indexOf('') + 1;
  assert.match(lines[totalsHeader]!, /^AGENT\s+TURNS\s+NOT OK/);
  assert.match(lines[totalsHeader + 1]!, /^iris\s+2\s+0\s+20\.0s\s+\$0\.0323/);
});

test('stats leave a row without its id, agent or numbers out instead of printing #undefined or NaN', () => {
  const broken = [{} as TurnStat, { ...stat({ id: 5 }), duration_ms: 'long' } as unknown as TurnStat];
  const lines = renderStats([stat({ id: 3 }), ...broken], NOW);
  assert.match(lines[1]!, /^#3\s+iris/);
  assert.equal(lines.at(-1), '2 unreadable rows left out');
  assert.doesNotMatch(lines.join('\n'), /undefined|NaN/);
  assert.deepEqual(renderStats(broken, NOW), ['no readable turns (2 unreadable rows left out)']);
});

test('every dashboard event kind renders as one safe line', () => {
  const base = { seq: 12, at: NOW };
  const events: Array<Record<string, unknown>> = [
    { kind: 'sent', ...base, id: 4, from: 'iris', to: 'zed', body: `multi\nline ${HOSTILE}` },
    { kind: 'delivered', ...base, from: 'iris', to: 'zed', body: HOSTILE, id: 4 },
    { kind: 'approval_added', ...base, id: 7, agent: 'iris', approval_kind: 'apply_commit', sha_short: '3f9c2ab41d0e', diff: HOSTILE, description: HOSTILE, diff_truncated: false, commit_ref: '3f9c2ab', fetched_sha: null, requested_at: NOW, requested_by: 'manager' },
    { kind: 'approval_resolved', ...base, id: 7, agent: 'iris', approval_kind: 'apply_commit', sha_short: null, status: 'denied', resolved_at: NOW, note: HOSTILE, description: null, resolved_by: 'bob@box', commit_ref: '', requested_at: NOW, requested_by: null },
    { kind: 'question_added', ...base, id: 3, asker: 'iris', question: HOSTILE, options: [], multi: false, asked_at: NOW, deadline_at: null, target: null },
    { kind: 'question_resolved', ...base, id: 3, answer: HOSTILE, answerer: 'operator', answered_at: NOW, cancelled: false },
    { kind: 'transient_set', ...base, name: 'iris', transient_kind: 'starting', since_unix: NOW },
    { kind: 'transient_cleared', ...base, name: 'iris' },
    { kind: 'agent_status', ...base, row: row({ status_text: HOSTILE }) },
    { kind: 'agent_removed', ...base, name: 'iris' },
    { kind: 'turn_stat', ...base, stat: stat() },
    { kind: 'operator_message', ...base, message: { id: 9, from: 'iris', body: HOSTILE, sent_at: NOW, read: false } },
    { kind: 'operator_read', ...base, ids: [9] },
    { kind: 'schedule_changed', ...base, schedule: { id: 3, target: 'iris', state: 'ended', note: HOSTILE } },
    { kind: 'brand_new_kind', ...base, detail: HOSTILE },
  ];
  const lines = events.map(renderEvent);
  for (const [i, line] of lines.entries()) {
    assert.equal(line.includes('\n'), false, line);
    assert.match(line, new RegExp(`^\\d\\d:\\d\\d:\\d\\d +12  ${events[i]!.kind}`));
  }
  assertSafe(lines);
  assert.match(lines[0]!, /#4 iris → zed: multi line ok/);
  assert.match(lines[1]!, /#4 iris → zed delivered$/);
  assert.match(lines[2]!, /#7 apply_commit for iris: ok/);
  assert.match(lines[4]!, /#3 iris → operator: ok/);
  assert.match(lines[5]!, /#3 answered by operator: ok/);
  assert.match(lines[7]!, /iris done$/);
  assert.match(lines[3]!, /#7 denied by bob@box — ok/);
  assert.match(lines[6]!, /iris starting…$/);
  assert.match(lines[10]!, /iris ok in 10\.0s \$0\.0123 tools=2$/);
  assert.match(lines[13]!, /#3 → iris ended — ok/);
});

test('--json output: the same JSON value, with C1, DEL, bidi and line separators escaped', () => {
  const value = { text: HOSTILE, more: '\u007f\u2028\u2029\u2066x', plain: 'é ✓' };
  const line = terminalSafeJson(value);
  assert.deepEqual(JSON.parse(line), value);
  assert.doesNotMatch(line, UNSAFE);
  assert.doesNotMatch(line, /[\u2028\u2029]/);
  assert.ok(line.includes('\\u009b') && line.includes('\\u202e') && line.includes('é ✓'));
});

test('a diff prints plain without colour and with SGR colours when asked; the file list counts lines; hostile text stays inert', () => {
  const diff = `diff --git a/agent.json b/agent.json\nindex 1..2 100644\n--- a/agent.json\n+++ b/agent.json\n@@ -1 +1 @@\n-  "model": "haiku",\n+  "model": "sonnet ${HOSTILE}",\n`;
  const plain = renderDiff(diff, false);
  assert.equal(plain[5], '-  "model": "haiku",');
  for (const line of plain) assert.doesNotMatch(line, /\u001b|\u0007|\u009b|\u202e/);
  const coloured = renderDiff(diff, true);
  assert.equal(coloured[0], '\u001b[1mdiff --git a/agent.json b/agent.json\u001b[0m');
  assert.equal(coloured[4], '\u001b[36m@@ -1 +1 @@\u001b[0m');
  assert.equal(coloured[5], '\u001b[31m-  "model": "haiku",\u001b[0m');
  assert.match(coloured[6]!, /^\u001b\[32m\+  "model": "sonnet ok/);
  assert.deepEqual(renderDiffFiles([{ path: 'agent.json', status: 'modified', added: 1, removed: 1 }, { path: 'logo.png', status: 'added', added: 0, removed: 0, binary: true }], undefined, false), [
    '2 files:',
    '  changed agent.json  +1 −1',
    '  new     logo.png  binary',
  ]);
  const detail = renderApproval(approval({ base_sha: 'a'.repeat(40), deployed_sha: 'b'.repeat(40), base_moved: true, diff, files: [{ path: 'agent.json', status: 'modified', added: 1, removed: 1 }] }), NOW);
  assert.ok(detail.includes(`  base moved   iris now runs ${'b'.repeat(12)}; this diff is against ${'a'.repeat(12)}`), detail.join('\n'));
});

test('schedules: when, next slot in its zone, counts and the prompt; ended ones say why', () => {
  const base = { target: 'iris', prompt: `write the notes ${HOSTILE}`, tz: 'Europe/Berlin', catch_up: false, approval_id: 7, proposed_by: 'alice@box', proposed_at: NOW - 86_400, fired: 3, missed: 1 };
  const lines = renderSchedules([
    { ...base, id: 2, cron: '0 9 * * 1-5', state: 'active', next_due_at: NOW + 3600, last_fired_at: NOW - 600 },
    { ...base, id: 4, every_seconds: 900, catch_up: true, state: 'paused', paused_by: 'bob@box' },
    { ...base, id: 5, every_seconds: 60, state: 'ended', note: 'deleted by bob@box' },
  ], NOW, undefined, true);
  assert.match(lines[0]!, /^ID\s+TO\s+STATE\s+WHEN\s+NEXT\s+LAST\s+SENT\/MISSED\s+BY\s+PROMPT$/);
  assert.match(lines[1]!, /^#2\s+iris\s+active\s+cron 0 9 \* \* 1-5 \(Europe\/Berlin\)\s+\w{3} \d{4}-\d\d-\d\d \d\d:\d\d CES?T \(in 1h\)\s+10m ago\s+3\/1\s+alice@box\s+write the notes/);
  assert.match(lines[2]!, /^#4\s+iris\s+paused by bob@box\s+every 15m \+catch-up\s+-\s+-/);
  assert.match(lines[3]!, /^#5\s+iris\s+ended\s+every 1m .* — deleted by bob@box$/);
  assertSafe(lines);
  assert.deepEqual(renderSchedules([], NOW), ['no schedules (hyperhive schedules --all shows ended ones)']);
});

test('resources: heaviest CPU first, RSS in binary units, the running turn\'s peaks; a note when nothing is sampled', () => {
  const lines = renderResources([
    { name: 'iris', pid: 41, cpu_percent: 3.2, rss_bytes: 90 * 1024 * 1024, processes: 1, sampled_at: NOW },
    { name: 'zed', pid: 42, cpu_percent: 143.5, rss_bytes: 1.5 * 1024 ** 3, processes: 4, sampled_at: NOW, turn_peak_cpu_percent: 180, turn_peak_rss_bytes: 1.6 * 1024 ** 3 },
  ], undefined);
  assert.deepEqual(lines.map((l) => l.split(/\s{2,}/)), [
    ['NAME', 'PID', 'CPU', 'RSS', 'PROCS', 'TURN PEAK'],
    ['zed', '42', '144%', '1.5G', '4', '180% 1.6G'],
    ['iris', '41', '3%', '90M', '1', '-'],
  ]);
  assert.deepEqual(renderResources([], 'resources are sampled under the process backend only'), ['resources are sampled under the process backend only']);
});

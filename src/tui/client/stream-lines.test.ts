import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hiveReducer, initialHiveState } from './hive-state.js';
import { linesForEvent, streamLinesAction, summarizeToolUse, wrapLine, type StreamLine, type ToolOutcome } from './stream-lines.js';

test('tool calls become one-line summaries', () => {
  assert.equal(summarizeToolUse('Read', { file_path: 'package.json' }), '» Read package.json');
  assert.equal(summarizeToolUse('Bash', { command: 'npm test' }), '$ npm test');
  assert.equal(summarizeToolUse('Edit', { file_path: 'src/a.ts' }), '± edit src/a.ts');
  assert.equal(summarizeToolUse('mcp__hyperhive__send', { to: 'iris', body: 'hi' }), '✉ send to iris: hi');
});

const toolUse = (seq: number, id: string, name: string, input: object) => ({ kind: 'stream', seq, data: { type: 'assistant', message: { content: [{ type: 'tool_use', id, name, input }] } } });

test('a tool_result marks its tool line ✓ or ✗', () => {
  let s = hiveReducer(initialHiveState('/x', false), streamLinesAction('iris', [toolUse(1, 't1', 'Read', { file_path: 'a' }), toolUse(2, 't2', 'Bash', { command: 'false' })], true));
  const [ok, bad] = s.streams.iris!.ring.toArray();
  assert.equal(ok!.toolStatus, 'pending');
  assert.equal(bad!.toolStatus, 'pending');
  const results = streamLinesAction('iris', [
    { kind: 'stream', seq: 3, data: { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: 'x' }, { type: 'tool_result', tool_use_id: 't2', is_error: true, content: 'exit 1' }] } } },
  ]);
  assert.deepEqual(results.toolOutcomes, [{ toolId: 't1', status: 'ok' }, { toolId: 't2', status: 'error' }]);
  const errLines = results.lines;
  const rev = s.streams.iris!.rev;
  s = hiveReducer(s, results);
  const [okNow, badNow] = s.streams.iris!.ring.toArray();
  assert.equal(okNow!.toolStatus, 'ok');
  assert.equal(badNow!.toolStatus, 'error');
  assert.match(errLines[0]!.text, /✗ exit 1/);
  assert.ok(s.streams.iris!.rev > rev, 'the pane is told to redraw');
  assert.deepEqual([ok!.toolStatus, bad!.toolStatus], ['pending', 'pending'], 'marked lines are new objects, not the drawn ones changed in place');
});

test('a result in the same batch as its call, and one for a call no longer held', () => {
  const outcomes: ToolOutcome[] = [];
  assert.equal(linesForEvent(toolUse(1, 'gone', 'Read', { file_path: 'x' }), outcomes)[0]!.toolStatus, 'pending', 'lines never change after they are made');
  const result = (seq: number, id: string) => ({ kind: 'stream', seq, data: { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: id, content: '' }] } } });
  let s = hiveReducer(initialHiveState('/x', false), streamLinesAction('iris', [toolUse(1, 'a', 'Read', { file_path: 'a' }), result(2, 'a')], true));
  assert.equal(s.streams.iris!.ring.get(0)!.toolStatus, 'ok');
  s = hiveReducer(s, streamLinesAction('iris', [result(3, 'unknown')]));
  assert.deepEqual(s.streams.iris!.ring.toArray().map((l) => l.toolStatus), ['ok']);
});

test('turn boundaries, thinking, results and notes render for an operator', () => {
  const outcomes: ToolOutcome[] = [];
  const start = linesForEvent({ kind: 'turn_start', seq: 1, from: 'operator', body: 'do the thing\nplease', unread: 2 }, outcomes);
  assert.equal(start[0]!.kind, 'turn_start');
  assert.match(start[0]!.text, /woken by operator \(\+2 unread\): do the thing please/);
  const thinking = linesForEvent({ kind: 'stream', seq: 2, data: { type: 'assistant', message: { content: [{ type: 'thinking', thinking: 'hmm\nok' }] } } }, outcomes);
  assert.deepEqual(thinking.map((l) => [l.kind, l.text]), [['thinking', 'hmm'], ['thinking', 'ok']]);
  const result = linesForEvent({ kind: 'stream', seq: 3, data: { type: 'result', subtype: 'success', is_error: false, total_cost_usd: 0.0123, duration_ms: 4200, num_turns: 3, usage: { input_tokens: 1200, output_tokens: 50 } } }, outcomes);
  assert.match(result[0]!.text, /done · in 1\.2k out 50 cache 0 · \$0\.0123 · 4\.2s · 3 turns/);
  assert.equal(linesForEvent({ kind: 'heartbeat', seq: 4 }, outcomes).length, 0);
});

test('hostile text is sanitized at ingest', () => {
  const lines = linesForEvent({ kind: 'note', seq: 1, text: 'a\u001b[31mred\u001b]8;;http://x\u0007link\u001b]8;;\u0007\u009b2J' }, []);
  assert.equal(lines[0]!.text, 'note: aredlink');
});

test('wrapping is cached per width and breaks at spaces', () => {
  const line: StreamLine = { seq: 1, kind: 'text', text: 'aaaa bbbb cccc dddd' };
  const rows = wrapLine(line, 10);
  assert.deepEqual(rows, ['aaaa bbbb', 'cccc dddd']);
  assert.equal(wrapLine(line, 10), rows, 'same width returns the cached rows');
  assert.notEqual(wrapLine(line, 40), rows);
});

test('a turn end says how it ended: a cancelled turn reads cancelled, not failed', () => {
  const end = (extra: object) => linesForEvent({ kind: 'turn_end', seq: 9, ...extra }, [])[0]!.text;
  assert.equal(end({ ok: false, result_kind: 'cancelled', note: 'cancelled by the operator' }), '── turn end · cancelled by the operator');
  assert.equal(end({ ok: false, result_kind: 'failed', note: 'command exited with code 1' }), '── turn end · failed · command exited with code 1');
  assert.equal(end({ ok: true, result_kind: 'prompt_too_long', note: 'prompt was too long; compacted and retried: ok' }), '── turn end · prompt too long · prompt was too long; compacted and retried: ok');
  assert.equal(end({ ok: true, result_kind: 'ok' }), '── turn end · ok');
  assert.equal(end({ ok: false }), '── turn end · failed', 'an older harness without result_kind');
});

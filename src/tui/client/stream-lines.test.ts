import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linesForEvent, summarizeToolUse, wrapLine, type StreamLine } from './stream-lines.js';

test('tool calls become one-line summaries', () => {
  assert.equal(summarizeToolUse('Read', { file_path: 'package.json' }), '» Read package.json');
  assert.equal(summarizeToolUse('Bash', { command: 'npm test' }), '$ npm test');
  assert.equal(summarizeToolUse('Edit', { file_path: 'src/a.ts' }), '± edit src/a.ts');
  assert.equal(summarizeToolUse('mcp__hyperhive__send', { to: 'iris', body: 'hi' }), '✉ send to iris: hi');
});

test('a tool_result marks its tool line ✓ or ✗', () => {
  const tools = new Map<string, StreamLine>();
  const [ok] = linesForEvent({ kind: 'stream', seq: 1, data: { type: 'assistant', message: { content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: 'a' } }] } } }, tools);
  const [bad] = linesForEvent({ kind: 'stream', seq: 2, data: { type: 'assistant', message: { content: [{ type: 'tool_use', id: 't2', name: 'Bash', input: { command: 'false' } }] } } }, tools);
  assert.equal(ok!.toolStatus, 'pending');
  const errLines = linesForEvent(
    { kind: 'stream', seq: 3, data: { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: 'x' }, { type: 'tool_result', tool_use_id: 't2', is_error: true, content: 'exit 1' }] } } },
    tools,
  );
  assert.equal(ok!.toolStatus, 'ok');
  assert.equal(bad!.toolStatus, 'error');
  assert.match(errLines[0]!.text, /✗ exit 1/);
});

test('turn boundaries, thinking, results and notes render for an operator', () => {
  const tools = new Map<string, StreamLine>();
  const start = linesForEvent({ kind: 'turn_start', seq: 1, from: 'operator', body: 'do the thing\nplease', unread: 2 }, tools);
  assert.equal(start[0]!.kind, 'turn_start');
  assert.match(start[0]!.text, /woken by operator \(\+2 unread\): do the thing please/);
  const thinking = linesForEvent({ kind: 'stream', seq: 2, data: { type: 'assistant', message: { content: [{ type: 'thinking', thinking: 'hmm\nok' }] } } }, tools);
  assert.deepEqual(thinking.map((l) => [l.kind, l.text]), [['thinking', 'hmm'], ['thinking', 'ok']]);
  const result = linesForEvent({ kind: 'stream', seq: 3, data: { type: 'result', subtype: 'success', is_error: false, total_cost_usd: 0.0123, duration_ms: 4200, num_turns: 3, usage: { input_tokens: 1200, output_tokens: 50 } } }, tools);
  assert.match(result[0]!.text, /done · in 1\.2k out 50 cache 0 · \$0\.0123 · 4\.2s · 3 turns/);
  assert.equal(linesForEvent({ kind: 'heartbeat', seq: 4 }, tools).length, 0);
});

test('hostile text is sanitized at ingest', () => {
  const lines = linesForEvent({ kind: 'note', seq: 1, text: 'a\u001b[31mred\u001b]8;;http://x\u0007link\u001b]8;;\u0007\u009b2J' }, new Map());
  assert.equal(lines[0]!.text, 'note: aredlink');
});

test('wrapping is cached per width and breaks at spaces', () => {
  const line: StreamLine = { seq: 1, kind: 'text', text: 'aaaa bbbb cccc dddd' };
  const rows = wrapLine(line, 10);
  assert.deepEqual(rows, ['aaaa bbbb', 'cccc dddd']);
  assert.equal(wrapLine(line, 10), rows, 'same width returns the cached rows');
  assert.notEqual(wrapLine(line, 40), rows);
});

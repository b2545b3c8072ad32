import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { RunTally, StreamParser, classifyRun, contextTokensOf, describeFailure, parseStreamLine, type StreamItem } from './stream-parser.js';
import { buildTurnStat } from './turn-stats.js';
import { TRANSCRIPTS } from './test-paths.js';

/** The numbers each transcript's `result` line and `assistant` messages carry. */
const EXPECTED: Record<string, {
  items: number; notes: number; kind: string;
  input: number; output: number; cacheRead: number; cacheCreation: number;
  cost: number | undefined; numTurns: number | undefined; tools: Record<string, number>; context: number | undefined;
}> = {
  'basic-query.jsonl': { items: 3, notes: 0, kind: 'ok', input: 10, output: 25, cacheRead: 0, cacheCreation: 21570, cost: 0.1354875, numTurns: 1, tools: {}, context: 21585 },
  'list-files.jsonl': { items: 4, notes: 0, kind: 'ok', input: 18, output: 424, cacheRead: 17254, cacheCreation: 25067, cost: 0.24722425, numTurns: 2, tools: { Bash: 1 }, context: 20824 },
  'write-file.jsonl': { items: 6, notes: 0, kind: 'ok', input: 11, output: 235, cacheRead: 29482, cacheCreation: 489, cost: 0.09007774999999998, numTurns: 4, tools: { Write: 1 }, context: 15246 },
  'thinking-tools.jsonl': {
    items: 12, notes: 0, kind: 'ok', input: 32, output: 216, cacheRead: 88452, cacheCreation: 2352, cost: 0.0213841, numTurns: 5,
    tools: { mcp__hyperhive__set_status: 2, Bash: 1, mcp__hyperhive__send: 1 }, context: 18390,
  },
  'propose-config.jsonl': { items: 6, notes: 0, kind: 'ok', input: 34, output: 138, cacheRead: 52166, cacheCreation: 2828, cost: 0.0312486, numTurns: 6, tools: {}, context: 18748 },
  'error-result.jsonl': { items: 2, notes: 0, kind: 'failed', input: 50, output: 10, cacheRead: 0, cacheCreation: 0, cost: 0.005, numTurns: 1, tools: {}, context: undefined },
  'prompt-too-long.jsonl': { items: 3, notes: 0, kind: 'prompt_too_long', input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cost: 0, numTurns: 1, tools: {}, context: undefined },
  'compact.jsonl': { items: 3, notes: 0, kind: 'ok', input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cost: 0.0415237, numTurns: 1, tools: {}, context: undefined },
  'not-logged-in.jsonl': { items: 3, notes: 0, kind: 'needs_login', input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cost: 0, numTurns: 1, tools: {}, context: undefined },
  'usage-limit.jsonl': { items: 4, notes: 0, kind: 'usage_limited', input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cost: 0, numTurns: 1, tools: {}, context: undefined },
  'garbage.jsonl': { items: 8, notes: 3, kind: 'ok', input: 3, output: 20, cacheRead: 9000, cacheCreation: 0, cost: 0.00118, numTurns: 1, tools: { Read: 1 }, context: 9023 },
};

function feed(bytes: Buffer, chunkSize: number): StreamItem[] {
  const parser = new StreamParser();
  const out: StreamItem[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) out.push(...parser.push(bytes.subarray(i, i + chunkSize)));
  out.push(...parser.end());
  return out;
}

test('every transcript file is covered by the expectations', () => {
  assert.deepEqual(fs.readdirSync(TRANSCRIPTS).filter((f) => f.endsWith('.jsonl')).sort(), Object.keys(EXPECTED).sort());
});

for (const [file, want] of Object.entries(EXPECTED)) {
  test(`${file}: same items in 1-, 7- and 4096-byte chunks, exact stats`, () => {
    const bytes = fs.readFileSync(path.join(TRANSCRIPTS, file));
    const whole = feed(bytes, bytes.length);
    assert.equal(whole.length, want.items);
    assert.equal(whole.filter((i) => i.kind === 'note').length, want.notes);
    for (const size of [1, 7, 4096]) assert.deepEqual(feed(bytes, size), whole, `chunk size ${size}`);

    const tally = new RunTally();
    for (const item of whole) tally.observe(item);
    assert.equal(classifyRun(tally, { exitCode: 0, signal: null, cancelled: false }), want.kind);
    assert.deepEqual(tally.toolCalls, want.tools);
    assert.equal(tally.contextTokens, want.context);
    const row = buildTurnStat([tally], {
      model: 'haiku', wakeFrom: 'operator', resultKind: 'ok', startedAtMs: 1000, endedAtMs: 3500, openThreads: 2, openReminders: 1,
    });
    assert.equal(row.input_tokens, want.input);
    assert.equal(row.output_tokens, want.output);
    assert.equal(row.cache_read_input_tokens, want.cacheRead);
    assert.equal(row.cache_creation_input_tokens, want.cacheCreation);
    assert.equal(row.cost_usd, want.cost);
    assert.equal(row.num_turns, want.numTurns);
    assert.deepEqual(row.tool_calls, want.tools);
    assert.equal(row.tool_call_count, Object.values(want.tools).reduce((a, b) => a + b, 0));
    assert.equal(row.duration_ms, 2500);
    assert.equal(row.started_at, 1);
    assert.equal(row.open_threads_count, 2);
    assert.equal(row.open_reminders_count, 1);
  });
}

test('garbage: non-JSON and non-object lines become notes, unknown types pass through, a cut-off tail is reported', () => {
  const items = feed(fs.readFileSync(path.join(TRANSCRIPTS, 'garbage.jsonl')), 7);
  assert.deepEqual(items.map((i) => (i.kind === 'stream' ? `stream:${i.data.type}` : 'note')), [
    'stream:system', 'note', 'stream:stream_event', 'note', 'stream:assistant', 'stream:future_event_kind', 'stream:result', 'note',
  ]);
  assert.match((items[1] as { text: string }).text, /^stdout: npm WARN/);
  assert.match((items[7] as { text: string }).text, /^output ended mid-line: \{"type":"assistant"/);
});

test('a process that dies mid-line: the unfinished JSON is a note, never a stream event', () => {
  const parser = new StreamParser();
  assert.deepEqual(parser.push(Buffer.from('{"type":"assistant","mess')), []);
  const tail = parser.end();
  assert.equal(tail.length, 1);
  assert.equal(tail[0]!.kind, 'note');
  assert.deepEqual(new StreamParser().end(), []);
});

test('run classification: cancel beats everything, a non-zero exit fails an ok result, no result fails', () => {
  const ok = new RunTally();
  ok.observe(parseStreamLine('{"type":"result","subtype":"success","is_error":false,"result":"x","usage":{}}'));
  assert.equal(classifyRun(ok, { exitCode: 0, signal: null, cancelled: false }), 'ok');
  assert.equal(classifyRun(ok, { exitCode: 1, signal: null, cancelled: false }), 'failed');
  assert.equal(classifyRun(ok, { exitCode: null, signal: 'SIGINT', cancelled: true }), 'cancelled');
  assert.equal(classifyRun(new RunTally(), { exitCode: 0, signal: null, cancelled: false }), 'failed');
});

test('stats of several runs add up (prompt too long → /compact → retry)', () => {
  const tallies = ['prompt-too-long.jsonl', 'compact.jsonl', 'list-files.jsonl'].map((f) => {
    const t = new RunTally();
    for (const item of feed(fs.readFileSync(path.join(TRANSCRIPTS, f)), 4096)) t.observe(item);
    return t;
  });
  const row = buildTurnStat(tallies, { model: 'm', wakeFrom: 'x', resultKind: 'prompt_too_long', startedAtMs: 0, endedAtMs: 1, openThreads: 0, openReminders: 0 });
  assert.equal(row.cost_usd, 0 + 0.0415237 + 0.24722425);
  assert.equal(row.num_turns, 4);
  assert.equal(row.output_tokens, 424);
  assert.deepEqual(row.tool_calls, { Bash: 1 });
  assert.equal(row.result_kind, 'prompt_too_long');
});

test('context size of one model call: everything read plus written; all-zero usage says nothing', () => {
  assert.equal(contextTokensOf({ input_tokens: 10, cache_creation_input_tokens: 3556, cache_read_input_tokens: 17254, output_tokens: 4 }), 20824);
  assert.equal(contextTokensOf({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }), undefined);
  assert.equal(contextTokensOf(undefined), undefined);
  assert.equal(contextTokensOf({ input_tokens: 'many' }), undefined);
});

/** A tally of `lines` (stream-json objects or `stderr: …` notes) read at a fixed clock. */
function tallyOf(lines: (object | string)[], nowMs = Date.UTC(2026, 10, 22, 9, 0)): RunTally {
  const tally = new RunTally(() => ({ nowMs, timeZone: 'UTC' }));
  for (const line of lines) tally.observe(typeof line === 'string' ? { kind: 'note', text: line } : { kind: 'stream', data: line as Record<string, unknown> });
  return tally;
}
const failedExit = { exitCode: 1, signal: null, cancelled: false };
const errorResult = (text: string) => ({ type: 'result', subtype: 'success', is_error: true, result: text, usage: {} });

test('the real CLI logged out (recorded from 2.1.330): needs_login, with its words in the failure', () => {
  const tally = new RunTally();
  for (const item of feed(fs.readFileSync(path.join(TRANSCRIPTS, 'not-logged-in.jsonl')), 4096)) tally.observe(item);
  assert.equal(tally.loginRequired, true);
  assert.equal(classifyRun(tally, failedExit), 'needs_login');
  assert.equal(describeFailure(tally, failedExit), 'claude is not logged in: Not logged in · Please run /login');
});

test('a usage limit: the rejected rate_limit_event\'s reset time wins, claude\'s own words are kept', () => {
  const tally = new RunTally();
  for (const item of feed(fs.readFileSync(path.join(TRANSCRIPTS, 'usage-limit.jsonl')), 4096)) tally.observe(item);
  assert.equal(classifyRun(tally, failedExit), 'usage_limited');
  assert.deepEqual(tally.usageLimit, { text: "You've hit your limit · resets 1pm (UTC)", resetsAt: 1763730000 });
});

test('usage limits in each form claude has printed, with their reset times', () => {
  const at9 = Date.UTC(2026, 10, 22, 9, 0) / 1000;
  const cases: [string, number | undefined][] = [
    ['Claude AI usage limit reached|1763730000', 1763730000],
    ['Claude usage limit reached. Your limit will reset at 5pm (Europe/Warsaw).', Date.UTC(2026, 10, 22, 16, 0) / 1000],
    ['5-hour limit reached ∙ resets 3pm', at9 + 6 * 3600],
    ["You've hit your session limit · resets 12:50am (America/Los_Angeles)", Date.UTC(2026, 10, 22, 8, 50) / 1000 + 86400],
    ["You've hit your weekly limit · resets Nov 24, 3pm (UTC)", Date.UTC(2026, 10, 24, 15, 0) / 1000],
    ['You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.', Date.UTC(2026, 11, 1) / 1000],
    ['Claude usage limit reached.', undefined],
  ];
  for (const [text, resetsAt] of cases) {
    const tally = tallyOf([errorResult(text)]);
    assert.equal(classifyRun(tally, failedExit), 'usage_limited', text);
    assert.equal(tally.usageLimit?.resetsAt, resetsAt, text);
  }
  // On stderr too.
  const viaStderr = tallyOf(['stderr: Claude AI usage limit reached|1763730000']);
  assert.equal(classifyRun(viaStderr, failedExit), 'usage_limited');
  assert.equal(viaStderr.usageLimit?.resetsAt, 1763730000);
});

test('a run that succeeded is never held for what its text says; a plain failure stays failed', () => {
  const said = tallyOf([
    { type: 'assistant', message: { content: [{ type: 'text', text: 'The docs say: "Claude AI usage limit reached|1763730000" and "Not logged in · Please run /login".' }] } },
    { type: 'result', subtype: 'success', is_error: false, result: 'done', usage: {} },
  ]);
  assert.equal(classifyRun(said, { exitCode: 0, signal: null, cancelled: false }), 'ok');
  assert.equal(said.usageLimit, null);
  assert.equal(said.loginRequired, false);
  const other = tallyOf([errorResult('API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}')]);
  assert.equal(classifyRun(other, failedExit), 'failed');
  // A cancel still beats a limit.
  assert.equal(classifyRun(tallyOf([errorResult('5-hour limit reached ∙ resets 3pm')]), { exitCode: null, signal: 'SIGINT', cancelled: true }), 'cancelled');
});

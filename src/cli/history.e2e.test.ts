/**
 * End to end: the ctl's history verbs (`search`, …) against a real
 * hyperhive-core (external backend) in a temp dir. The test acts as the
 * agents on their sockets.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { entries, runProgram, startCore, waitFor, type ProgramRun, type RunningCore } from '../testing/hive.js';
import { requestOnce } from '../protocol/client.js';

let core: RunningCore;

function ctl(args: string[]): Promise<ProgramRun> {
  return runProgram(entries.ctl, args, { env: { HYPERHIVE_SOCKET: core.hostSocket } });
}

const HOSTILE = 'pwn\u001b[2J\u001b]0;title\u0007\u009b31m\u202eEND';
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

before(async () => {
  core = await startCore({ config: { manager: 'boss', agents: { boss: {}, iris: { parent: 'boss' }, 'web-dev': {} } } });
});

after(async () => {
  await core?.cleanup();
});

/** Emit live events as `agent`'s harness would. */
async function emit(agent: string, events: object[]): Promise<{ first_seq: number; last_seq: number }> {
  const res = await core.agentRequest<{ ok: boolean; first_seq: number; last_seq: number }>(agent, { cmd: 'emit', events });
  assert.equal(res.ok, true);
  return res;
}

const toolResult = (text: string) => ({ kind: 'stream', data: { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: text }] } } });

test('search finds words in every agent\'s stream, grouped by agent and turn; --json is the answer; bad queries and names are refused', async () => {
  const turn = await emit('iris', [{ kind: 'turn_start', from: 'operator', body: `look at the flaky test ${HOSTILE}`, unread: 0 }]);
  await emit('iris', [
    { kind: 'stream', data: { type: 'assistant', message: { content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'npm test' } }] } } },
    toolResult('# tests 42\n# fail 1: the flaky test timed out'),
    { kind: 'heartbeat', elapsed_secs: 1, stdout_bytes: 1, stdout_delta_bytes: 1, stagnant_heartbeats: 0, pid: 1, pid_alive: true },
  ]);
  const other = await emit('web-dev', [{ kind: 'note', text: 'stderr: a flaky network test' }]);
  // The index follows the store a moment behind.
  const json = await waitFor(
    async () => {
      const r = await ctl(['search', 'flaky', 'test', '--json']);
      const answer = JSON.parse(r.stdout) as { hits: { seq: number }[] };
      return answer.hits.length === 3 ? answer : undefined;
    },
    { what: 'the three events in the index' },
  );
  assert.deepEqual(
    (json as unknown as { hits: { seq: number; agent: string; source: string; turn: number | null }[] }).hits.map((h) => [h.seq, h.agent, h.source, h.turn]),
    [
      [other.first_seq, 'web-dev', 'note', null],
      [turn.first_seq + 2, 'iris', 'tool_result', turn.first_seq],
      [turn.first_seq, 'iris', 'turn_start', turn.first_seq],
    ],
  );

  const human = await ctl(['search', 'flaky test']);
  assert.equal(human.code, 0, human.stderr);
  assert.doesNotMatch(human.stdout, TERMINAL_UNSAFE);
  const lines = human.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'web-dev — 1 hit');
  assert.equal(lines[1], '  before its oldest stored turn');
  assert.match(lines[2]!, new RegExp(`^    #${other.first_seq}  note         stderr: a flaky network test$`));
  assert.equal(lines[3], 'iris — 2 hits');
  assert.match(lines[4]!, new RegExp(`^  turn #${turn.first_seq}, \\d+s ago, from operator: look at the flaky test pwn.*END$`));
  assert.match(lines[5]!, new RegExp(`^    #${turn.first_seq}  message      look at the flaky test`), 'hits in stream order within the turn');
  assert.match(lines[6]!, new RegExp(`^    #${turn.first_seq + 2}  tool result  # tests 42 # fail 1: the flaky test timed out$`));

  const onlyIris = await ctl(['search', 'flaky', '--agent', 'iris', '--limit', '1']);
  assert.equal(onlyIris.code, 0, onlyIris.stderr);
  assert.match(onlyIris.stdout, /^iris — 1 hit$/m);
  assert.doesNotMatch(onlyIris.stdout, /web-dev/);
  assert.match(onlyIris.stdout, new RegExp(`older hits: hyperhive search flaky --agent iris --before ${turn.first_seq + 2}\\n$`));
  const older = await ctl(['search', 'flaky', '--agent', 'iris', '--before', String(turn.first_seq + 2)]);
  assert.match(older.stdout, new RegExp(`#${turn.first_seq}  message`));
  assert.doesNotMatch(older.stdout, /older hits/);

  const phrase = await ctl(['search', '"test flaky"']);
  assert.equal(phrase.stdout, 'no events match\n', 'a phrase keeps its words in order');

  const garbage = await ctl(['search', '"()*:^', '--json']);
  assert.equal(garbage.code, 1);
  const refused = JSON.parse(garbage.stdout) as { ok: boolean; code: string; error: string };
  assert.equal(refused.code, 'bad_request');
  assert.match(refused.error, /search looks for words/);
  const operators = await ctl(['search', 'flaky', 'OR', 'nothing']);
  assert.equal(operators.stdout, 'no events match\n', 'OR is a word, not an operator');

  const unknown = await ctl(['search', 'flaky', '--agent', 'nobody']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'hyperhive: no agent named "nobody"\n');
  const usage = await ctl(['search']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /missing words to search for/);

  const readOnly = await requestOnce<{ ok: boolean; hits: unknown[] }>(core.readOnlySocket, { cmd: 'search', query: 'flaky' });
  assert.equal(readOnly.ok, true, 'search is a read verb');
  assert.equal(readOnly.hits.length, 3);
});

test('recap shows what happened since the last look, then marks it seen; --since shows a window and marks nothing', async () => {
  const stat = {
    model: 'haiku', wake_from: 'operator', result_kind: 'failed', started_at: Date.now() / 1000 - 3, ended_at: Date.now() / 1000, duration_ms: 3000,
    input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, cost_usd: 0.5,
    tool_call_count: 0, tool_calls: {}, open_threads_count: 0, open_reminders_count: 0,
  };
  const turn = await emit('boss', [{ kind: 'turn_start', from: 'operator', body: 'plan the week', unread: 0 }, { kind: 'turn_end', ok: false, note: `exit code 1 ${HOSTILE}` }]);
  await core.agentRequest('boss', { cmd: 'turn_stat', row: stat });
  await core.agentRequest('iris', { cmd: 'send', to: 'operator', body: `the docs are done ${HOSTILE}` });
  const asked = await core.agentRequest<{ id: number }>('iris', { cmd: 'ask', question: 'ship it?', options: ['yes', 'no'] });
  assert.equal((await ctl(['answer', String(asked.id), 'yes'])).code, 0);
  const lapsing = await core.agentRequest<{ id: number }>('boss', { cmd: 'ask', question: 'anyone there?', ttl_seconds: 1 });
  await waitFor(async () => {
    const qs = await core.request<{ questions: { id: number; answer?: string }[] }>({ cmd: 'questions' });
    return qs.questions.find((q) => q.id === lapsing.id)?.answer === '[expired]';
  }, { what: 'the question to expire' });
  const spawned = await ctl(['spawn', 'scout']);
  const approvalId = Number(/approval #(\d+)/.exec(spawned.stdout)![1]);
  assert.equal((await ctl(['deny', String(approvalId), '--note', 'not now'])).code, 0);
  // A recap ends at the last whole second: wait until one (which marks nothing) holds all of the above.
  await waitFor(async () => {
    const r = JSON.parse((await ctl(['recap', '--since', '1h', '--json'])).stdout) as { counts: { approvals: number; questions: number; messages: number; turns: number } };
    return r.counts.approvals === 1 && r.counts.questions === 2 && r.counts.messages === 1 && r.counts.turns === 1;
  }, { what: 'a recap with everything above' });

  const first = await ctl(['recap']);
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stdout, TERMINAL_UNSAFE);
  const out = first.stdout;
  assert.match(out, /^in the last day \(\S+@\S+ has not looked before\): 1 turn, \$0\.5000\n/);
  assert.match(out, new RegExp(`^  boss\\s+1\\s+\\$0\\.5000\\s+1 failed\\s+turn #${turn.first_seq}$`, 'm'));
  assert.match(out, new RegExp(`^turns that ended badly\\n  boss  turn #${turn.first_seq}  \\d+s ago  exit code 1 pwn.*END$`, 'm'));
  assert.match(out, new RegExp(`^  #${approvalId}  spawn scout  denied by \\S+@\\S+  \\d+s ago  not now$`, 'm'));
  assert.match(out, /^questions resolved \(1 expired\)$/m);
  assert.match(out, new RegExp(`^  #${lapsing.id}  boss → operator  anyone there\\?  expired  \\d+s ago$`, 'm'));
  assert.match(out, new RegExp(`^  #${asked.id}  iris → operator  ship it\\?  yes — by \\S+@\\S+  \\d+s ago$`, 'm'));
  assert.match(out, /^messages to you\n  #\d+  iris  \d+s ago  \(unread\)  the docs are done pwn.*END$/m);
  assert.match(out, /^waiting for you now: 1 unread message$/m);

  const second = await ctl(['recap']);
  assert.match(second.stdout, /^nothing new since your last look \d+s ago \(\S+@\S+\)\n/);
  const window = await ctl(['recap', '--since', '1h', '--json']);
  assert.equal(window.code, 0, window.stderr);
  const answer = JSON.parse(window.stdout) as { counts: { turns: number; questions: number; questions_expired: number }; looked_at: number | null };
  assert.deepEqual([answer.counts.turns, answer.counts.questions, answer.counts.questions_expired], [1, 2, 1]);
  assert.ok(answer.looked_at !== null, 'the last look is known');
  assert.match((await ctl(['recap'])).stdout, /^nothing new/, '--since marked nothing');

  const bad = await ctl(['recap', '--since', 'yesterday']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--since takes a time ago \(90s, 15m, 2h, 1h30m, 3d, 1w\) or a date/);
  const readOnly = await requestOnce<{ ok: boolean; code?: string }>(core.readOnlySocket, { cmd: 'mark_seen', actor: 'eve@box' });
  assert.equal(readOnly.code, 'forbidden');
  assert.equal((await requestOnce<{ ok: boolean }>(core.readOnlySocket, { cmd: 'recap', actor: 'eve@box' })).ok, true, 'recap is a read verb');
});

test('messages shows who sent what to whom in order, with its state, and who waits on whom; --agent keeps to one end', async () => {
  const asked = await core.agentRequest<{ id: number }>('iris', { cmd: 'ask', question: `which port ${HOSTILE}?`, to: 'web-dev' });
  const out = await core.agentRequest<{ id: number }>('iris', { cmd: 'send', to: 'web-dev', body: 'the build is red' });
  const back = await core.agentRequest<{ id: number }>('web-dev', { cmd: 'send', to: 'iris', body: 'looking', in_reply_to: out.id });
  // web-dev takes and handles iris's message; iris has not yet read the reply.
  const taken = await core.agentRequest<{ messages: { id: number }[] }>('web-dev', { cmd: 'recv', wait_ms: 0, max: 100 });
  assert.ok(taken.messages.some((m) => m.id === out.id));
  await core.agentRequest('web-dev', { cmd: 'ack', ids: taken.messages.map((m) => m.id) });

  const human = await ctl(['messages', '--agent', 'iris']);
  assert.equal(human.code, 0, human.stderr);
  assert.doesNotMatch(human.stdout, TERMINAL_UNSAFE);
  const lines = human.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'waiting on an answer');
  assert.match(lines[2]!, new RegExp(`^  iris\\s+web-dev\\s+#${asked.id}\\s+\\d+s ago\\s+in \\d+h\\s+which port pwn.*END\\?$`));
  const rows = lines.filter((l) => /^#\d+ /.test(l));
  const outRow = rows.findIndex((l) => l.startsWith(`#${out.id} `));
  const backRow = rows.findIndex((l) => l.startsWith(`#${back.id} `));
  assert.ok(outRow >= 0 && backRow === outRow + 1, 'oldest first, in the order sent');
  assert.match(rows[outRow]!, /\biris\s+→ web-dev\s+acked\s+the build is red$/);
  assert.match(rows[backRow]!, new RegExp(`\\bweb-dev\\s+→ iris\\s+unread\\s+re #${out.id}: looking$`));
  for (const row of rows) assert.match(row, /\biris\b/, 'only iris\'s traffic');

  const json = JSON.parse((await ctl(['messages', '--json', '--limit', '1'])).stdout) as { messages: { id: number; state: string }[]; waiting: { question_id: number }[]; more: boolean };
  assert.deepEqual(json.messages.map((m) => m.id), [back.id]);
  assert.equal(json.more, true);
  assert.ok(json.waiting.some((w) => w.question_id === asked.id));
  const older = await ctl(['messages', '--limit', '1']);
  assert.match(older.stdout, new RegExp(`older ones: hyperhive messages --before ${back.id}\\n$`));

  const operatorSide = await ctl(['messages', '--agent', 'operator', '--json']);
  const operatorMessages = (JSON.parse(operatorSide.stdout) as { messages: { from: string; to: string }[] }).messages;
  assert.ok(operatorMessages.length > 0 && operatorMessages.every((m) => m.from === 'operator' || m.to === 'operator'));
  const bad = await ctl(['messages', '--agent', 'Not A Name']);
  assert.equal(bad.code, 2);
  assert.equal((await requestOnce<{ ok: boolean }>(core.readOnlySocket, { cmd: 'messages' })).ok, true, 'messages is a read verb');
});

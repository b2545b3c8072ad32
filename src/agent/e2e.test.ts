/**
 * End to end: the real core (compiled), the process backend, the real
 * harness and fake-claude replaying recorded transcripts through the real
 * MCP server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collectLines, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import type { AgentStatusRow, TurnStat } from '../protocol/index.js';
import { FAKE_CLAUDE, TRANSCRIPTS } from './test-paths.js';
import { AgentStore } from './agent-store.js';

function hive(env: Record<string, string>, extra: Record<string, unknown> = {}) {
  return {
    name: 'e2e',
    backend: 'process',
    ...extra,
    agents: {
      iris: {
        model: 'haiku',
        command: ['node', FAKE_CLAUDE],
        env: { FAKE_CLAUDE_PACE_MS: '0', HYPERHIVE_HEARTBEAT_MS: '100', HYPERHIVE_CANCEL_GRACE_MS: '2000', ...env },
      },
    },
  };
}

async function turnStats(core: RunningCore): Promise<TurnStat[]> {
  const res = await core.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' });
  return res.turn_stats ?? [];
}

async function row(core: RunningCore): Promise<AgentStatusRow | undefined> {
  const res = await core.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' });
  return res.agent_statuses.find((r) => r.name === 'iris');
}

/** The pid of iris's harness, read from /proc (the backend does not publish it). */
function harnessPid(core: RunningCore): number | undefined {
  const needle = path.join(core.stateDir, 'agents', 'iris');
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes('run') && argv.includes(needle)) return Number(entry);
    } catch {
      // gone already
    }
  }
  return undefined;
}

test('an operator message produces a turn whose stats row in the core has the transcript\'s exact numbers', async () => {
  const core = await startCore({ config: hive({ FAKE_CLAUDE_TRANSCRIPT: path.join(TRANSCRIPTS, 'list-files.jsonl') }) });
  try {
    await waitFor(async () => (await row(core))?.running, { what: 'iris running', timeoutMs: 20_000 });
    const stream = await core.connect();
    const ack = await stream.request<{ ok: boolean }>({ cmd: 'agent_stream', name: 'iris', history: 0 });
    assert.equal(ack.ok, true);
    const live = collectLines(stream);
    const sent = await core.request<{ ok: boolean; id: number }>({ cmd: 'send', to: 'iris', body: 'list the files please' });
    assert.equal(sent.ok, true);
    const stat = await waitFor(async () => (await turnStats(core)).find((s) => s.wake_from === 'operator'), { what: 'the operator turn\'s stats row', timeoutMs: 20_000 });
    assert.equal(stat.result_kind, 'ok');
    assert.equal(stat.model, 'haiku');
    assert.equal(stat.input_tokens, 18);
    assert.equal(stat.output_tokens, 424);
    assert.equal(stat.cache_read_input_tokens, 17254);
    assert.equal(stat.cache_creation_input_tokens, 25067);
    assert.equal(stat.cost_usd, 0.24722425);
    assert.equal(stat.num_turns, 2);
    assert.equal(stat.tool_call_count, 1);
    assert.deepEqual(stat.tool_calls, { Bash: 1 });
    assert.ok(stat.duration_ms >= 0 && stat.ended_at >= stat.started_at);

    // The live stream saw the whole turn, in order.
    const turn = await waitFor(() => {
      const start = live.findIndex((e) => e.kind === 'turn_start' && e.body === 'list the files please');
      const end = live.findIndex((e, i) => i > start && e.kind === 'turn_end');
      return start >= 0 && end > start ? live.slice(start, end + 1) : undefined;
    }, { what: 'turn_start … turn_end on agent_stream' });
    const streamTypes = turn.filter((e) => e.kind === 'stream').map((e) => (e.data as { type: string }).type);
    assert.deepEqual(streamTypes, ['system', 'assistant', 'user', 'result']);
    assert.equal(turn.at(-1)!.ok, true);
    const seqs = turn.map((e) => e.seq as number);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.ok(live.some((e) => e.kind === 'token_usage_changed' && (e.usage as { context_tokens?: number }).context_tokens === 20824));

    // The agent's own sqlite has the same row.
    const store = new AgentStore(path.join(core.stateDir, 'agents', 'iris', 'agent.sqlite'));
    try {
      const local = store.turnStats().find((s) => s.wake_from === 'operator');
      assert.equal(local?.cost_usd, 0.24722425);
    } finally {
      store.close();
    }
    // The message is acked (the harness acks after it reports the turn's stats, so wait for it): it is not handed out again.
    await waitFor(async () => (await row(core))?.unread === 0, { what: 'the operator message acked', timeoutMs: 20_000 });
    stream.close();
  } finally {
    await core.cleanup();
  }
});

test('killing the harness mid-turn: the message is delivered again when it comes back', async () => {
  const core = await startCore({ config: hive({ FAKE_CLAUDE_TRANSCRIPT: path.join(TRANSCRIPTS, 'basic-query.jsonl'), FAKE_CLAUDE_HANG_ON: 'please hang' }) });
  try {
    await waitFor(async () => (await row(core))?.running, { what: 'iris running', timeoutMs: 20_000 });
    const stream = await core.connect();
    await stream.request({ cmd: 'agent_stream', name: 'iris', history: 0 });
    const live = collectLines(stream);
    await core.request({ cmd: 'send', to: 'iris', body: 'please hang on this one' });
    const starts = () => live.filter((e) => e.kind === 'turn_start' && e.body === 'please hang on this one').length;
    await waitFor(() => starts() === 1, { what: 'the turn to start', timeoutMs: 20_000 });
    const pid = await waitFor(() => harnessPid(core), { what: 'the harness pid' });
    process.kill(pid, 'SIGKILL');
    await waitFor(() => starts() === 2, { what: 'the same message to start a second turn', timeoutMs: 20_000 });
    const newPid = harnessPid(core);
    assert.ok(newPid !== undefined && newPid !== pid, 'a new harness runs the redelivered message');
    stream.close();
  } finally {
    await core.cleanup();
  }
});

test('a turn with no output is flagged stalled; cancel_turn ends it as cancelled', async () => {
  const core = await startCore({
    config: hive({ FAKE_CLAUDE_TRANSCRIPT: path.join(TRANSCRIPTS, 'basic-query.jsonl'), FAKE_CLAUDE_HANG_ON: 'please hang' }, { stall_heartbeats: 3 }),
  });
  try {
    await waitFor(async () => (await row(core))?.running, { what: 'iris running', timeoutMs: 20_000 });
    // The start-up turn must be over, or a slow start of it could be the stalled turn we cancel.
    await waitFor(async () => (await turnStats(core)).some((s) => s.wake_from === 'system'), { what: 'the start-up turn', timeoutMs: 20_000 });
    const stream = await core.connect();
    await stream.request({ cmd: 'agent_stream', name: 'iris', history: 0 });
    const live = collectLines(stream);
    await core.request({ cmd: 'send', to: 'iris', body: 'please hang forever' });
    await waitFor(() => live.some((e) => e.kind === 'turn_start' && e.body === 'please hang forever'), { what: 'the hanging turn to start' });
    stream.close();
    const stalled = await waitFor(async () => {
      const r = await row(core);
      return r?.stalled === true && r.turn_state === 'thinking' ? r : undefined;
    }, { what: 'the status row to show the turn stalled', timeoutMs: 20_000 });
    assert.equal(stalled.turn_state, 'thinking');
    const res = await core.request<{ ok: boolean; error?: string }>({ cmd: 'agent_control', name: 'iris', action: 'cancel_turn' });
    assert.equal(res.ok, true, res.error);
    const stat = await waitFor(async () => (await turnStats(core)).find((s) => s.wake_from === 'operator'), { what: 'the cancelled turn\'s stats row', timeoutMs: 20_000 })
      .catch((err: Error) => {
        throw new Error(`${err.message}\n${fs.readFileSync(path.join(core.stateDir, 'agents', 'iris', 'harness.log'), 'utf8')}`);
      });
    assert.equal(stat.result_kind, 'cancelled');
    // The stream says so too: a cancelled turn is not a failed one.
    // The stats row can arrive before the turn's last events are flushed: wait for its turn_end.
    const end = await waitFor(async () => {
      const history = await core.request<{ events: { kind: string; ok?: boolean; result_kind?: string }[] }>({ cmd: 'agent_events', name: 'iris', limit: 100 });
      const last = history.events.find((e) => e.kind === 'turn_end');
      return last?.result_kind === 'cancelled' ? last : undefined;
    }, { what: 'the cancelled turn\'s turn_end in the stream' }).catch(() => undefined);
    assert.deepEqual({ ok: end?.ok, result_kind: end?.result_kind }, { ok: false, result_kind: 'cancelled' });
    const after = await waitFor(async () => {
      const r = await row(core);
      return r && r.turn_state === 'idle' ? r : undefined;
    }, { what: 'iris idle again' });
    assert.notEqual(after.stalled, true);
  } finally {
    await core.cleanup();
  }
});

test('an agent whose command does not exist is failed, not running, and its message stays unacked', async () => {
  const config = hive({});
  config.agents.iris.command = ['/nonexistent/claude'];
  const core = await startCore({ config });
  try {
    await core.request({ cmd: 'send', to: 'iris', body: 'anyone there?' });
    const failed = await waitFor(async () => {
      const r = await row(core);
      return r?.failed ? r : undefined;
    }, { what: 'iris marked failed', timeoutMs: 20_000 });
    assert.equal(failed.running, false);
    assert.ok(failed.unread >= 1, 'the operator\'s message waits for a fixed agent');
    const history = await core.request<{ events: { kind: string; text?: string; result_kind?: string }[] }>({ cmd: 'agent_events', name: 'iris', limit: 100 });
    assert.ok(history.events.some((e) => e.kind === 'note' && /cannot run "\/nonexistent\/claude"/.test(e.text ?? '')), JSON.stringify(history.events));
    assert.match(core.stderr(), /agent iris cannot start its command/);
  } finally {
    await core.cleanup();
  }
});

test('controls: prompt too long → /compact → retry; set_model survives a restart; new_session drops --continue; pause holds the inbox', async () => {
  const argsLog = path.join(fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'hh-args-')), 'args.jsonl');
  const runs = () => (fs.existsSync(argsLog) ? fs.readFileSync(argsLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; stdin: string }) : []);
  const core = await startCore({
    config: hive({
      FAKE_CLAUDE_TRANSCRIPT: `${path.join(TRANSCRIPTS, 'prompt-too-long.jsonl')},${path.join(TRANSCRIPTS, 'list-files.jsonl')}`,
      FAKE_CLAUDE_ARGS_LOG: argsLog,
    }),
  });
  try {
    // The start-up turn (the `restarted` helper event) hits "Prompt is too long".
    const first = await waitFor(async () => (await turnStats(core)).find((s) => s.wake_from === 'system'), { what: 'the start-up turn', timeoutMs: 20_000 });
    assert.equal(first.result_kind, 'prompt_too_long');
    assert.equal(first.cost_usd, 0 + 0.0415237 + 0.24722425);
    assert.equal(first.num_turns, 1 + 1 + 2);
    assert.deepEqual(first.tool_calls, { Bash: 1 });
    assert.match(first.note ?? '', /compacted and retried: ok/);
    assert.deepEqual(runs().map((r) => r.stdin.trim() === '/compact'), [false, true, false]);
    const [tryRun, compactRun, retryRun] = runs();
    for (const flag of ['--print', '--verbose', '--output-format', 'stream-json', '--model', 'haiku', '--mcp-config', '--strict-mcp-config']) {
      assert.ok(tryRun!.argv.includes(flag), flag);
    }
    assert.ok(!tryRun!.argv.includes('--continue'), 'nothing to continue in a fresh state dir');
    assert.equal(compactRun!.stdin, '/compact');
    assert.equal(retryRun!.stdin, tryRun!.stdin, 'the retry sends the same wake-up text');

    // set_model: shown on the roster, persisted, used by the next turn, kept across a restart.
    assert.equal((await core.request({ cmd: 'agent_control', name: 'iris', action: 'set_model', model: 'opus' })).ok, true);
    await waitFor(async () => (await row(core))?.active_model === 'opus', { what: 'active_model opus' });
    assert.equal((JSON.parse(fs.readFileSync(path.join(core.stateDir, 'agents', 'iris', 'model'), 'utf8')) as { model: string }).model, 'opus');
    assert.equal((await core.request({ cmd: 'restart', name: 'iris' })).ok, true);
    await waitFor(async () => (await turnStats(core)).filter((s) => s.wake_from === 'system').length === 2, { what: 'the turn after the restart', timeoutMs: 20_000 });
    const afterRestart = (await turnStats(core)).find((s) => s.wake_from === 'system')!;
    assert.equal(afterRestart.model, 'opus');
    assert.equal(runs().at(-1)!.argv[runs().at(-1)!.argv.indexOf('--model') + 1], 'opus');
    assert.ok(runs().at(-1)!.argv.includes('--continue'), 'a session exists now, so turns continue it');

    // new_session: the next turn alone goes without --continue.
    assert.equal((await core.request({ cmd: 'agent_control', name: 'iris', action: 'new_session' })).ok, true);
    await core.request({ cmd: 'send', to: 'iris', body: 'fresh start' });
    await waitFor(() => runs().some((r) => r.stdin.includes('fresh start')), { what: 'the fresh-start turn' });
    assert.ok(!runs().find((r) => r.stdin.includes('fresh start'))!.argv.includes('--continue'));
    await core.request({ cmd: 'send', to: 'iris', body: 'and again' });
    await waitFor(() => runs().some((r) => r.stdin.includes('and again')), { what: 'the next turn' });
    assert.ok(runs().find((r) => r.stdin.includes('and again'))!.argv.includes('--continue'));

    // pause: a message waits in the inbox until resume.
    await waitFor(async () => (await row(core))?.turn_state === 'idle' && (await row(core))?.unread === 0, { what: 'iris idle' });
    assert.equal((await core.request({ cmd: 'set_paused', name: 'iris', paused: true })).ok, true);
    await core.request({ cmd: 'send', to: 'iris', body: 'while paused' });
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline) {
      assert.ok(!runs().some((r) => r.stdin.includes('while paused')), 'a paused agent must not start a turn');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await core.request({ cmd: 'set_paused', name: 'iris', paused: false })).ok, true);
    await waitFor(() => runs().some((r) => r.stdin.includes('while paused')), { what: 'the held message to run after resume' });
  } finally {
    await core.cleanup();
    fs.rmSync(path.dirname(argsLog), { recursive: true, force: true });
  }
});

test('fake-claude performs the transcript\'s hyperhive tool calls through the real MCP server', async () => {
  const core = await startCore({ config: hive({ FAKE_CLAUDE_TRANSCRIPT: path.join(TRANSCRIPTS, 'thinking-tools.jsonl') }) });
  try {
    // The start-up turn replays set_status("checking the build"), send(manager, …), set_status("idle: build green").
    const stat = await waitFor(async () => (await turnStats(core)).find((s) => s.wake_from === 'system'), { what: 'the start-up turn', timeoutMs: 20_000 });
    assert.deepEqual(stat.tool_calls, { mcp__hyperhive__set_status: 2, Bash: 1, mcp__hyperhive__send: 1 });
    assert.equal(stat.cost_usd, 0.0213841);
    assert.equal((await row(core))?.status_text, 'idle: build green');
    // There is no agent "manager" in this hive: the real refusal replaced the recorded tool result.
    const events = (await core.request<{ events: { kind: string; data?: { type?: string; message?: { content?: { type: string; is_error?: boolean; content?: unknown }[] } } }[] }>({ cmd: 'agent_events', name: 'iris', limit: 200 })).events;
    const results = events.flatMap((e) => (e.kind === 'stream' && e.data?.type === 'user' ? e.data.message?.content ?? [] : [])).filter((b) => b.type === 'tool_result');
    const sendResult = results.find((b) => JSON.stringify(b.content).includes('manager'));
    assert.ok(sendResult, JSON.stringify(results));
    assert.equal(sendResult.is_error, true);
  } finally {
    await core.cleanup();
  }
});

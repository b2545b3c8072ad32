/**
 * Harness benchmark (figures, not pass/fail):
 *  1. per-line overhead of the harness pipeline — parse + tally + sinks
 *     (sqlite history, JSONL record, forward batching + serialization, log);
 *  2. end to end — the real core, process backend, harness and fake-claude
 *     stream a 10,000-line turn; an `agent_stream` subscriber must get every
 *     line, in order.
 * Run: npm run build && node dist/bench/harness.js [lines]   (exit 1 when a target is missed)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentStore, FanoutSink, ForwardSink, JsonlSink, LogSink, RunTally, SqliteHistorySink, StreamParser, type StampedEvent } from '../src/agent/index.js';
import { collectLines, startCore, waitFor } from '../src/testing/hive.js';

const LINES = Number(process.argv[2] ?? 10_000);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fakeClaude = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');

/** A turn of `n` stream-json lines shaped like claude's (assistant text, tool use, tool result), numbered in `bench_n`. */
function transcript(n: number): string {
  const out: string[] = [JSON.stringify({ type: 'system', subtype: 'init', session_id: 'bench', tools: ['Bash'], model: 'claude-haiku-4-5', bench_n: 0 })];
  for (let i = 1; i < n - 1; i++) {
    const kind = i % 3;
    const line = kind === 0
      ? { type: 'assistant', bench_n: i, message: { id: `msg_${i}`, type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [{ type: 'text', text: `Step ${i}: looking at the next file and summarising what it does for the manager.` }], usage: { input_tokens: 4, cache_creation_input_tokens: 10, cache_read_input_tokens: 15000 + i, output_tokens: 30 } }, session_id: 'bench' }
      : kind === 1
        ? { type: 'assistant', bench_n: i, message: { id: `msg_${i}`, type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'Bash', input: { command: `cat src/file-${i}.ts`, description: 'Read a file' } }], usage: { input_tokens: 4, cache_creation_input_tokens: 10, cache_read_input_tokens: 15000 + i, output_tokens: 30 } }, session_id: 'bench' }
        : { type: 'user', bench_n: i, message: { role: 'user', content: [{ tool_use_id: `toolu_${i - 1}`, type: 'tool_result', content: `export const value${i} = ${i};\n`.repeat(4), is_error: false }] }, session_id: 'bench' };
    out.push(JSON.stringify(line));
  }
  out.push(JSON.stringify({ type: 'result', subtype: 'success', is_error: false, num_turns: n, result: 'done', total_cost_usd: 0.5, usage: { input_tokens: 100, output_tokens: 200, cache_read_input_tokens: 300, cache_creation_input_tokens: 400 }, bench_n: n - 1 }));
  return out.join('\n') + '\n';
}

async function perLine(text: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-bench-'));
  const store = new AgentStore(path.join(dir, 'agent.sqlite'));
  let forwardedBytes = 0;
  const forward = new ForwardSink(async (events) => {
    forwardedBytes += JSON.stringify({ cmd: 'emit', events }).length; // the serialization the socket write would do
    return { ok: true };
  }, () => undefined);
  const sinks = new FanoutSink([new SqliteHistorySink(store), forward, new JsonlSink(path.join(dir, 'run.jsonl')), new LogSink(() => undefined)], console.error);
  const bytes = Buffer.from(text);
  const rounds = 3;
  const timings: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const parser = new StreamParser();
    const tally = new RunTally();
    const start = process.hrtime.bigint();
    // 64 KiB chunks, like a pipe delivers them.
    for (let i = 0; i < bytes.length; i += 65536) {
      for (const item of parser.push(bytes.subarray(i, i + 65536))) {
        tally.observe(item);
        sinks.write({ ...item, ts_ms: Date.now() } as StampedEvent);
      }
    }
    await sinks.flush();
    const ns = Number(process.hrtime.bigint() - start);
    timings.push(ns / 1000 / LINES);
    if (tally.lines !== LINES) throw new Error(`parsed ${tally.lines} of ${LINES} lines`);
  }
  await sinks.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const best = Math.min(...timings);
  console.log(`per-line overhead (parse + tally + sqlite + jsonl + forward + log), ${LINES} lines of ~${Math.round(bytes.length / LINES)} B:`);
  if (best > 20) process.exitCode = 1;
  console.log(`  best ${best.toFixed(2)} µs/line, runs ${timings.map((t) => t.toFixed(2)).join(' / ')} µs/line (target ≤ 20 µs); forwarded ${(forwardedBytes / 1e6 / rounds).toFixed(1)} MB per run`);
}

async function endToEnd(text: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-'));
  const file = path.join(dir, 'turn.jsonl');
  fs.writeFileSync(file, text);
  const core = await startCore({
    dir,
    config: {
      name: 'bench',
      backend: 'process',
      agents: { iris: { command: ['node', fakeClaude], env: { FAKE_CLAUDE_PACE_MS: '0', FAKE_CLAUDE_TRANSCRIPT: `${path.join(repoRoot, 'fixtures', 'transcripts', 'basic-query.jsonl')},${file}` } } },
    },
  });
  try {
    const rowRunning = async () => ((await core.request<{ agent_statuses: { name: string; running: boolean; turn_state: string }[] }>({ cmd: 'agent_status' })).agent_statuses.find((r) => r.name === 'iris'));
    await waitFor(async () => (await rowRunning())?.running, { timeoutMs: 20_000, what: 'iris running' });
    // Let the start-up turn (the `restarted` helper event) finish first.
    await waitFor(async () => (await core.request<{ turn_stats: unknown[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats.length >= 1, { timeoutMs: 20_000, what: 'the start-up turn' });
    const conn = await core.connect();
    await conn.request({ cmd: 'agent_stream', name: 'iris', history: 0 });
    const live = collectLines(conn);
    const t0 = Date.now();
    await core.request({ cmd: 'send', to: 'iris', body: 'stream the big turn' });
    await waitFor(() => live.some((e) => e.kind === 'turn_end'), { timeoutMs: 120_000, intervalMs: 50, what: 'turn_end on the stream' });
    const elapsed = Date.now() - t0;
    const numbers = live.filter((e) => e.kind === 'stream').map((e) => (e.data as { bench_n?: number }).bench_n);
    const inOrder = numbers.every((n, i) => n === i);
    const seqs = live.map((e) => e.seq as number);
    const seqOrdered = seqs.every((s, i) => i === 0 || s > seqs[i - 1]!);
    const lagged = live.some((e) => e.kind === 'lagged');
    console.log(`end to end: ${numbers.length}/${LINES} stream lines reached the agent_stream subscriber, ${inOrder ? 'complete and in order' : 'NOT complete/in order'}, seq ${seqOrdered ? 'increasing' : 'NOT increasing'}${lagged ? ', LAGGED' : ''}`);
    console.log(`  turn_start → turn_end seen by the subscriber in ${elapsed} ms (${((elapsed * 1000) / LINES).toFixed(1)} µs/line through fake-claude → harness → core → subscriber)`);
    conn.close();
    if (!inOrder || numbers.length !== LINES) process.exitCode = 1;
  } finally {
    await core.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const text = transcript(LINES);
await perLine(text);
await endToEnd(text);

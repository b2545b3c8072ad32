/**
 * Benchmark: live agent events emitted over agent sockets, persisted by a real
 * hyperhive-core and delivered to one `agent_stream` subscriber per agent,
 * end to end (every event received, in seq order). Baseline in the same run:
 * the same event lines inserted one by one, each its own autocommit
 * transaction, into a fresh sqlite file with the default journal (the per-event
 * store design of the Rust harness).
 *
 * Run: node dist/bench/core-events.js [--agents 4] [--events 100000] [--batch 1000] [--window 8]
 */
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import Database from 'better-sqlite3';
import { numberFlag, rawRequest, startBenchCore } from './core-support/launch.js';

const TARGET_RATE = 100_000;
const TARGET_RATIO = 50;

const agentCount = numberFlag('agents', 4);
const eventsPerAgent = numberFlag('events', 100_000);
const batchSize = Math.min(numberFlag('batch', 1000), 5000);
const inFlight = 2;
const window = numberFlag('window', 8);

/** A realistic mix: mostly stream-json objects, some notes, heartbeats and usage updates. */
function makeEvent(i: number): Record<string, unknown> {
  const ts_ms = 1_763_700_000_000 + i;
  switch (i % 20) {
    case 0:
    case 1:
    case 2:
      return { kind: 'note', ts_ms, text: `tool result ${i}: wrote 3 files, 412 lines changed in src/core/servers` };
    case 3:
    case 4:
      return { kind: 'heartbeat', ts_ms, elapsed_secs: i % 600, stdout_bytes: i * 37, stdout_delta_bytes: 512, stagnant_heartbeats: 0, pid: 4242, pid_alive: true };
    case 5:
      return { kind: 'token_usage_changed', ts_ms, usage: { input_tokens: 12, output_tokens: i % 900, cache_read_input_tokens: 17_800, cache_creation_input_tokens: 0, context_tokens: 18_212 } };
    default:
      return {
        kind: 'stream',
        ts_ms,
        data: {
          type: 'assistant',
          message: {
            id: `msg_${i.toString(36)}`,
            role: 'assistant',
            content: [{ type: 'text', text: `Looking at the approval queue now; event ${i} of the run. Next I will read the diff and reply to the manager.` }],
            usage: { input_tokens: 3, output_tokens: 41 },
          },
          session_id: '6f1c2d9e-5b7a-4c3e-9a1f-2b8d7e6c5a40',
        },
      };
  }
}

/** The pre-encoded `emit` lines an agent sends (same payloads for every agent). */
function emitLines(): string[] {
  const lines: string[] = [];
  for (let start = 0; start < eventsPerAgent; start += batchSize) {
    const events: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(eventsPerAgent, start + batchSize); i++) events.push(makeEvent(i));
    lines.push(JSON.stringify({ cmd: 'emit', events }) + '\n');
  }
  return lines;
}

/**
 * One agent: sends its batches with at most `inFlight` unanswered and at most
 * `window` batches not yet seen by its subscriber (end-to-end flow control, so
 * the bench measures sustained delivery instead of tripping the lag guard).
 */
interface Emitter {
  done: Promise<void>;
  /** Call when the subscriber made progress. */
  pump(): void;
}

function startEmitter(socketPath: string, lines: readonly string[], delivered: () => number): Emitter {
  let pump = () => {};
  const done = new Promise<void>((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    socket.setEncoding('utf8');
    let connected = false;
    let sent = 0;
    let answered = 0;
    let buffer = '';
    pump = () => {
      if (!connected) return;
      const deliveredBatches = Math.floor(delivered() / batchSize);
      while (sent < lines.length && sent - answered < inFlight && sent - deliveredBatches < window) socket.write(lines[sent++]!);
    };
    socket.on('connect', () => {
      connected = true;
      pump();
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.includes('"ok":true')) {
          socket.destroy();
          reject(new Error(`emit refused: ${line.slice(0, 300)}`));
          return;
        }
        answered++;
      }
      if (answered === lines.length) {
        socket.end();
        resolve();
      } else pump();
    });
    socket.on('error', reject);
  });
  return { done, pump: () => pump() };
}

/** One `agent_stream` subscriber: counts events, checks seq order, resolves at `expected`. */
interface StreamWatcher {
  ready: Promise<void>;
  done: Promise<{ received: number; lastAt: bigint }>;
  received(): number;
  close(): void;
}

function watchStream(hostSocket: string, agent: string, expected: number, onProgress: () => void): StreamWatcher {
  const socket = net.createConnection(hostSocket);
  const decoder = new StringDecoder('utf8');
  let acked = false;
  let received = 0;
  let lastSeq = -1;
  let carry = '';
  let readyResolve!: () => void;
  let doneResolve!: (v: { received: number; lastAt: bigint }) => void;
  let fail!: (e: Error) => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const done = new Promise<{ received: number; lastAt: bigint }>((res, rej) => {
    doneResolve = res;
    fail = rej;
  });
  socket.on('connect', () => socket.write(JSON.stringify({ cmd: 'agent_stream', name: agent, history: 0 }) + '\n'));
  socket.on('data', (chunk: Buffer) => {
    const text = carry + decoder.write(chunk);
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      if (!acked) {
        const ack = JSON.parse(text.slice(start, nl)) as { ok?: boolean; error?: string };
        if (ack.ok !== true) return fail(new Error(`agent_stream refused: ${ack.error}`));
        acked = true;
        readyResolve();
      } else {
        // Events start `{"kind":"…","seq":N,`; reading seq without a full parse keeps the reader cheap.
        if (text.startsWith('{"kind":"lagged"', start)) return fail(new Error(`subscriber for ${agent} lagged after ${received} events`));
        const at = text.indexOf('"seq":', start);
        const seq = parseInt(text.slice(at + 6, at + 24), 10);
        if (!(seq > lastSeq)) return fail(new Error(`out of order on ${agent}: seq ${seq} after ${lastSeq}`));
        lastSeq = seq;
        received++;
        if (received === expected) doneResolve({ received, lastAt: process.hrtime.bigint() });
      }
      start = nl + 1;
    }
    carry = text.slice(start);
    onProgress();
  });
  socket.on('error', (err) => fail(err));
  socket.on('close', () => {
    if (received < expected) fail(new Error(`stream of ${agent} closed after ${received} of ${expected} events`));
  });
  return { ready, done, received: () => received, close: () => socket.destroy() };
}

/** The baseline: one INSERT per event, autocommit, default journal and sync, fresh file. */
function baselineRate(lines: readonly string[], budgetMs: number): { rate: number; count: number; journal: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hyperhive-bench-baseline-'));
  try {
    const db = new Database(path.join(dir, 'events.db'));
    const journal = String(db.pragma('journal_mode', { simple: true }));
    db.exec('CREATE TABLE agent_events (seq INTEGER PRIMARY KEY, agent TEXT NOT NULL, kind TEXT NOT NULL, line TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO agent_events (agent, kind, line) VALUES (?, ?, ?)');
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(budgetMs) * 1_000_000n;
    let count = 0;
    while (count < lines.length) {
      insert.run('a0', 'stream', lines[count]!);
      count++;
      if ((count & 63) === 0 && process.hrtime.bigint() > deadline) break;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    db.close();
    return { rate: count / seconds, count, journal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const agents = Array.from({ length: agentCount }, (_, i) => `a${i}`);
  const lines = emitLines();
  const total = agentCount * eventsPerAgent;
  console.log(`core-events: ${agentCount} agents × ${eventsPerAgent} events (batches of ${batchSize}, ≤ ${inFlight} unanswered, ≤ ${window} undelivered), one agent_stream subscriber per agent`);

  const core = await startBenchCore(agents);
  let coreRate: number;
  try {
    // A short warm-up so the first JIT and page-cache effects do not count.
    const warm = JSON.stringify({ cmd: 'emit', events: Array.from({ length: 100 }, (_, i) => makeEvent(i)) }) + '\n';
    for (const a of agents) {
      const answer = await rawRequest(core.agentSocket(a), warm);
      if (!answer.includes('"ok":true')) throw new Error(`warm-up emit refused: ${answer}`);
    }
    const emitters: Emitter[] = [];
    const watchers = agents.map((a, i) => watchStream(core.hostSocket, a, eventsPerAgent, () => emitters[i]?.pump()));
    await Promise.all(watchers.map((w) => w.ready));
    const started = process.hrtime.bigint();
    agents.forEach((a, i) => emitters.push(startEmitter(core.agentSocket(a), lines, () => watchers[i]!.received())));
    const emitted = Promise.all(emitters.map((e) => e.done));
    emitted.catch(() => {}); // awaited below; a failure must not surface as unhandled first
    const results = await Promise.all(watchers.map((w) => w.done));
    await emitted;
    const lastAt = results.reduce((m, r) => (r.lastAt > m ? r.lastAt : m), 0n);
    const seconds = Number(lastAt - started) / 1e9;
    coreRate = total / seconds;
    for (const w of watchers) w.close();
    console.log(`  hyperhive-core: ${total} events emitted, stored and received in order in ${seconds.toFixed(3)} s → ${Math.round(coreRate).toLocaleString('en-US')} events/s`);
  } catch (err) {
    const exit = core.child.exitCode ?? core.child.signalCode;
    throw new Error(`${(err as Error).message}${exit !== null ? ` (the core exited: ${exit})` : ''}\n${core.stderr()}`);
  } finally {
    await core.stop();
  }

  const perEventLines = Array.from({ length: Math.min(eventsPerAgent, 20_000) }, (_, i) => JSON.stringify(makeEvent(i)));
  const baseline = baselineRate(perEventLines, 5000);
  console.log(
    `  baseline (one autocommit INSERT per event, journal_mode=${baseline.journal}, default synchronous): ${baseline.count} events → ${Math.round(baseline.rate).toLocaleString('en-US')} events/s`,
  );
  const ratio = coreRate / baseline.rate;
  const rateOk = coreRate >= TARGET_RATE;
  const ratioOk = ratio >= TARGET_RATIO;
  console.log(`  ratio: ${ratio.toFixed(1)}×`);
  console.log(`  ${rateOk ? 'PASS' : 'FAIL'}: ≥ ${TARGET_RATE.toLocaleString('en-US')} events/s`);
  console.log(`  ${ratioOk ? 'PASS' : 'FAIL'}: ≥ ${TARGET_RATIO}× the baseline`);
  if (!rateOk || !ratioOk) process.exitCode = 1;
}

main().catch((err: Error) => {
  console.error(`core-events: ${err.message}`);
  process.exitCode = 2;
});

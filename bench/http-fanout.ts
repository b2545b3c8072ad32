/**
 * Benchmark: the dashboard channel fanned out to many readers by a real
 * hyperhive-core — 100 SSE clients on `/api/dashboard/stream` while 2,000
 * dashboard events a second flow (1,000 operator messages a second, each a
 * `sent` and an `agent_status` event) — and, in the same run, the same
 * fan-out to 100 host-socket `subscribe` readers for comparison. Every reader
 * must receive every event, in order (contiguous seqs); the figures are the
 * emit → reader latency (from writing the `send` request to a reader holding
 * its `sent` event; the producer and the readers share this process's clock)
 * and the core's CPU while it serves them.
 *
 * Run: node dist/bench/http-fanout.js [--clients 100] [--rate 2000] [--seconds 10]
 */
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import { numberFlag, percentile, startBenchCore, type BenchCore } from './core-support/launch.js';

const TARGET_P99_MS = 10;
const clients = numberFlag('clients', 100);
const eventsPerSecond = numberFlag('rate', 2000);
const seconds = numberFlag('seconds', 10);
/** Each `send` makes two dashboard events: `sent`, and the recipient's `agent_status` (its unread count). */
const sendsPerSecond = Math.round(eventsPerSecond / 2);

/** What one reader saw. */
interface Reader {
  ready: Promise<void>;
  /** Seqs received, in arrival order (checked contiguous at the end). */
  count(): number;
  firstSeq(): number;
  lastSeq(): number;
  /** A problem (out of order, a gap, lagged, closed early), or null. */
  problem(): string | null;
  close(): void;
}

/**
 * Shared by the readers: when each message was sent (by its number in the
 * body, from `first`), and the latencies seen. Preallocated typed arrays and
 * plain-number times, so the measuring process makes no garbage per event:
 * its own collector pauses would otherwise show up as the readers' tail.
 */
interface Clock {
  first: number;
  sentAt: Float64Array;
  latenciesMs: Float64Array;
  seen: number;
}

function newClock(first: number, messages: number, readers: number): Clock {
  return { first, sentAt: new Float64Array(messages).fill(NaN), latenciesMs: new Float64Array(messages * readers), seen: 0 };
}

/** Reads one event: its seq, and the message number of a `sent` event (its body is `m<n>`). */
function observe(state: ReaderState, clock: Clock, seq: number, body: string | null, now: number): void {
  if (state.problem) return;
  if (state.last !== -1 && seq !== state.last + 1) state.problem = `seq ${seq} after ${state.last}`;
  if (state.first === -1) state.first = seq;
  state.last = seq;
  state.count++;
  if (body !== null) {
    const sent = clock.sentAt[Number(body) - clock.first];
    if (sent !== undefined && !Number.isNaN(sent) && clock.seen < clock.latenciesMs.length) clock.latenciesMs[clock.seen++] = now - sent;
  }
}

const BODY = '"body":"m';

/** The message number in an event line (`…"body":"m123"…`), or null. */
function messageNumber(text: string, from: number, to: number): string | null {
  const at = text.indexOf(BODY, from);
  if (at === -1 || at > to) return null;
  const end = text.indexOf('"', at + BODY.length);
  return text.slice(at + BODY.length, end);
}

type ReaderState = { first: number; last: number; count: number; problem: string | null };
/** Takes the whole records at the start of `text` (calling `ack` once the reader is subscribed) and returns the rest. */
type Consume = (text: string, now: number, ack: { resolve(): void; reject(err: Error): void }) => string;

/** A reader on `socket`: `request` once connected, then every chunk through `consume`. */
function startReader(socket: net.Socket, request: string, state: ReaderState, consume: Consume): Reader {
  let stopped = false;
  const ready = new Promise<void>((resolve, reject) => {
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(request));
    let carry = '';
    socket.on('data', (chunk: string) => {
      carry = consume(carry + chunk, performance.now(), { resolve, reject });
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (!stopped) state.problem ??= 'the connection closed early';
    });
  });
  return {
    ready,
    count: () => state.count,
    firstSeq: () => state.first,
    lastSeq: () => state.last,
    problem: () => state.problem,
    close: () => {
      stopped = true;
      socket.destroy();
    },
  };
}

/**
 * One SSE reader on the dashboard stream, as curl -N reads it: a raw GET,
 * the status line and headers, then frames split on blank lines (`id:` is
 * the seq). The core sends the stream without chunked framing, so the body
 * is the event text itself.
 */
function sseReader(url: string, clock: Clock): Reader {
  const state: ReaderState = { first: -1, last: -1, count: 0, problem: null };
  const { hostname, port, host } = new URL(url);
  let headers = true;
  let acked = false;
  const request = `GET /api/dashboard/stream HTTP/1.1\r\nHost: ${host}\r\nAccept: text/event-stream\r\n\r\n`;
  return startReader(net.createConnection({ host: hostname, port: Number(port) }), request, state, (text, now, ack) => {
    if (headers) {
      const bodyAt = text.indexOf('\r\n\r\n');
      if (bodyAt === -1) return text;
      const head = text.slice(0, bodyAt);
      if (!head.startsWith('HTTP/1.1 200') || /transfer-encoding: chunked/i.test(head)) ack.reject(new Error(`unexpected stream response: ${head.slice(0, 300)}`));
      headers = false;
      text = text.slice(bodyAt + 4);
    }
    let start = 0;
    let end: number;
    while ((end = text.indexOf('\n\n', start)) !== -1) {
      if (!acked) {
        acked = text.slice(start, end).includes('\nevent: ack\n');
        if (acked) ack.resolve();
      } else if (text.startsWith('id: ', start)) {
        const seq = parseInt(text.slice(start + 4, start + 24), 10);
        const isSent = text.startsWith('event: sent', text.indexOf('\n', start) + 1);
        observe(state, clock, seq, isSent ? messageNumber(text, start, end) : null, now);
      } else if (text.startsWith('event: lagged', start)) state.problem ??= 'lagged';
      start = end + 2;
    }
    return text.slice(start);
  });
}

/** One host-socket reader: `subscribe`, then one JSON line per event. */
function socketReader(hostSocket: string, clock: Clock): Reader {
  const state: ReaderState = { first: -1, last: -1, count: 0, problem: null };
  let acked = false;
  return startReader(net.createConnection(hostSocket), '{"cmd":"subscribe"}\n', state, (text, now, ack) => {
    let start = 0;
    let end: number;
    while ((end = text.indexOf('\n', start)) !== -1) {
      if (!acked) {
        acked = true;
        if (text.startsWith('{"version":1,"ok":true', start)) ack.resolve();
        else ack.reject(new Error(`subscribe refused: ${text.slice(start, start + 200)}`));
      } else if (text.startsWith('{"kind":"lagged"', start)) state.problem ??= 'lagged';
      else {
        const at = text.indexOf('"seq":', start);
        const seq = parseInt(text.slice(at + 6, at + 24), 10);
        observe(state, clock, seq, text.startsWith('{"kind":"sent"', start) ? messageNumber(text, start, end) : null, now);
      }
      start = end + 1;
    }
    return text.slice(start);
  });
}

/** CPU seconds the process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Sends `send` requests at a steady rate over a few pipelined host-socket connections; resolves with the seq range the run made. */
async function produce(core: BenchCore, clock: Clock, first: number, count: number): Promise<void> {
  const connections = await Promise.all(
    Array.from({ length: 4 }, () => new Promise<net.Socket>((resolve, reject) => {
      const s = net.createConnection(core.hostSocket, () => resolve(s));
      s.on('error', reject);
    })),
  );
  let answered = 0;
  const allAnswered = new Promise<void>((resolve, reject) => {
    for (const s of connections) {
      s.setEncoding('utf8');
      s.on('data', (chunk: string) => {
        for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) {
          answered++;
        }
        if (!chunk.includes('"ok":true')) reject(new Error(`send refused: ${chunk.slice(0, 200)}`));
        if (answered === count) resolve();
      });
    }
  });
  const started = process.hrtime.bigint();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(count, Math.floor((Number(process.hrtime.bigint() - started) / 1e9) * sendsPerSecond) + 1);
      while (sent < due) {
        const n = first + sent;
        clock.sentAt[n - clock.first] = performance.now();
        connections[sent % connections.length]!.write(`{"cmd":"send","to":"a${sent % 4}","body":"m${n}"}\n`);
        sent++;
      }
      if (sent < count) setTimeout(tick, 2);
      else resolve();
    };
    tick();
  });
  await allAnswered;
  for (const s of connections) s.destroy();
}

interface PhaseResult {
  name: string;
  events: number;
  everyone: boolean;
  problems: string[];
  p50: number;
  p99: number;
  max: number;
  cpuPercent: number;
  rate: number;
}

async function phase(core: BenchCore, name: string, makeReader: (clock: Clock) => Reader, firstMessage: number): Promise<PhaseResult> {
  const count = sendsPerSecond * seconds;
  const clock = newClock(firstMessage, count, clients);
  const readers = Array.from({ length: clients }, () => makeReader(clock));
  await Promise.all(readers.map((r) => r.ready));
  const cpuBefore = cpuSeconds(core.child.pid!);
  const started = process.hrtime.bigint();
  await produce(core, clock, firstMessage, count);
  // Wait until every reader holds as many events as the busiest one (or a problem stops it).
  const deadline = Date.now() + 30_000;
  for (;;) {
    const most = Math.max(...readers.map((r) => r.count()));
    if (readers.every((r) => r.count() === most || r.problem()) && most >= count * 2) break;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = cpuSeconds(core.child.pid!) - cpuBefore;
  for (const r of readers) r.close();
  const expected = readers[0]!.lastSeq() - readers[0]!.firstSeq() + 1;
  const problems = readers.flatMap((r, i) => {
    const p = r.problem();
    if (p) return [`reader ${i}: ${p}`];
    if (r.count() !== expected || r.firstSeq() !== readers[0]!.firstSeq()) return [`reader ${i}: ${r.count()} events from seq ${r.firstSeq()}, others ${expected} from ${readers[0]!.firstSeq()}`];
    return [];
  });
  const sorted = Array.from(clock.latenciesMs.subarray(0, clock.seen)).sort((a, b) => a - b);
  return {
    name,
    events: expected,
    everyone: problems.length === 0 && sorted.length === count * clients,
    problems: problems.slice(0, 5),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    cpuPercent: (cpu / wall) * 100,
    rate: expected / wall,
  };
}

function report(r: PhaseResult): void {
  console.log(
    `  ${r.name.padEnd(22)} ${r.events} events × ${clients} readers, ${Math.round(r.rate)} events/s: emit → reader p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(1)} ms; core CPU ${r.cpuPercent.toFixed(0)}% of one core; ${r.everyone ? 'every reader got every event in order' : `MISSING: ${r.problems.join('; ')}`}`,
  );
}

async function main(): Promise<void> {
  console.log(`http-fanout: ${clients} readers of the dashboard channel while ${eventsPerSecond} events/s flow for ${seconds} s (SSE, then the host socket in the same run)`);
  console.log(`  machine: ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the start`);
  const core = await startBenchCore(['a0', 'a1', 'a2', 'a3'], { http: '127.0.0.1:0', config: { http: { max_streams: Math.max(256, clients + 8) } } });
  try {
    // Warm up the JIT and the page cache with a short run nobody measures.
    await produce(core, newClock(0, 500, 0), 0, 500);
    const sse = await phase(core, 'SSE (/api/dashboard/stream)', (clock) => sseReader(core.httpUrl!, clock), 1_000_000);
    report(sse);
    const socket = await phase(core, 'host socket (subscribe)', (clock) => socketReader(core.hostSocket, clock), 2_000_000);
    report(socket);
    console.log(`  SSE / socket: p99 ${(sse.p99 / socket.p99).toFixed(2)}×, core CPU ${(sse.cpuPercent / socket.cpuPercent).toFixed(2)}×`);
    const ok = sse.everyone && socket.everyone && sse.p99 <= TARGET_P99_MS;
    console.log(`  ${sse.everyone ? 'PASS' : 'FAIL'}: every SSE reader received every event, in order`);
    console.log(`  ${sse.p99 <= TARGET_P99_MS ? 'PASS' : 'FAIL'}: SSE emit → reader p99 ≤ ${TARGET_P99_MS} ms`);
    if (!ok) process.exitCode = 1;
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${core.stderr()}`);
  } finally {
    await core.stop();
  }
}

main().catch((err: Error) => {
  console.error(`http-fanout: ${err.message}`);
  process.exitCode = 2;
});

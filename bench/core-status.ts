/**
 * Benchmark: `agent_status` on a real hyperhive-core with 50 agents, each
 * request on a new connection (hivectl's model): connect, send, read the
 * answer, close. Prints p50/p90/p99/max and PASS/FAIL against p99 ≤ 1 ms.
 *
 * Interleaved with the same loop against a trivial server in its own process
 * (the floor: what a connect/request/response of that size costs on this
 * machine before the core does any work), so machine noise is visible as such.
 *
 * Run: node dist/bench/core-status.js [--agents 50] [--requests 2000]
 */
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { numberFlag, percentile, rawRequest, startBenchCore } from './core-support/launch.js';

const TARGET_P99_MS = 1;
const agentCount = numberFlag('agents', 50);
const requests = numberFlag('requests', 2000);
const warmup = 200;
const round = 100;
const REQUEST = '{"cmd":"agent_status"}\n';
const FLOOR_SERVER = fileURLToPath(new URL('./core-support/floor-server.js', import.meta.url));

// The measuring client allocates as little as it can (one reused read buffer, no strings), so
// its own garbage collections stay out of the figures; the server's stay in.
const readBuffer = Buffer.alloc(256 * 1024);
const OK_PREFIX = Buffer.from('{"version":1,"ok":true');

/** One timed exchange on a fresh connection, in milliseconds. */
function timedRequest(socketPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let first = true;
    let refused = false;
    const socket = net.createConnection({
      path: socketPath,
      onread: {
        buffer: readBuffer,
        callback: (bytes: number, buffer: Uint8Array) => {
          if (first) {
            refused = Buffer.compare(buffer.subarray(0, OK_PREFIX.length), OK_PREFIX) !== 0;
            first = false;
          }
          if (buffer[bytes - 1] === 0x0a) {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            socket.destroy();
            if (refused) reject(new Error(`request refused: ${Buffer.from(buffer.subarray(0, Math.min(bytes, 300))).toString()}`));
            else resolve(ms);
          }
          return true;
        },
      },
    });
    socket.on('connect', () => socket.write(REQUEST));
    socket.on('error', reject);
  });
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
  return `p50 ${fmt(percentile(sorted, 50))}  p90 ${fmt(percentile(sorted, 90))}  p99 ${fmt(percentile(sorted, 99))}  max ${fmt(sorted[sorted.length - 1]!)}`;
}

async function main(): Promise<void> {
  const agents = Array.from({ length: agentCount }, (_, i) => `agent-${String(i).padStart(2, '0')}`);
  console.log(`core-status: agent_status with ${agentCount} agents, ${requests} requests, one connection each (after ${warmup} warm-up)`);
  const core = await startBenchCore(agents);
  const floorSocket = path.join(core.dir, 'floor.sock');
  let floor: ReturnType<typeof spawn> | null = null;
  try {
    const firstLine = await rawRequest(core.hostSocket, REQUEST);
    const rows = (JSON.parse(firstLine) as { agent_statuses?: unknown[] }).agent_statuses?.length ?? 0;
    if (rows !== agentCount) throw new Error(`expected ${agentCount} status rows, got ${rows}`);
    const bytes = Buffer.byteLength(firstLine) + 1;

    floor = spawn(process.execPath, [FLOOR_SERVER, floorSocket, String(bytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      floor!.stdout!.once('data', () => resolve());
      floor!.once('exit', (code) => reject(new Error(`floor server exited with ${code}`)));
    });

    for (let i = 0; i < warmup; i++) {
      await timedRequest(core.hostSocket);
      await timedRequest(floorSocket);
    }
    const coreSamples: number[] = [];
    const floorSamples: number[] = [];
    while (coreSamples.length < requests) {
      const n = Math.min(round, requests - coreSamples.length);
      for (let i = 0; i < n; i++) coreSamples.push(await timedRequest(core.hostSocket));
      for (let i = 0; i < n; i++) floorSamples.push(await timedRequest(floorSocket));
    }
    const p99 = percentile([...coreSamples].sort((a, b) => a - b), 99);
    console.log(`  response: ${rows} rows, ${bytes} bytes`);
    console.log(`  hyperhive-core: ${summary(coreSamples)}`);
    console.log(`  floor (trivial server, same bytes, own process): ${summary(floorSamples)}`);
    console.log(`  ${p99 <= TARGET_P99_MS ? 'PASS' : 'FAIL'}: p99 ≤ ${TARGET_P99_MS} ms`);
    if (p99 > TARGET_P99_MS) process.exitCode = 1;
  } finally {
    floor?.kill('SIGTERM');
    await core.stop();
  }
}

main().catch((err: Error) => {
  console.error(`core-status: ${err.message}`);
  process.exitCode = 2;
});

/**
 * Benchmark: the console viewing one stream while 20 agents each emit 100
 * events/s into a real hyperhive-core. Reports the console process's CPU
 * (% of one core), keypress → frame latency (k pauses the stream, G resumes;
 * time until the changed title is drawn), then pushes 1,000,000 events through
 * the viewed stream as fast as the core takes them and reports RSS.
 * Targets: CPU ≤ 20 %, keypress → frame p99 ≤ 70 ms, RSS ≤ 120 MB.
 *
 * Run: node dist/bench/tui-stream.js [--seconds 10] [--events 1000000]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { numberFlag, percentile, startBenchCore } from './core-support/launch.js';
import { cpuSeconds, rssMb, startPtyTui, TUI_BUNDLE } from './tui-support/pty.js';
import { JsonlConnection } from '../src/protocol/light.js';
import { sampleEvent } from './tui-support/sample-events.js';

const seconds = numberFlag('seconds', 10);
const totalEvents = numberFlag('events', 1_000_000);
const CPU_TARGET = 20;
const P99_TARGET_MS = 70;
const RSS_TARGET_MB = 120;
const EMITTER = fileURLToPath(new URL('./tui-support/emitter.js', import.meta.url));

const agents = Array.from({ length: 20 }, (_, i) => `agent-${String(i).padStart(2, '0')}`);
const core = await startBenchCore(agents);
const tui = startPtyTui(TUI_BUNDLE, ['--socket', core.hostSocket, '--no-bell'], { columns: 120, rows: 40 });
const emitter = spawn(process.execPath, [EMITTER, core.runtimeDir, agents.join(','), '100'], { stdio: ['ignore', 'pipe', 'inherit'] });
let emitted = 0;
emitter.stdout.setEncoding('utf8');
emitter.stdout.on('data', (d: string) => {
  const last = d.trim().split('\n').at(-1);
  if (last) emitted = (JSON.parse(last) as { sent: number }).sent;
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let failed = false;
try {
  await tui.waitFor((t) => t.includes('20 agents'));
  let from = tui.outputLength();
  tui.write('\r'); // open the first agent's stream
  await tui.waitFor((t) => t.includes('agent-00 ⇣ following'), { from });
  await sleep(3000); // warm up under load
  const pid = tui.nodePid()!;
  console.log(`console RSS with the stream open, before load: ${rssMb(pid).toFixed(1)} MB`);
  // CPU while watching (no keys), then keypress latency under the same load.
  const cpu0 = cpuSeconds(pid);
  const emitted0 = emitted;
  const out0 = tui.outputLength();
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const wall = (Date.now() - t0) / 1000;
  // Ink wraps each frame it writes in a synchronized-output block.
  const frames = tui.output().slice(out0).split('\u001b[?2026h').length - 1;
  const cpuPct = ((cpuSeconds(pid) - cpu0) / wall) * 100;
  const rate = (emitted - emitted0) / wall;
  const latencies: number[] = [];
  const t1 = Date.now();
  while (Date.now() - t1 < seconds * 1000) {
    for (const [key, marker] of [['k', 'G to follow'], ['G', '⇣ following']] as const) {
      from = tui.outputLength();
      const at = process.hrtime.bigint();
      tui.write(key);
      latencies.push(await tui.waitFor((t) => t.includes(marker), { from, fromNs: at, timeoutMs: 5000 }));
      await sleep(50 + Math.random() * 100);
    }
  }
  latencies.sort((a, b) => a - b);
  const p99 = percentile(latencies, 99);
  console.log(`load: 20 agents, ${rate.toFixed(0)} events/s into the core (target 2000), viewing agent-00's stream, ${wall.toFixed(1)} s`);
  console.log(`frames drawn: ${(frames / wall).toFixed(1)}/s`);
  console.log(`console CPU: ${cpuPct.toFixed(1)} % of one core (target ≤ ${CPU_TARGET}): ${cpuPct <= CPU_TARGET ? 'PASS' : 'FAIL'}`);
  console.log(`keypress → frame over ${latencies.length} presses: p50 ${percentile(latencies, 50).toFixed(1)} ms  p90 ${percentile(latencies, 90).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${latencies.at(-1)!.toFixed(1)} ms (target p99 ≤ ${P99_TARGET_MS}): ${p99 <= P99_TARGET_MS ? 'PASS' : 'FAIL'}`);
  failed ||= cpuPct > CPU_TARGET || p99 > P99_TARGET_MS;
  emitter.kill();

  // 1,000,000 events through the viewed stream, as fast as the core ingests them.
  const conn = await JsonlConnection.connect(core.agentSocket('agent-00'));
  const started = Date.now();
  const BATCH = 5000;
  let pushed = 0;
  let n = 0;
  const inflight: Promise<unknown>[] = [];
  while (pushed < totalEvents) {
    const events = Array.from({ length: Math.min(BATCH, totalEvents - pushed) }, () => sampleEvent(n++));
    pushed += events.length;
    inflight.push(conn.request({ cmd: 'emit', events }));
    if (inflight.length >= 4) await inflight.shift();
  }
  await Promise.all(inflight);
  conn.close();
  const pushSecs = (Date.now() - started) / 1000;
  // The console has caught up when it draws the last turn's first line (it follows the tail).
  const lastTurn = totalEvents - 1 - ((totalEvents - 1) % 20);
  const caughtUp = await tui.waitFor((t) => t.includes(`Please look at item ${lastTurn}`), { fromNs: process.hrtime.bigint(), timeoutMs: 60_000 });
  console.log(`console caught up ${caughtUp.toFixed(0)} ms after the last event was accepted by the core`);
  await sleep(1000);
  const rss = rssMb(pid);
  console.log(`${totalEvents.toLocaleString('en')} events through the viewed stream in ${pushSecs.toFixed(1)} s (${(totalEvents / pushSecs).toFixed(0)}/s); console RSS ${rss.toFixed(1)} MB (target ≤ ${RSS_TARGET_MB}): ${rss <= RSS_TARGET_MB ? 'PASS' : 'FAIL'}`);
  failed ||= rss > RSS_TARGET_MB;
  from = tui.outputLength();
  const at = process.hrtime.bigint();
  tui.write('k');
  console.log(`still responsive afterwards: k → frame ${(await tui.waitFor((t) => t.includes('G to follow'), { from, fromNs: at })).toFixed(1)} ms`);
} finally {
  emitter.kill();
  await tui.stop();
  await core.stop();
}
process.exit(failed ? 1 : 0);

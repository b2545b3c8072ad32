/**
 * Benchmark: the console on the roster of a real hyperhive-core with 100
 * agents, all attached (running). Idle: nothing changes, then 100 status ages counting — the
 * console's CPU (% of one core) and the frames it draws. Busy: the agents emit
 * 2,000 events/s between them (roster rows churn) and j/k move the selection —
 * keypress → frame latency, until the moved selection is drawn.
 * Targets: idle CPU ≤ 1 % of a core with nothing changing, keypress → frame
 * p99 ≤ 50 ms under load.
 *
 * Run: node dist/bench/tui-roster.js [--seconds 10] [--presses 400]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { numberFlag, percentile, startBenchCore } from './core-support/launch.js';
import { cpuSeconds, startPtyTui, TUI_BUNDLE, type PtyTui } from './tui-support/pty.js';
import { JsonlConnection } from '../src/protocol/light.js';

const seconds = numberFlag('seconds', 10);
/** Enough presses that the 99th percentile is not simply the slowest one. */
const presses = numberFlag('presses', 400);
const AGENTS = 100;
const EVENTS_PER_SECOND = 2000;
const IDLE_CPU_TARGET = 1;
const P99_TARGET_MS = 50;
const EMITTER = fileURLToPath(new URL('./tui-support/emitter.js', import.meta.url));

const agents = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(3, '0')}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU (% of one core) and frames per second of the console over `secs`. */
async function measureIdle(tui: PtyTui, pid: number, secs: number): Promise<{ cpu: number; fps: number }> {
  const cpu0 = cpuSeconds(pid);
  const out0 = tui.outputLength();
  const t0 = Date.now();
  await sleep(secs * 1000);
  const wall = (Date.now() - t0) / 1000;
  // Each frame the console draws is one synchronized-output block.
  const frames = tui.output().slice(out0).split('\u001b[?2026h').length - 1;
  return { cpu: ((cpuSeconds(pid) - cpu0) / wall) * 100, fps: frames / wall };
}

const core = await startBenchCore(agents);
// Each agent attached (holding its control channel, as a harness does): running, so its status and turns show.
const attached = await Promise.all(
  agents.map(async (a) => {
    const conn = await JsonlConnection.connect(core.agentSocket(a));
    await conn.request({ cmd: 'control' });
    return conn;
  }),
);
const tui = startPtyTui(TUI_BUNDLE, ['--socket', core.hostSocket, '--no-bell'], { columns: 120, rows: 40 });
let emitter: ReturnType<typeof spawn> | undefined;
let failed = false;
try {
  await tui.waitFor((t) => t.includes(`${AGENTS} agents`));
  const pid = tui.nodePid()!;
  await sleep(2000); // settle
  const still = await measureIdle(tui, pid, seconds);
  const idleOk = still.cpu <= IDLE_CPU_TARGET;
  failed ||= !idleOk;
  console.log(`idle, ${AGENTS} agents, nothing changing: console CPU ${still.cpu.toFixed(2)} % of one core, ${still.fps.toFixed(1)} frames/s (target ≤ ${IDLE_CPU_TARGET} %): ${idleOk ? 'PASS' : 'FAIL'}`);

  // Every agent sets a status: the roster shows 100 ages counting by the second.
  await Promise.all(
    agents.map(async (a) => {
      const conn = await JsonlConnection.connect(core.agentSocket(a));
      await conn.request({ cmd: 'set_status', text: 'ok' });
      conn.close();
    }),
  );
  await tui.waitFor((t) => /ok \(\d+s\)/.test(t));
  await sleep(1000);
  const ticking = await measureIdle(tui, pid, seconds);
  console.log(`idle, ${AGENTS} status ages counting: console CPU ${ticking.cpu.toFixed(2)} % of one core, ${ticking.fps.toFixed(1)} frames/s (for reference)`);

  emitter = spawn(process.execPath, [EMITTER, core.runtimeDir, agents.join(','), String(EVENTS_PER_SECOND / AGENTS), 'row-changes'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let emitted = 0;
  emitter.stdout!.setEncoding('utf8');
  emitter.stdout!.on('data', (d: string) => {
    const last = d.trim().split('\n').at(-1);
    if (last) emitted = (JSON.parse(last) as { sent: number }).sent;
  });
  await sleep(3000); // warm up under load
  const busy = await measureIdle(tui, pid, Math.min(seconds, 5));
  console.log(`load: console CPU ${busy.cpu.toFixed(1)} % of one core, ${busy.fps.toFixed(1)} frames/s with no key pressed`);
  const latencies: number[] = [];
  const emitted0 = emitted;
  const t1 = Date.now();
  while (latencies.length < presses) {
    // j selects the second row, k the first again: the frame is drawn when the marker is on that agent's row.
    for (const [key, agent] of [['j', agents[1]!], ['k', agents[0]!]] as const) {
      const from = tui.outputLength();
      const at = process.hrtime.bigint();
      const selected = new RegExp(`›[ •] \\S+ \\S+\\s+${agent}\\b`);
      tui.write(key);
      latencies.push(await tui.waitFor((t) => selected.test(t), { from, fromNs: at, timeoutMs: 5000 }));
      await sleep(20 + Math.random() * 60);
    }
  }
  const rate = (emitted - emitted0) / ((Date.now() - t1) / 1000);
  latencies.sort((a, b) => a - b);
  const p99 = percentile(latencies, 99);
  const busyOk = p99 <= P99_TARGET_MS;
  failed ||= !busyOk;
  console.log(`load: ${AGENTS} agents emitting ${rate.toFixed(0)} events/s between them (target ${EVENTS_PER_SECOND}), roster open`);
  console.log(`keypress → frame over ${latencies.length} presses: p50 ${percentile(latencies, 50).toFixed(1)} ms  p90 ${percentile(latencies, 90).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${latencies.at(-1)!.toFixed(1)} ms (target p99 ≤ ${P99_TARGET_MS}): ${busyOk ? 'PASS' : 'FAIL'}`);
} finally {
  emitter?.kill();
  for (const conn of attached) conn.close();
  await tui.stop();
  await core.stop();
}
process.exit(failed ? 1 : 0);

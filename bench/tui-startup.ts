/**
 * Benchmark: hyperhive-tui spawn → first frame (no core: the "unreachable"
 * frame), and spawn → first frame with data from a real core with 50 agents
 * (the header counting all 50). Bundled entry (the bin) and unbundled tsc
 * output, each in a real pty; `script` + `node -e` drawing one line is the floor.
 * Targets: first frame ≤ 250 ms, with data ≤ 400 ms (median of runs).
 *
 * Run: node dist/bench/tui-startup.js [--runs 10]
 */
import os from 'node:os';
import path from 'node:path';
import { numberFlag, percentile, startBenchCore } from './core-support/launch.js';
import { startPtyTui, TUI_BUNDLE, TUI_UNBUNDLED } from './tui-support/pty.js';

const runs = numberFlag('runs', 10);
const FIRST_FRAME_MS = 250;
const FIRST_DATA_MS = 400;
/** The header with a connection state: the first frame, whatever the state. */
const FIRST_FRAME = /hyperhive.*(connecting|unreachable)/;

async function time(entry: string, args: string[], marker: RegExp, command?: string): Promise<number> {
  const tui = startPtyTui(entry, args, command ? { command } : {});
  try {
    return await tui.waitFor((t) => marker.test(t));
  } finally {
    await tui.stop();
  }
}

async function series(label: string, run: () => Promise<number>): Promise<number> {
  await run(); // warm the page cache
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push(await run());
  ms.sort((a, b) => a - b);
  const median = percentile(ms, 50);
  console.log(`${label.padEnd(44)} median ${median.toFixed(0).padStart(4)} ms   p90 ${percentile(ms, 90).toFixed(0).padStart(4)} ms   min ${ms[0]!.toFixed(0)} ms`);
  return median;
}

/** tsc's output is not executable: run it with node and the bin's flags. */
const unbundled = (socket: string) => `exec ${process.execPath} --max-semi-space-size=8 --max-old-space-size=128 ${TUI_UNBUNDLED} --socket ${socket}`;
const missing = path.join(os.tmpdir(), `hh-no-core-${process.pid}.sock`);
console.log(`${runs} runs each, in a 120×40 pty (node ${process.version}, ${os.cpus().length} cpus)`);
await series('floor: script + node drawing one line', () =>
  time('', [], /hyperhive/, `exec ${process.execPath} -e "process.stdout.write('hyperhive')"`),
);
const bundledFirst = await series('bundle: spawn → first frame (no core)', () => time(TUI_BUNDLE, ['--socket', missing], FIRST_FRAME));
await series('unbundled: spawn → first frame (no core)', () => time(TUI_UNBUNDLED, ['--socket', missing], FIRST_FRAME, unbundled(missing)));

const agents = Array.from({ length: 50 }, (_, i) => `agent-${String(i).padStart(2, '0')}`);
const core = await startBenchCore(agents);
let bundledData: number;
try {
  bundledData = await series('bundle: spawn → first frame with 50 agents', () => time(TUI_BUNDLE, ['--socket', core.hostSocket], /50 agents/));
  await series('unbundled: spawn → first frame with 50 agents', () => time(TUI_UNBUNDLED, ['--socket', core.hostSocket], /50 agents/, unbundled(core.hostSocket)));
} finally {
  await core.stop();
}
const ok1 = bundledFirst <= FIRST_FRAME_MS;
const ok2 = bundledData <= FIRST_DATA_MS;
console.log(`first frame ${bundledFirst.toFixed(0)} ms (target ≤ ${FIRST_FRAME_MS}): ${ok1 ? 'PASS' : 'FAIL'}`);
console.log(`first frame with data ${bundledData.toFixed(0)} ms (target ≤ ${FIRST_DATA_MS}): ${ok2 ? 'PASS' : 'FAIL'}`);
process.exit(ok1 && ok2 ? 0 : 1);

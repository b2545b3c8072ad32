/**
 * Benchmark: hyperhive-tui spawn → first frame (no core: the "unreachable"
 * frame), and spawn → first frame with data from a real core with 50 agents
 * (the header counting all 50), as ratios to the floor measured in the same
 * run: `script` + node drawing one line, in the same kind of pty. The three are
 * measured in turn, round by round, so a busy machine slows all of them alike.
 * The bundled entry (the bin) is measured; the unbundled tsc output is shown
 * for comparison. Targets: first frame ≤ 2.5× the floor, with data ≤ 3.5×.
 *
 * Run: node dist/bench/tui-startup.js [--runs 15]
 */
import os from 'node:os';
import path from 'node:path';
import { numberFlag, percentile, startBenchCore } from './core-support/launch.js';
import { startPtyTui, TUI_BUNDLE, TUI_UNBUNDLED } from './tui-support/pty.js';

const runs = numberFlag('runs', 15);
const FIRST_FRAME_RATIO = 2.5;
const FIRST_DATA_RATIO = 3.5;
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

/** tsc's output is not executable: run it with node and the bin's flags. */
const unbundled = (socket: string) => `exec ${process.execPath} --max-semi-space-size=8 --max-old-space-size=128 ${TUI_UNBUNDLED} --socket ${socket}`;
const missing = path.join(os.tmpdir(), `hh-no-core-${process.pid}.sock`);
const agents = Array.from({ length: 50 }, (_, i) => `agent-${String(i).padStart(2, '0')}`);

const series: { label: string; run: () => Promise<number>; ms: number[] }[] = [];
const add = (label: string, run: () => Promise<number>) => {
  const s = { label, run, ms: [] as number[] };
  series.push(s);
  return s;
};
const core = await startBenchCore(agents);
let floor, first, data;
try {
  floor = add('floor: script + node drawing one line', () => time('', [], /hyperhive/, `exec ${process.execPath} -e "process.stdout.write('hyperhive')"`));
  first = add('bundle: spawn → first frame (no core)', () => time(TUI_BUNDLE, ['--socket', missing], FIRST_FRAME));
  data = add('bundle: spawn → first frame with 50 agents', () => time(TUI_BUNDLE, ['--socket', core.hostSocket], /50 agents/));
  add('unbundled: spawn → first frame (no core)', () => time(TUI_UNBUNDLED, ['--socket', missing], FIRST_FRAME, unbundled(missing)));
  add('unbundled: spawn → first frame with 50 agents', () => time(TUI_UNBUNDLED, ['--socket', core.hostSocket], /50 agents/, unbundled(core.hostSocket)));
  for (const s of series) await s.run(); // warm the page cache
  for (let i = 0; i < runs; i++) for (const s of series) s.ms.push(await s.run());
} finally {
  await core.stop();
}
console.log(`${runs} rounds, each series once per round, in a 120×40 pty (node ${process.version}, ${os.cpus().length} cpus, load ${os.loadavg()[0]!.toFixed(1)})`);
const median = (ms: number[]) => percentile([...ms].sort((a, b) => a - b), 50);
const floorMs = median(floor.ms);
for (const s of series) {
  const sorted = [...s.ms].sort((a, b) => a - b);
  const m = median(sorted);
  console.log(`${s.label.padEnd(46)} median ${m.toFixed(0).padStart(4)} ms (${(m / floorMs).toFixed(2)}× floor)   p90 ${percentile(sorted, 90).toFixed(0).padStart(4)} ms   min ${sorted[0]!.toFixed(0)} ms`);
}
const firstRatio = median(first.ms) / floorMs;
const dataRatio = median(data.ms) / floorMs;
const ok1 = firstRatio <= FIRST_FRAME_RATIO;
const ok2 = dataRatio <= FIRST_DATA_RATIO;
console.log(`first frame ${firstRatio.toFixed(2)}× the floor (target ≤ ${FIRST_FRAME_RATIO}×): ${ok1 ? 'PASS' : 'FAIL'}`);
console.log(`first frame with data ${dataRatio.toFixed(2)}× the floor (target ≤ ${FIRST_DATA_RATIO}×): ${ok2 ? 'PASS' : 'FAIL'}`);
process.exit(ok1 && ok2 ? 0 : 1);

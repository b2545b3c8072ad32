// Sampling agents' processes: /proc parsing, CPU rates and turn peaks (pure), and real process trees
// (a child that burns a known amount of CPU, a grandchild, a reaped grandchild, a kernel without `children` files).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProcReader, TICKS_PER_SECOND, parseProcStat } from './proc-reader.js';
import { ResourceTracker, type AgentReading } from './resource-tracker.js';
import { ResourceSampler } from './resource-sampler.js';
import { waitFor } from '../../testing/hive.js';

const statLine = (comm: string, f: Record<number, number>) =>
  `4242 (${comm}) S ${Array.from({ length: 50 }, (_, i) => f[i + 4] ?? 0).join(' ')}\n`;

test('a stat line is read after the last ")", whatever the command name holds', () => {
  const line = statLine('we)ird (name', { 4: 7, 14: 10, 15: 5, 16: 3, 17: 2, 22: 123456, 24: 2560 });
  assert.deepEqual(parseProcStat(line), { ticks: 20, rssPages: 2560, startTime: 123456, ppid: 7 });
  assert.equal(parseProcStat('garbage'), null);
  assert.equal(parseProcStat('1 (x) S'), null);
});

const reading = (over: Partial<AgentReading>): AgentReading => ({
  pid: 10, startTime: 500, ticks: 0, rssBytes: 100 << 20, processes: 2, monotonicMs: 0, wallSeconds: 1_800_000_000, ageSeconds: 50, ...over,
});

test('CPU is the tree\'s ticks over the time between two readings of one process; a new process starts from its lifetime average', () => {
  const tracker = new ResourceTracker();
  // First sight: 5 s of CPU over a 50 s life is 10 %.
  assert.equal(tracker.record('iris', reading({ ticks: 500 })).cpu_percent, 10);
  // 150 ticks (1.5 s of CPU) in 1 s: 150 % (two cores' worth of a busy tree).
  assert.equal(tracker.record('iris', reading({ ticks: 650, monotonicMs: 1000 })).cpu_percent, 150);
  // A child left the tree without being reaped: the total dropped; that interval reads 0, never negative.
  assert.equal(tracker.record('iris', reading({ ticks: 600, monotonicMs: 2000 })).cpu_percent, 0);
  // Same pid, another start time: a new harness; no rate across the two.
  assert.equal(tracker.record('iris', reading({ startTime: 900, ticks: 40, ageSeconds: 4, monotonicMs: 3000 })).cpu_percent, 10);
  assert.deepEqual(tracker.samples().map((s) => [s.name, s.pid, s.rss_bytes, s.processes]), [['iris', 10, 100 << 20, 2]]);
  tracker.forget('iris');
  assert.deepEqual(tracker.samples(), []);
});

test('a turn\'s peaks run from its start to its stats row, and none are shown between turns', () => {
  const tracker = new ResourceTracker();
  tracker.record('iris', reading({ ticks: 0, monotonicMs: 0 }));
  tracker.record('iris', reading({ ticks: 900, monotonicMs: 1000 })); // 900 % before the turn: not the turn's
  tracker.turnStarted('iris');
  assert.deepEqual(tracker.record('iris', reading({ ticks: 950, monotonicMs: 2000, rssBytes: 300 << 20 })).turn_peak_rss_bytes, 300 << 20);
  tracker.record('iris', reading({ ticks: 1030, monotonicMs: 3000, rssBytes: 200 << 20 }));
  const last = tracker.record('iris', reading({ ticks: 1040, monotonicMs: 4000, rssBytes: 150 << 20 }));
  assert.deepEqual([last.turn_peak_cpu_percent, last.turn_peak_rss_bytes], [80, 300 << 20]);
  assert.deepEqual(tracker.finishTurn('iris'), { peak_cpu_percent: 80, peak_rss_bytes: 300 << 20 });
  assert.equal(tracker.samples()[0]!.turn_peak_cpu_percent, undefined);
  assert.equal(tracker.finishTurn('iris'), undefined, 'a turn is finished once');
  assert.equal(tracker.finishTurn('nobody'), undefined);
});

/** A parent (like a harness) with one child (like its claude) that burns `burnMs` of CPU, says so, then sleeps. */
function startTree(t: TestContext, burnMs: number): { parent: ChildProcess; done: Promise<void>; childPid: Promise<number> } {
  const child = `const s=process.cpuUsage();while((process.cpuUsage(s).user+process.cpuUsage(s).system)/1000<${burnMs});process.stdout.write('done\\n');setInterval(()=>{},1000)`;
  const parentCode = `const c=require('child_process').spawn(process.execPath,['-e',${JSON.stringify(child)}],{stdio:['ignore','pipe','ignore']});` +
    `process.stdout.write('child '+c.pid+'\\n');c.stdout.pipe(process.stdout);process.stdin.on('data',()=>c.kill());setInterval(()=>{},1000)`;
  // Its own process group, so the test ends the child with it whatever happened.
  const parent = spawn(process.execPath, ['-e', parentCode], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
  let out = '';
  const seen = (pattern: RegExp) => new Promise<RegExpExecArray>((resolve) => {
    const check = () => {
      const m = pattern.exec(out);
      if (m) resolve(m);
    };
    parent.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      check();
    });
    check();
  });
  const childPid = seen(/child (\d+)\n/).then((m) => Number(m[1]));
  t.after(() => process.kill(-parent.pid!, 'SIGKILL'));
  return { parent, done: seen(/done\n/).then(() => undefined), childPid };
}

test('a real tree: the CPU a child burns is counted, before and after the parent reaps it', async (t) => {
  const { parent, done, childPid } = startTree(t, 400);
  const reader = new ProcReader();
  await childPid;
  const before = reader.readTree(parent.pid!)!;
  await done;
  const during = reader.readTree(parent.pid!)!;
  assert.equal(during.processes, 2, 'the parent and its child');
  assert.ok(during.rssBytes > 2 * 10 * 1024 * 1024, `two node processes hold more than 20 MiB (${during.rssBytes})`);
  // The child burnt at least 400 ms of CPU between the two readings (whatever else the machine was doing).
  assert.ok(during.ticks - before.ticks >= 0.35 * TICKS_PER_SECOND, `${during.ticks - before.ticks} ticks`);
  parent.stdin!.write('stop the child\n');
  const pid = await childPid;
  await waitFor(() => !fs.existsSync(`/proc/${pid}`), { what: 'the child to be reaped' });
  const after = reader.readTree(parent.pid!)!;
  assert.equal(after.processes, 1);
  assert.ok(after.ticks >= during.ticks, 'a reaped child\'s CPU stays in its parent\'s total');
  assert.equal(reader.readTree(999_999_999), null, 'a pid that is gone reads as nothing');
});

test('the sampler: one sample per running agent with its harness pid, turn peaks into the stats, none for a stopped agent', async (t) => {
  const { parent, done } = startTree(t, 300);
  let pid: number | undefined = parent.pid!;
  const sampler = new ResourceSampler({ enabled: true, sampleSeconds: 5, agentNames: () => ['iris'], harnessPid: () => pid, log: () => {} });
  sampler.sampleAll();
  sampler.turnStarted('iris');
  await done;
  const peaks = sampler.finishTurn('iris')!;
  assert.ok(peaks.peak_rss_bytes > 20 * 1024 * 1024, `peak RSS ${peaks.peak_rss_bytes}`);
  assert.ok(peaks.peak_cpu_percent > 0, `peak CPU ${peaks.peak_cpu_percent}`);
  const answer = sampler.answer();
  assert.deepEqual([answer.sample_seconds, answer.agents.length, answer.agents[0]!.pid, answer.agents[0]!.processes], [5, 1, parent.pid, 2]);
  pid = undefined;
  sampler.sampleAll();
  assert.deepEqual(sampler.answer().agents, []);
  const off = new ResourceSampler({ enabled: false, sampleSeconds: 5, agentNames: () => ['iris'], harnessPid: () => parent.pid, log: () => {} });
  off.sampleAll();
  assert.deepEqual(off.answer(), { sample_seconds: 5, agents: [], more: false, note: 'resources are sampled under the process backend only' });
});

test('without `children` files (older kernels) one scan of /proc per round finds the tree', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-proc-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const proc = (pid: number, ppid: number, ticks: number) => {
    fs.mkdirSync(path.join(root, String(pid)));
    fs.writeFileSync(path.join(root, String(pid), 'stat'), statLine(`p${pid}`, { 4: ppid, 14: ticks, 22: pid, 24: 10 }));
  };
  proc(100, 1, 5);
  proc(101, 100, 7);
  proc(102, 101, 11);
  proc(200, 1, 1000);
  const reader = new ProcReader({ procRoot: root });
  reader.beginRound();
  assert.deepEqual(reader.readTree(100), { ticks: 23, rssBytes: 30 * 4096, processes: 3, startTime: 100 });
});

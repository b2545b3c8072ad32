/**
 * Benchmark: what the core's resource sampler costs with 100 agents. Each
 * agent is a real process tree shaped like a harness mid-turn (the harness,
 * its claude, the MCP server claude started, a tool): 4 processes, 400 in
 * all. The sampler reads every tree as it does every `sample_seconds`; its
 * CPU time per round (user + system, this process) gives its share of one
 * core at the default period (5 s). Target: under 1 %.
 *
 * Baselines in the same run: the sampler as it runs on a kernel without
 * `children` files (one /proc scan per round), and the obvious way — read
 * every /proc/<pid>/stat with readFileSync, build the parent map, walk it.
 *
 * Run: node dist/bench/core-resources.js [--agents 100] [--rounds 200]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { numberFlag } from './core-support/launch.js';
import { ResourceSampler } from '../src/core/resources/index.js';
import { ProcReader, parseProcStat } from '../src/core/resources/proc-reader.js';
import { waitFor } from '../src/testing/hive.js';

const TARGET_PERCENT = 1;
const SAMPLE_SECONDS = 5;
const agents = numberFlag('agents', 100);
const rounds = numberFlag('rounds', 200);

/** One agent's tree: sh (the harness) → sh (claude) → sleep (its MCP server), and a sleep (a tool). */
function startTree(): ChildProcess {
  return spawn('/bin/sh', ['-c', 'sh -c "sleep 3600 & wait" & sleep 3600 & wait'], { stdio: 'ignore', detached: true });
}

function countTree(reader: ProcReader, pid: number): number {
  return reader.readTree(pid)?.processes ?? 0;
}

/** CPU milliseconds (user + system) this process spends in `fn`, per call, over `n` calls. */
function cpuPerCall(n: number, fn: () => void): number {
  fn();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

/** The obvious sampler: every stat file read whole, a parent map, then each tree walked. */
function naiveRound(roots: readonly number[]): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const stat = parseProcStat(text);
    if (!stat) continue;
    ticks.set(Number(entry), stat.ticks);
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  let total = 0;
  for (const root of roots) {
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      total += ticks.get(queue[i]!) ?? 0;
      queue.push(...(children.get(queue[i]!) ?? []));
    }
  }
  return total;
}

async function main(): Promise<void> {
  const trees = Array.from({ length: agents }, startTree);
  const stopAll = () => {
    for (const tree of trees) {
      try {
        process.kill(-tree.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  process.on('exit', stopAll);
  try {
    const reader = new ProcReader();
    await waitFor(() => trees.every((t) => countTree(reader, t.pid!) === 4), { timeoutMs: 30_000, what: 'every tree to have its 4 processes' });
    const names = trees.map((_, i) => `agent-${String(i).padStart(3, '0')}`);
    const pidOf = new Map(names.map((name, i) => [name, trees[i]!.pid!]));
    const sampler = new ResourceSampler({ enabled: true, sampleSeconds: SAMPLE_SECONDS, agentNames: () => names, harnessPid: (n) => pidOf.get(n), log: (m) => console.error(m) });
    sampler.sampleAll();
    const sampled = sampler.answer().agents;
    const processes = sampled.reduce((n, s) => n + s.processes, 0);
    if (sampled.length !== agents || processes !== agents * 4) throw new Error(`sampled ${sampled.length} agents, ${processes} processes; expected ${agents}, ${agents * 4}`);

    const wallStart = performance.now();
    const samplerMs = cpuPerCall(rounds, () => sampler.sampleAll());
    const wallMs = (performance.now() - wallStart) / (rounds + 1);

    // The same sampler where the kernel has no `children` files: one scan of /proc per round.
    const scanning = new ProcReader({ scanForChildren: true });
    const scanMs = cpuPerCall(Math.max(10, rounds / 4), () => {
      scanning.beginRound();
      for (const t of trees) scanning.readTree(t.pid!);
    });
    const roots = trees.map((t) => t.pid!);
    const naiveMs = cpuPerCall(Math.max(10, rounds / 4), () => naiveRound(roots));
    const procCount = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length;

    const share = (ms: number) => (ms / (SAMPLE_SECONDS * 1000)) * 100;
    console.log(`resource sampling: ${agents} agents, ${processes} processes in their trees, ${procCount} processes on the machine, ${rounds} rounds`);
    console.log(`  sampler (children files)   ${samplerMs.toFixed(2)} ms CPU per round (${wallMs.toFixed(2)} ms wall)  → ${share(samplerMs).toFixed(3)} % of one core every ${SAMPLE_SECONDS} s`);
    console.log(`  sampler (one /proc scan)   ${scanMs.toFixed(2)} ms CPU per round  → ${share(scanMs).toFixed(3)} % of one core   (${(scanMs / samplerMs).toFixed(1)}× the sampler)`);
    console.log(`  naive (readFileSync, all)  ${naiveMs.toFixed(2)} ms CPU per round  → ${share(naiveMs).toFixed(3)} % of one core   (${(naiveMs / samplerMs).toFixed(1)}× the sampler)`);
    const pass = share(samplerMs) < TARGET_PERCENT;
    console.log(`${pass ? 'PASS' : 'FAIL'}: sampling ${agents} agents every ${SAMPLE_SECONDS} s takes ${share(samplerMs).toFixed(3)} % of one core (target < ${TARGET_PERCENT} %)`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    stopAll();
  }
}

await main();

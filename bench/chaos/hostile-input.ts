/**
 * Chaos: N hostile inputs on the host and agent sockets — garbage bytes,
 * lines over the cap, deep nesting, wrong types, identity forgery, pipelined
 * floods, half lines, connections dropped mid-request — with the daemon
 * answering `list` throughout. Figures: inputs sent, how they were answered,
 * the slowest `list` between them, RSS before and after, open descriptors,
 * the store's integrity.
 *
 * Run: npm run chaos -- --only hostile-input [--inputs 2000] [--seed N]
 *   or node dist/bench/chaos/hostile-input.js [--inputs 2000] [--seed N]
 */
import path from 'node:path';
import { startCore } from '../../src/testing/hive.js';
import { deliver, makeInput, type Outcome } from '../../src/testing/hostile-inputs.js';
import { intFlag, seededRandom, type ChaosCase, type ChaosReport } from './chaos-case.js';
import { memoryMiB, openFiles, runIfMain, storeFigures, timedRequest } from './support.js';

export async function hostileInput(inputs: number, seed: number): Promise<ChaosReport> {
  const core = await startCore({ config: { manager: 'boss', agents: { boss: {}, iris: { allowed_recipients: [] } } } });
  const failures: string[] = [];
  const rand = seededRandom(seed);
  const outcomes: Record<Outcome, number> = { answered: 0, closed: 0, silent: 0 };
  /** Kinds of input met with nothing within 2 s (a long-poll `recv` is one that may wait). */
  const silentKinds = new Set<string>();
  const pid = core.proc.pid!;
  const before = memoryMiB(pid);
  let slowestList = 0;
  const started = Date.now();
  try {
    for (let i = 0; i < inputs; i++) {
      const onAgent = rand() < 0.4;
      const input = makeInput(rand, onAgent);
      // Agent inputs come from iris's socket; the forgeries among them name boss, whose stats and stream must stay untouched.
      const outcome = await deliver(onAgent ? core.agentSocket('iris') : core.hostSocket, input, 2000);
      outcomes[outcome]++;
      if (outcome === 'silent') silentKinds.add(input.kind);
      if (i % 25 === 24 || i === inputs - 1) {
        try {
          const { line, ms } = await timedRequest(core.hostSocket, '{"cmd":"list"}', 5000);
          slowestList = Math.max(slowestList, ms);
          if (!line.includes('"ok":true')) failures.push(`list after input ${i} answered ${line.slice(0, 120)}`);
        } catch (err) {
          failures.push(`list after input ${i} (${input.kind}): ${(err as Error).message}`);
          if (core.proc.exitCode !== null) {
            failures.push(`the core exited with ${core.proc.exitCode}: ${core.stderr().slice(-500)}`);
            break;
          }
        }
      }
    }
    const after = memoryMiB(pid);
    const store = storeFigures(path.join(core.stateDir, 'hyperhive.sqlite'));
    if (store.integrity !== 'ok') failures.push(`integrity_check: ${store.integrity}`);
    const forged = await timedRequest(core.hostSocket, '{"cmd":"turn_stats","agent":"boss"}');
    if (!forged.line.includes('"turn_stats":[]')) failures.push(`a stats row was written for boss from another socket: ${forged.line.slice(0, 200)}`);
    const stream = await timedRequest(core.hostSocket, '{"cmd":"agent_events","name":"boss","limit":10}');
    if (!stream.line.includes('"events":[]')) failures.push(`events were written into boss's stream from another socket: ${stream.line.slice(0, 200)}`);
    return {
      name: 'hostile-input',
      ok: failures.length === 0,
      figures: {
        inputs,
        seed,
        answered: outcomes.answered,
        closed: outcomes.closed,
        silent: outcomes.silent,
        silent_kinds: [...silentKinds].join(',') || '-',
        slowest_list_ms: slowestList,
        rss_before_mib: before.rss,
        rss_after_mib: after.rss,
        peak_rss_mib: after.peak,
        open_fds: openFiles(pid),
        store_mib: store.mainMiB + store.walMiB,
        integrity: store.integrity,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      },
      failures,
    };
  } finally {
    await core.cleanup();
  }
}

export const chaosCase: ChaosCase = {
  name: 'hostile-input',
  about: 'seeded hostile inputs on the host and agent sockets (--inputs, default 2000), the daemon asked for list throughout',
  run: (seed) => hostileInput(intFlag('inputs', 2000), seed),
};

await runIfMain(chaosCase, import.meta.url);

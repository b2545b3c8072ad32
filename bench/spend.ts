/**
 * Benchmark: what spend counting and budgets cost the core. (1) Summing a
 * week of stored turns when the core starts or a budget day begins
 * (`SpendLedger`, over --turns rows spread over the week). (2) Recording a
 * turn with budgets checked (`Hive.recordTurn`: the row, the ledger, the
 * budget rules, the pause decisions) against the same rows stored without
 * them (`TurnStats.record`), measured in the same run; the ratio is printed.
 *
 * Run: node dist/bench/spend.js [--agents 100] [--turns 200000] [--records 20000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Hive } from '../src/core/hive.js';
import { openDatabase } from '../src/core/store/index.js';
import { ExternalBackend } from '../src/core/lifecycle/index.js';
import { SpendLedger } from '../src/core/spend/index.js';
import { HiveConfig, type TurnStatInput } from '../src/protocol/index.js';
import { numberFlag } from './core-support/launch.js';

const agentCount = numberFlag('agents', 100);
const storedTurns = numberFlag('turns', 200_000);
const records = numberFlag('records', 20_000);
const WEEK_S = 7 * 86_400;

function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function openHive(dir: string, budgets: boolean, storeFile = path.join(ensureDir(dir), 'hive.sqlite'), db = openDatabase(storeFile)): Hive {
  const agents = Object.fromEntries(Array.from({ length: agentCount }, (_, i) => [`agent-${i}`, {}]));
  const config = HiveConfig.parse({
    name: 'bench', backend: 'external', agents,
    ...(budgets && { budgets: { timezone: 'Europe/Berlin', hive: { daily_usd: 1e6, per_turn_usd: 1e5 }, agent_default: { daily_usd: 1e5 } } }),
  });
  const hive = new Hive({
    db, storeFile, config, stateDir: path.join(dir, 'state'), runtimeDir: path.join(dir, 'run'),
    agentEntry: '/nonexistent', makeBackend: (host) => new ExternalBackend(host), sockets: { open: async () => {}, close: async () => {} }, log: () => {},
  });
  for (const name of hive.agentNames()) fs.mkdirSync(hive.agents.agentStateDir(name), { recursive: true });
  return hive;
}

const row = (i: number, endedAt: number): TurnStatInput => ({
  model: 'haiku', wake_from: 'operator', result_kind: 'ok', started_at: endedAt - 5, ended_at: endedAt, duration_ms: 5000,
  input_tokens: 12, output_tokens: 400, cache_read_input_tokens: 17_800, cache_creation_input_tokens: 0, cost_usd: 0.0142 + (i % 7) / 1000,
  tool_call_count: 2, tool_calls: { send: 1, set_status: 1 }, open_threads_count: 0, open_reminders_count: 0,
});

/** Records per second through `record`, over `records` turns round the agents. */
function rate(record: (name: string, input: TurnStatInput) => void): number {
  const now = Date.now() / 1000;
  const start = performance.now();
  for (let i = 0; i < records; i++) record(`agent-${i % agentCount}`, row(i, now));
  return records / ((performance.now() - start) / 1000);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-bench-spend-'));
try {
  // (1) A week of stored turns, summed as a starting core does.
  const seededFile = path.join(ensureDir(path.join(dir, 'seeded')), 'hive.sqlite');
  const db = openDatabase(seededFile);
  const seeded = openHive(path.join(dir, 'seeded'), false, seededFile, db);
  const now = Date.now() / 1000;
  const insert = db.prepare('INSERT INTO turn_stats (agent, ended_at, cost_usd, row_json) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < storedTurns; i++) {
      const endedAt = now - (i / storedTurns) * WEEK_S;
      insert.run(`agent-${i % agentCount}`, endedAt, 0.01, JSON.stringify(row(i, endedAt)));
    }
  })();
  const sums: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    new SpendLedger(db, 'Europe/Berlin', Date.now);
    sums.push(performance.now() - start);
  }
  await seeded.close();

  // (2) Recording turns: with budgets checked, and the bare row as the baseline (fresh stores, the same rows).
  const bare = openHive(path.join(dir, 'bare'), false);
  const baseline = rate((name, input) => bare.turnStats.record(name, input));
  await bare.close();
  const checked = openHive(path.join(dir, 'checked'), true);
  const withBudgets = rate((name, input) => checked.recordTurn(name, input));
  await checked.close();

  const median = [...sums].sort((a, b) => a - b)[2]!;
  console.log(`spend: ${agentCount} agents`);
  console.log(`  summing a week of ${storedTurns} stored turns (start, new budget day): median ${median.toFixed(1)} ms of 5`);
  console.log(`  recording turns, bare row (baseline):     ${Math.round(baseline)} turns/s`);
  console.log(`  recording turns, with budgets checked:    ${Math.round(withBudgets)} turns/s (${(baseline / withBudgets).toFixed(2)}× the baseline's time per turn)`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

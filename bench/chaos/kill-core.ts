/**
 * Chaos: `kill -9` of the core, round after round, while operators send
 * messages, agents ask questions and spawns are requested, approved, denied
 * and destroyed — under the process backend, with real harnesses and
 * fake-claude turns. After each kill: `PRAGMA integrity_check`; after each
 * restart: every acknowledged write is there, no approval was resolved twice,
 * a spawn's agent exists exactly when its approval says approved, and within
 * 15 s exactly one harness runs per agent. A clean stop at the end leaves no
 * harness running.
 *
 * Run: node dist/bench/chaos/kill-core.js [--rounds 20] [--seconds 180] [--seed N]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { harnessPids, repoRoot, startCore, waitFor, type RunningCore } from '../../src/testing/hive.js';
import { requestOnce } from '../../src/protocol/index.js';
import { formatTable, intFlag, seededRandom, type ChaosCase, type ChaosReport } from './chaos-case.js';

const AGENTS = ['ada', 'bob', 'cyd'];
const FAKE_CLAUDE = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');
/** Spawned agents kept alive at once (each is a harness process on a small machine). */
const MAX_SPAWNED = 2;

type Outcome = 'approved' | 'denied' | 'failed';

/** What the hive acknowledged, and what we did to it, across every round. */
class Ledger {
  messages: number[] = [];
  questions: number[] = [];
  /** Spawn approvals by id → the agent name they ask for. */
  spawns = new Map<number, string>();
  /** Resolutions the core answered ok (or, for an approve, `unavailable`: failed) → what it said. */
  resolved = new Map<number, Outcome>();
  /** Approvals whose approve or deny got no answer because the core died. */
  inFlight = new Set<number>();
  /** Agents whose destroy was asked for (answered or cut short by a kill): no longer checked against their spawn. */
  destroyed = new Set<string>();
}

function hiveConfig() {
  const agent = { command: ['node', FAKE_CLAUDE], env: { FAKE_CLAUDE_PACE_MS: '20', FAKE_CLAUDE_NO_TOOLS: '1', HYPERHIVE_HEARTBEAT_MS: '500' } };
  return { name: 'chaos', backend: 'process', agent_template: agent, agents: Object.fromEntries(AGENTS.map((n) => [n, agent])) };
}

/** Operators and agents at work until `stop()`; every acknowledged write lands in the ledger. */
function startLoad(core: RunningCore, ledger: Ledger, rand: () => number, round: number): { stop(): Promise<void> } {
  let running = true;
  let spawnSerial = 0;
  const ask = <T extends Record<string, unknown>>(socket: string, message: object) =>
    requestOnce<T>(socket, message, { timeoutMs: 20_000 }).catch(() => undefined);
  const operatorMessages = async () => {
    for (let n = 0; running; n++) {
      const to = AGENTS[Math.floor(rand() * AGENTS.length)]!;
      const res = await ask<{ ok: boolean; id: number }>(core.hostSocket, { cmd: 'send', to, body: `round ${round} message ${n}` });
      if (res?.ok) ledger.messages.push(res.id);
      else if (!res) return;
    }
  };
  const agentQuestions = async () => {
    for (let n = 0; running; n++) {
      const asker = AGENTS[Math.floor(rand() * AGENTS.length)]!;
      const res = await ask<{ ok: boolean; id: number }>(core.agentSocket(asker), { cmd: 'ask', question: `round ${round} q${n}?`, ttl_seconds: 3600 });
      if (res?.ok) ledger.questions.push(res.id);
      else if (!res) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const spawns = async () => {
    while (running) {
      const name = `r${round}-s${spawnSerial++}`;
      const req = await ask<{ ok: boolean; id: number }>(core.hostSocket, { cmd: 'request_spawn', name });
      if (!req) return;
      if (!req.ok) continue;
      ledger.spawns.set(req.id, name);
      const approve = rand() < 0.6;
      ledger.inFlight.add(req.id);
      const res = await ask<{ ok: boolean; code?: string }>(core.hostSocket, approve ? { cmd: 'approve', id: req.id } : { cmd: 'deny', id: req.id, note: 'chaos' });
      if (!res) return; // the core died mid-resolution: its outcome is checked after the restart
      ledger.inFlight.delete(req.id);
      if (res.ok) ledger.resolved.set(req.id, approve ? 'approved' : 'denied');
      else if (approve && res.code === 'unavailable') ledger.resolved.set(req.id, 'failed');
      await trimSpawned(core, ledger);
    }
  };
  const workers = [operatorMessages(), operatorMessages(), agentQuestions(), spawns()];
  return {
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

/** Destroy (with purge) the oldest spawned agents beyond MAX_SPAWNED. */
async function trimSpawned(core: RunningCore, ledger: Ledger): Promise<void> {
  const list = await requestOnce<{ agents: string[] }>(core.hostSocket, { cmd: 'list' }).catch(() => undefined);
  const spawned = (list?.agents ?? []).filter((n) => !AGENTS.includes(n));
  for (const name of spawned.slice(0, Math.max(0, spawned.length - MAX_SPAWNED))) {
    ledger.destroyed.add(name);
    await requestOnce(core.hostSocket, { cmd: 'destroy', name, purge: true }, { timeoutMs: 20_000 }).catch(() => undefined);
  }
}

/** After a restart: what the store and the roster must say, given the ledger. Returns the problems found. */
async function audit(core: RunningCore, ledger: Ledger): Promise<{ lost: number; doubleResolutions: number; spawnMismatches: number; problems: string[] }> {
  const problems: string[] = [];
  const db = new Database(path.join(core.stateDir, 'hyperhive.sqlite'), { readonly: true });
  let lost = 0;
  let doubleResolutions = 0;
  let spawnMismatches = 0;
  try {
    const has = (table: string, ids: number[]) => {
      const present = new Set((db.prepare(`SELECT id FROM ${table}`).all() as { id: number }[]).map((r) => r.id));
      const missing = ids.filter((id) => !present.has(id));
      if (missing.length) problems.push(`${missing.length} acknowledged ${table} rows are gone (e.g. #${missing[0]})`);
      return missing.length;
    };
    lost += has('messages', ledger.messages) + has('questions', ledger.questions) + has('approvals', [...ledger.spawns.keys()]);
    const approvals = new Map(
      (db.prepare("SELECT id, status, applying FROM approvals WHERE kind = 'spawn'").all() as { id: number; status: string; applying: number }[]).map((r) => [r.id, r]),
    );
    for (const [id, said] of ledger.resolved) {
      const status = approvals.get(id)?.status;
      if (status !== said) {
        lost++;
        problems.push(`approval #${id} was answered ${said} but the store says ${status}`);
      }
    }
    const decisions = db
      .prepare("SELECT target, COUNT(*) AS n FROM audit WHERE action IN ('approve', 'deny', 'cancel') GROUP BY target HAVING n > 1")
      .all() as { target: string; n: number }[];
    doubleResolutions = decisions.length;
    for (const d of decisions) problems.push(`approval #${d.target} was resolved ${d.n} times`);
    const agents = new Set((await requestOnce<{ agents: string[] }>(core.hostSocket, { cmd: 'list' })).agents);
    for (const [id, name] of ledger.spawns) {
      const row = approvals.get(id);
      if (!row || ledger.destroyed.has(name)) continue;
      if (row.applying) problems.push(`approval #${id} is still marked applying after a restart`);
      const exists = agents.has(name);
      const leftovers = [path.join(core.stateDir, 'agents', name), path.join(core.runtimeDir, 'agents', name)].filter((p) => fs.existsSync(p));
      if ((row.status === 'approved') !== exists || (!exists && leftovers.length > 0)) {
        spawnMismatches++;
        problems.push(`spawn #${id} of ${name} is ${row.status} but the agent ${exists ? 'exists' : `does not exist${leftovers.length ? ` (left: ${leftovers.join(', ')})` : ''}`}`);
      }
    }
  } finally {
    db.close();
  }
  return { lost, doubleResolutions, spawnMismatches, problems };
}

/** Wait until exactly one harness runs per agent on the roster and none for anything else; seconds taken, or null. */
async function oneHarnessEach(core: RunningCore, timeoutMs: number): Promise<{ seconds: number | null; last: string }> {
  const started = Date.now();
  let last = '';
  const ok = await waitFor(
    async () => {
      const agents = (await requestOnce<{ agents: string[] }>(core.hostSocket, { cmd: 'list' })).agents;
      const harnesses = harnessPids(core.runtimeDir);
      last = JSON.stringify(Object.fromEntries([...harnesses].map(([n, pids]) => [n, pids.length])));
      return agents.every((n) => harnesses.get(n)?.length === 1) && [...harnesses.keys()].every((n) => agents.includes(n));
    },
    { timeoutMs, intervalMs: 100, what: 'one harness per agent' },
  ).then(
    () => true,
    () => false,
  );
  return { seconds: ok ? (Date.now() - started) / 1000 : null, last };
}

function integrity(file: string): string {
  const db = new Database(file);
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

async function run(seed: number): Promise<ChaosReport> {
  const rounds = intFlag('rounds', 20);
  const budgetMs = intFlag('seconds', 180) * 1000;
  const rand = seededRandom(seed);
  const ledger = new Ledger();
  const failures: string[] = [];
  const started = Date.now();
  let core = await startCore({ config: hiveConfig() });
  const dir = core.dir;
  let kills = 0;
  let integrityOk = 0;
  let lost = 0;
  let doubleResolutions = 0;
  let spawnMismatches = 0;
  let harnessOk = 0;
  let slowestHarnessSeconds = 0;
  let leftAfterStop = -1;
  let cutShort = 0;
  let cutShortDecided = 0;
  try {
    for (let round = 0; round < rounds && Date.now() - started < budgetMs; round++) {
      const load = startLoad(core, ledger, rand, round);
      await new Promise((r) => setTimeout(r, 300 + rand() * 1700));
      core.proc.kill('SIGKILL');
      await waitFor(() => core.proc.signalCode !== null, { what: 'the core to die' });
      kills++;
      await load.stop();
      const check = integrity(path.join(core.stateDir, 'hyperhive.sqlite'));
      if (check === 'ok') integrityOk++;
      else failures.push(`round ${round}: integrity_check said ${check}`);

      core = await startCore({ dir });
      const found = await audit(core, ledger);
      lost += found.lost;
      doubleResolutions += found.doubleResolutions;
      spawnMismatches += found.spawnMismatches;
      failures.push(...found.problems.map((p) => `round ${round}: ${p}`));
      const harnesses = await oneHarnessEach(core, 15_000);
      if (harnesses.seconds !== null) {
        harnessOk++;
        slowestHarnessSeconds = Math.max(slowestHarnessSeconds, harnesses.seconds);
      } else {
        failures.push(`round ${round}: not exactly one harness per agent after 15 s (${harnesses.last})`);
      }
      // A second resolution of anything whose first one was cut short must be refused unless nothing was decided.
      for (const id of [...ledger.inFlight]) {
        const res = await requestOnce<{ ok: boolean; code?: string }>(core.hostSocket, { cmd: 'deny', id, note: 'after the crash' }).catch(() => undefined);
        ledger.inFlight.delete(id);
        cutShort++;
        if (res?.ok) ledger.resolved.set(id, 'denied');
        else if (res?.code === 'conflict') cutShortDecided++;
      }
    }
    await core.stop();
    leftAfterStop = [...harnessPids(core.runtimeDir).values()].flat().length;
    await waitFor(() => harnessPids(core.runtimeDir).size === 0, { timeoutMs: 10_000, what: 'no harness after a clean stop' }).then(
      () => (leftAfterStop = 0),
      () => failures.push(`a clean stop left ${leftAfterStop} harness(es) running`),
    );
  } finally {
    core.proc.kill('SIGKILL');
    for (const pid of [...harnessPids(path.join(dir, 'run')).values()].flat()) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const resolutions = [...ledger.resolved.values()];
  return {
    name: 'kill-core',
    ok: failures.length === 0,
    figures: {
      rounds: kills,
      integrity_ok: `${integrityOk}/${kills}`,
      acked_messages: ledger.messages.length,
      acked_questions: ledger.questions.length,
      acked_spawn_requests: ledger.spawns.size,
      acked_resolutions: `${resolutions.length} (${resolutions.filter((r) => r === 'approved').length} approved, ${resolutions.filter((r) => r === 'denied').length} denied, ${resolutions.filter((r) => r === 'failed').length} failed)`,
      resolutions_cut_by_a_kill: `${cutShort} (${cutShortDecided} already decided)`,
      lost,
      double_resolutions: doubleResolutions,
      spawn_mismatches: spawnMismatches,
      one_harness_each: `${harnessOk}/${kills}`,
      slowest_to_one_harness_s: slowestHarnessSeconds.toFixed(1),
      harnesses_after_clean_stop: leftAfterStop,
    },
    failures,
  };
}

export const chaosCase: ChaosCase = {
  name: 'kill-core',
  about: 'kill -9 of the core under load (process backend, real harnesses), then a restart',
  run,
};

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const started = Date.now();
  const report = await run(intFlag('seed', Date.now() % 1_000_000));
  console.log(formatTable([{ report, seconds: (Date.now() - started) / 1000 }]));
  process.exit(report.ok ? 0 : 1);
}

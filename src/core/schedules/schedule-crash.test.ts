// A core killed the hardest way (SIGKILL) in the middle of delivering a schedule's slot: the slot was posted
// in the same transaction that moves the schedule on, so neither survives, and the next core delivers it once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { entries, repoRoot, waitFor } from '../../testing/hive.js';
import { requestOnce, type AgentStatusRow, type Schedule } from '../../protocol/index.js';

const CLOCKED_CORE = path.join(repoRoot, 'dist', 'src', 'core', 'testing', 'clocked-core.js');
const FRIDAY_NOON = Date.parse('2026-05-01T12:00:00Z');
const HOUR = 3_600_000;
const CONFIG = JSON.stringify({ name: 'crash', backend: 'external', manager: 'manager', agents: { manager: {}, iris: {} } });

/** A clocked core over `dir` at `startMs`; resolves with its host socket once it listens. */
async function clockedCore(dir: string, startMs: number, crashAt: string): Promise<{ proc: ChildProcess; socket: string }> {
  const proc = spawn(process.execPath, [CLOCKED_CORE, CONFIG, path.join(dir, 'state'), path.join(dir, 'run'), String(startMs), entries.agent], {
    env: { ...process.env, HYPERHIVE_CRASH_AT: crashAt },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  for await (const line of readline.createInterface({ input: proc.stdout! })) {
    if (line.startsWith('ready ')) return { proc, socket: line.slice('ready '.length) };
  }
  throw new Error(`the clocked core exited (${proc.exitCode ?? proc.signalCode}) before it was ready`);
}

test('a core killed while delivering a slot: the next core delivers that slot once, not twice and not never', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const first = await clockedCore(dir, FRIDAY_NOON, 'schedule-delivering');
  t.after(() => first.proc.kill('SIGKILL'));
  const ask = <T>(socket: string, m: object) => requestOnce(socket, m) as Promise<T>;
  const { id, schedule_id } = await ask<{ id: number; schedule_id: number }>(first.socket, { cmd: 'schedule_prompt', to: 'iris', prompt: 'tick', every_seconds: 3600, actor: 'alice@box' });
  assert.equal((await ask<{ ok: boolean }>(first.socket, { cmd: 'approve', id, actor: 'alice@box' })).ok, true);
  first.proc.stdin!.write(`set ${FRIDAY_NOON + HOUR}\n`);
  await waitFor(() => first.proc.signalCode === 'SIGKILL', { what: 'the core to die mid-delivery' });

  const second = await clockedCore(dir, FRIDAY_NOON + HOUR + 1000, '');
  t.after(() => second.proc.kill('SIGKILL'));
  const schedule = await waitFor(async () => {
    const s = (await ask<{ schedules: Schedule[] }>(second.socket, { cmd: 'schedules' })).schedules.find((x) => x.id === schedule_id);
    return s && s.fired > 0 ? s : undefined;
  }, { what: 'the slot delivered by the next core' });
  assert.deepEqual([schedule.fired, schedule.missed, schedule.next_due_at], [1, 0, (FRIDAY_NOON + 2 * HOUR) / 1000]);
  const iris = (await ask<{ agent_statuses: AgentStatusRow[] }>(second.socket, { cmd: 'agent_status' })).agent_statuses.find((r) => r.name === 'iris')!;
  assert.equal(iris.unread, 1, 'one message in the inbox: the crashed delivery left none behind');
  second.proc.stdin!.end();
  await waitFor(() => second.proc.exitCode !== null, { what: 'the second core to close' });
});

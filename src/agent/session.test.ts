// End-to-end: under the external backend two harnesses started for one agent never both take turns:
// the core gives the session to one, the other waits (retrying) and takes over when the first is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import type { TurnStat } from '../protocol/index.js';
import { AGENT_MAIN, FAKE_CLAUDE } from './test-paths.js';

function startHarness(core: RunningCore, label: string): { proc: ChildProcess; log: () => string } {
  const stateDir = path.join(core.dir, `harness-${label}`);
  const proc = spawn(
    process.execPath,
    [AGENT_MAIN, 'run', '--name', 'iris', '--socket', core.agentSocket('iris'), '--state-dir', stateDir, '--command', JSON.stringify(['node', FAKE_CLAUDE])],
    { env: { ...process.env, FAKE_CLAUDE_PACE_MS: '0', FAKE_CLAUDE_NO_TOOLS: '1', HYPERHIVE_RECV_WAIT_MS: '500' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  return { proc, log: () => log };
}

async function operatorTurns(core: RunningCore): Promise<TurnStat[]> {
  return (await core.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats.filter((s) => s.wake_from === 'operator');
}

test('a second harness for one agent is refused the session and takes no turn until the first is gone', async () => {
  const core = await startCore({ config: { agents: { iris: {} } } });
  const a = startHarness(core, 'a');
  let b: ReturnType<typeof startHarness> | undefined;
  try {
    await waitFor(async () => (await core.request<{ agent_statuses: { running: boolean }[] }>({ cmd: 'agent_status' })).agent_statuses[0]!.running, {
      what: 'the first harness to hold the session',
    });
    b = startHarness(core, 'b');
    await waitFor(() => /control subscription refused: iris already has a harness attached/.test(b!.log()), { what: 'the second harness to be refused' });
    for (let i = 0; i < 3; i++) await core.request({ cmd: 'send', to: 'iris', body: `message ${i}` });
    await waitFor(async () => (await operatorTurns(core)).length === 3, { what: 'three turns', timeoutMs: 20_000 });
    assert.equal(fs.existsSync(path.join(core.dir, 'harness-b', 'work', '.fake-claude-runs')), false, 'the refused harness ran no command');

    a.proc.kill('SIGTERM');
    await new Promise((resolve) => (a.proc.exitCode !== null ? resolve(null) : a.proc.once('exit', resolve)));
    await waitFor(async () => (await core.request<{ agent_statuses: { running: boolean }[] }>({ cmd: 'agent_status' })).agent_statuses[0]!.running, {
      what: 'the second harness to take the session',
    });
    await core.request({ cmd: 'send', to: 'iris', body: 'for the second' });
    await waitFor(async () => (await operatorTurns(core)).length === 4, { what: 'the turn taken by the second harness', timeoutMs: 20_000 });
    assert.ok(fs.existsSync(path.join(core.dir, 'harness-b', 'work', '.fake-claude-runs')), 'the second harness took over');
  } finally {
    a.proc.kill('SIGKILL');
    b?.proc.kill('SIGKILL');
    await core.cleanup();
  }
});

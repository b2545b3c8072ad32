// End-to-end: kill -9 of a core under the process backend never leaves an agent with two harnesses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { collectLines, harnessPids, listProcesses, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { FAKE_CLAUDE } from '../agent/test-paths.js';
import type { TurnStat } from '../protocol/index.js';

const AGENTS = ['bob', 'iris', 'zed'];

function config() {
  const agent = (extra: Record<string, string> = {}) => ({
    command: ['node', FAKE_CLAUDE],
    env: { FAKE_CLAUDE_PACE_MS: '0', FAKE_CLAUDE_NO_TOOLS: '1', HYPERHIVE_HEARTBEAT_MS: '200', ...extra },
  });
  // bob's command hangs on "hang", so a turn is in flight when the core dies.
  return { name: 'orphans', backend: 'process', agents: { bob: agent({ FAKE_CLAUDE_HANG_ON: 'hang' }), iris: agent(), zed: agent() } };
}

/** One harness per agent, each holding its session: the roster says running for all. */
async function oneHarnessEach(core: RunningCore, what: string, timeoutMs = 10_000): Promise<Map<string, number[]>> {
  return waitFor(
    async () => {
      const harnesses = harnessPids(core.runtimeDir);
      if (!AGENTS.every((name) => harnesses.get(name)?.length === 1) || harnesses.size !== AGENTS.length) return undefined;
      const rows = (await core.request<{ agent_statuses: { name: string; running: boolean }[] }>({ cmd: 'agent_status' })).agent_statuses;
      return rows.every((r) => r.running) ? harnesses : undefined;
    },
    { timeoutMs, what, intervalMs: 100 },
  );
}

/** fake-claude processes running in `name`'s work dir. */
function commandsOf(core: RunningCore, name: string): number[] {
  const workDir = path.join(core.stateDir, 'agents', name, 'work');
  return listProcesses()
    .filter((p) => p.argv.includes(FAKE_CLAUDE) && p.cwd === workDir)
    .map((p) => p.pid);
}

test('kill -9 of the core: the next core runs exactly one harness per agent, one message is one turn, and a clean stop leaves none', async () => {
  const first = await startCore({ config: config() });
  const dir = first.dir;
  let second: RunningCore | undefined;
  try {
    const before = await oneHarnessEach(first, 'three harnesses under the first core', 30_000);
    await first.request({ cmd: 'send', to: 'bob', body: 'hang here' });
    await waitFor(() => commandsOf(first, 'bob').length === 1, { what: "bob's turn to be running" });

    first.proc.kill('SIGKILL');
    await waitFor(() => first.proc.signalCode === 'SIGKILL', { what: 'the first core to die' });
    // The harnesses see their core go and end, with their turn's command.
    const oldPids = [...before.values()].flat();
    await waitFor(() => !listProcesses().some((p) => oldPids.includes(p.pid)), { what: 'the first core\'s harnesses to exit', timeoutMs: 10_000 });

    second = await startCore({ dir });
    const after = await oneHarnessEach(second, 'exactly one harness per agent within 10 s of the restart');
    assert.ok([...after.values()].flat().every((pid) => !oldPids.includes(pid)), 'all of them started by the new core');
    // bob's interrupted message is handed to the new harness, which runs it once (and hangs again): one command, not two.
    await waitFor(() => commandsOf(second!, 'bob').length === 1, { what: "bob's redelivered turn" });

    const stream = await second.connect();
    assert.equal((await stream.request({ cmd: 'agent_stream', name: 'iris', history: 0 })).ok, true);
    const live = collectLines(stream);
    // Operator turns only: the core's own `restarted` notes make turns of their own.
    const turns = async () =>
      (await second!.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats.filter((s) => s.wake_from === 'operator').length;
    const turnsBefore = await turns();
    await second.request({ cmd: 'send', to: 'iris', body: 'exactly once' });
    await waitFor(async () => (await turns()) === turnsBefore + 1, { what: 'the turn of the message', timeoutMs: 20_000 });
    // A second message behind it: once its turn is done, a duplicate of the first would have shown.
    await second.request({ cmd: 'send', to: 'iris', body: 'and then this' });
    await waitFor(async () => (await turns()) === turnsBefore + 2, { what: 'the turn of the next message', timeoutMs: 20_000 });
    const operatorTurns = () => live.filter((e) => e.kind === 'turn_start' && e.from === 'operator').map((e) => e.body);
    await waitFor(() => operatorTurns().length >= 2, { what: 'both turn_start events on the stream' });
    assert.deepEqual(operatorTurns(), ['exactly once', 'and then this']);
    assert.equal(harnessPids(second.runtimeDir).get('iris')?.length, 1);
    stream.close();

    assert.equal(await second.stop(), 0);
    await waitFor(() => harnessPids(second!.runtimeDir).size === 0 && commandsOf(second!, 'bob').length === 0, {
      what: 'no harness and no command after a clean stop',
      timeoutMs: 10_000,
    });
  } finally {
    first.proc.kill('SIGKILL');
    await second?.cleanup();
    for (const pid of [...harnessPids(path.join(dir, 'run')).values()].flat()) process.kill(pid, 'SIGKILL');
  }
});

// End to end: the real core under the process backend samples a real harness and the fake claude it runs;
// `hyperhive resources` shows them, and the turn's stats row carries the peaks the core saw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { entries, harnessPids, repoRoot, startCore, waitFor, type RunningCore } from '../../testing/hive.js';
import type { ResourceSample, TurnStat } from '../../protocol/index.js';

const FAKE_CLAUDE = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');

async function sample(core: RunningCore): Promise<ResourceSample | undefined> {
  return (await core.request<{ agents: ResourceSample[] }>({ cmd: 'resources' })).agents.find((s) => s.name === 'iris');
}

test('a running agent\'s harness and its claude are sampled; the turn\'s stats row gets the peaks', { timeout: 90_000 }, async () => {
  const core = await startCore({
    config: {
      backend: 'process',
      resources: { sample_seconds: 1 },
      // The turn writes one line and hangs, so it is certainly running while the test looks.
      agents: { iris: { command: ['node', FAKE_CLAUDE], env: { FAKE_CLAUDE_PACE_MS: '0', FAKE_CLAUDE_HANG_ON: 'hold on' } } },
    },
  });
  try {
    // A started harness first takes a turn for its `restarted` helper event; idle is after that one.
    await waitFor(async () => (await core.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats.length === 1, {
      what: 'the first turn', timeoutMs: 30_000,
    });
    const idle = await waitFor(async () => {
      const s = await sample(core);
      return s?.processes === 1 ? s : undefined;
    }, { what: 'a sample of the idle harness', timeoutMs: 30_000 });
    const harness = await waitFor(() => harnessPids(core.runtimeDir).get('iris')?.[0], { what: 'the harness process' });
    assert.deepEqual([idle.pid, idle.processes, idle.turn_peak_rss_bytes], [harness, 1, undefined]);
    assert.ok(idle.rss_bytes > 20 * 1024 * 1024, `a node harness holds more than 20 MiB (${idle.rss_bytes})`);

    const ctl = spawnSync(process.execPath, [entries.ctl, '--socket', core.hostSocket, 'resources'], { encoding: 'utf8' });
    assert.equal(ctl.status, 0, ctl.stderr);
    assert.match(ctl.stdout, new RegExp(`^NAME\\s+PID\\s+CPU\\s+RSS\\s+PROCS\\s+TURN PEAK\\niris\\s+${harness}\\s+\\d+%\\s+\\d+(\\.\\d)?M\\s+1\\s+-\\n$`));

    assert.equal((await core.request({ cmd: 'send', to: 'iris', body: 'hold on to this' })).ok, true);
    const busy = await waitFor(async () => {
      const s = await sample(core);
      return s && s.processes >= 2 && s.turn_peak_rss_bytes !== undefined ? s : undefined;
    }, { what: 'a sample with the turn\'s claude in the tree', timeoutMs: 30_000 });
    assert.ok(busy.rss_bytes > idle.rss_bytes, 'the tree with claude in it holds more than the harness alone');

    assert.equal((await core.request({ cmd: 'agent_control', name: 'iris', action: 'cancel_turn' })).ok, true);
    const stat = await waitFor(async () => (await core.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats.find((s) => s.wake_from === 'operator'), {
      what: 'the cancelled turn\'s stats row', timeoutMs: 30_000,
    });
    assert.equal(stat.result_kind, 'cancelled');
    assert.ok(stat.peak_rss_bytes! >= busy.rss_bytes, `peak ${stat.peak_rss_bytes} ≥ the sample seen during the turn ${busy.rss_bytes}`);
    assert.ok(stat.peak_cpu_percent! >= 0);
    const after = await waitFor(async () => {
      const s = await sample(core);
      return s && s.processes === 1 ? s : undefined;
    }, { what: 'the harness alone again' });
    assert.equal(after.turn_peak_rss_bytes, undefined, 'no peaks between turns');
  } finally {
    await core.cleanup();
  }
});

test('under the external backend nothing is sampled, and the answer says why', async () => {
  const core = await startCore({ config: { agents: { iris: {} } } });
  try {
    assert.deepEqual(await core.request({ cmd: 'resources' }), {
      version: 1, ok: true, sample_seconds: 5, agents: [], more: false, note: 'resources are sampled under the process backend only',
    });
    assert.equal((await core.connect(core.readOnlySocket).then((c) => c.request<{ ok: boolean }>({ cmd: 'resources' }))).ok, true, 'a read verb');
  } finally {
    await core.cleanup();
  }
});

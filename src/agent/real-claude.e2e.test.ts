/**
 * End to end with the real Claude Code CLI from npm, without an account: the
 * harness's exact flags are accepted (claude gets as far as its `init` line
 * and its "Not logged in" answer, not a usage error), the turn sets
 * needs_login on the row, and the message is kept for after the login.
 *
 * The CLI is ~240 MB, so it is never a dependency of the project: this test
 * installs it once into a cache outside the repo
 * (`$XDG_CACHE_HOME/hyperhive-tests/claude-code`, else `~/.cache/…`) and
 * skips, saying why, only when that install is impossible (no registry).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCore, waitFor } from '../testing/hive.js';
import type { AgentStatusRow, TurnStat } from '../protocol/index.js';

const CACHE = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'hyperhive-tests', 'claude-code');
const BIN = path.join(CACHE, 'node_modules', '.bin', 'claude');

/** The CLI's path, installing it first when the cache lacks it; or why it cannot be had. */
function realClaude(): { bin: string } | { skip: string } {
  if (process.env.ANTHROPIC_API_KEY) return { skip: 'ANTHROPIC_API_KEY is set: the real CLI would be logged in, and this test is about a logged-out one' };
  if (!fs.existsSync(BIN)) {
    fs.mkdirSync(CACHE, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const install = spawnSync(npm, ['install', '--prefix', CACHE, '--no-audit', '--no-fund', '--no-save', '@anthropic-ai/claude-code'], { encoding: 'utf8', timeout: 10 * 60_000 });
    if (install.status !== 0 || !fs.existsSync(BIN)) {
      const why = (install.error?.message ?? install.stderr ?? '').trim().split('\n').slice(-2).join(' ');
      return { skip: `cannot install @anthropic-ai/claude-code into ${CACHE}: ${why || `npm exited with ${install.status}`}` };
    }
  }
  const version = spawnSync(BIN, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (version.status !== 0) return { skip: `the installed claude does not run here: ${(version.stderr || version.error?.message || '').trim().slice(0, 200)}` };
  return { bin: BIN };
}

const found = realClaude();

test('the real claude, logged out: the harness\'s flags are accepted, needs_login is set, no message is lost', { skip: 'skip' in found ? found.skip : false, timeout: 180_000 }, async () => {
  const bin = (found as { bin: string }).bin;
  const core = await startCore({ config: { backend: 'process', agents: { iris: { command: [bin], model: 'haiku', env: { HYPERHIVE_HEARTBEAT_MS: '500' } } } } });
  try {
    const row = async () => (await core.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' })).agent_statuses[0]!;
    const held = await waitFor(async () => ((await row()).needs_login ? row() : undefined), { what: 'needs_login from the real claude', timeoutMs: 120_000 });
    assert.equal(held.pause_reason?.kind, 'login');
    assert.equal(held.failed, false);
    const stat = (await core.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats[0]!;
    assert.equal(stat.result_kind, 'needs_login', JSON.stringify(stat));
    assert.match(stat.note ?? '', /Not logged in/);
    // Its own config dir: the real claude wrote its settings there, not in $HOME.
    assert.ok(fs.existsSync(path.join(core.stateDir, 'agents', 'iris', 'claude')));
    // The start-up message is unacked, and a new one waits beside it.
    assert.equal((await core.request<{ ok: boolean }>({ cmd: 'send', to: 'iris', body: 'are you there?' })).ok, true);
    await waitFor(async () => (await row()).unread === 2, { what: 'both messages waiting' });
    const runs = (await core.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats.length;
    assert.equal(runs, 1, 'the paused harness burns no turns');
  } finally {
    await core.cleanup();
  }
});

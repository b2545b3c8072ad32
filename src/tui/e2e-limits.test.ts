/**
 * End to end: an agent held by a usage limit (fake claude replaying the limit
 * transcript) needs the operator on the roster, with the countdown to the
 * reset and the reason in its status; `p` and one `y` resume it, and the
 * held message runs once claude can work again.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import type { AgentStatusRow, TurnStat } from '../protocol/index.js';
import { tuiEntry } from './testing/demo-hive.js';

const FAKE_CLAUDE = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');
const { tmux, screen, press, waitScreen, kill } = tmuxTerminal(`hh-tui-limits-${process.pid}`, 'limits');
let core: RunningCore | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tui-limit-'));

after(async () => {
  kill();
  await core?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a usage limit on the roster: needs you, the countdown, the reason; p and y resume it', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  const limitFile = path.join(dir, 'limit');
  fs.writeFileSync(limitFile, String(Math.floor(Date.now() / 1000) + 2 * 3600 + 600));
  core = await startCore({
    config: { backend: 'process', agents: { iris: { command: ['node', FAKE_CLAUDE], env: { FAKE_CLAUDE_LIMIT: limitFile, FAKE_CLAUDE_PACE_MS: '0', HYPERHIVE_HEARTBEAT_MS: '200' } } } },
  });
  const running = core;
  const row = async () => (await running.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' })).agent_statuses[0]!;
  await waitFor(async () => (await row()).pause_reason?.kind === 'usage_limit', { what: 'iris held by the limit', timeoutMs: 20_000 });
  const tuiErr = path.join(running.dir, 'tui.stderr');
  tmux('new-session', '-d', '-s', 'limits', '-x', '160', '-y', '30', `TERM=tmux-256color ${process.execPath} ${tuiEntry} --socket ${running.hostSocket} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`);
  const shown = await waitFor(() => (/● live[\s\S]*⏳limit 2h/.test(screen()) ? screen() : undefined), { timeoutMs: 40_000, what: 'the limit with its countdown on the roster' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- stderr ---\n${fs.existsSync(tuiErr) ? fs.readFileSync(tuiErr, 'utf8') : ''}`);
  });
  assert.match(shown, /need you/, 'the header counts it');
  assert.match(shown, /resets in 2h\d*m?, p resumes — usage limit/);

  fs.rmSync(limitFile);
  press('p');
  await waitScreen(/resume iris\? \[y\/N\]/, 'one confirm line');
  press('y');
  const stats = async () => (await running.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats;
  await waitFor(async () => (await stats()).some((s) => s.result_kind === 'ok'), { what: 'the held message to run', timeoutMs: 20_000 });
  assert.equal((await row()).paused, false);
  await waitFor(() => !/⏳limit/.test(screen()), { what: 'the mark gone from the roster' });
  press('q');
  await waitScreen(/hyperhive-tui exited with 0/, 'a clean exit');
});

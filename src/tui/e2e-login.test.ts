/**
 * End to end: a logged-out agent (fake claude's logged-out mode) shows as
 * needs login on the roster; `L` on its row starts claude's login through the
 * core, the console shows the sign-in address, the pasted code goes back to
 * claude, and the agent comes back with its held message run.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import type { AgentStatusRow, TurnStat } from '../protocol/index.js';
import { tuiEntry } from './testing/demo-hive.js';

const FAKE_CLAUDE = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');
const { tmux, screen, press, type, waitScreen, kill } = tmuxTerminal(`hh-tui-login-${process.pid}`, 'login');
let core: RunningCore | undefined;

after(async () => {
  kill();
  await core?.cleanup();
});

test('L on a needs-login row: the address on screen, the code pasted, the agent runs again', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  core = await startCore({
    config: {
      backend: 'process',
      agents: { iris: { command: ['node', FAKE_CLAUDE], env: { FAKE_CLAUDE_LOGIN: 'required', FAKE_CLAUDE_PACE_MS: '0', HYPERHIVE_HEARTBEAT_MS: '200' } } },
    },
  });
  const running = core;
  const row = async () => (await running.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' })).agent_statuses[0]!;
  await waitFor(async () => (await row()).needs_login, { what: 'iris to need a login', timeoutMs: 20_000 });
  const tuiErr = path.join(running.dir, 'tui.stderr');
  tmux('new-session', '-d', '-s', 'login', '-x', '120', '-y', '30', `TERM=tmux-256color ${process.execPath} ${tuiEntry} --socket ${running.hostSocket} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`);
  await waitFor(() => /● live[\s\S]*🔑 login iris/.test(screen()), { timeoutMs: 40_000, what: 'iris on the roster as needs login' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- stderr ---\n${fs.existsSync(tuiErr) ? fs.readFileSync(tuiErr, 'utf8') : ''}`);
  });

  press('L');
  await waitScreen(/claude login of iris: waiting for code/, 'the login waiting for its code');
  await waitScreen(/https:\/\/claude\.ai\/oauth\/authorize\?code=true/, 'the sign-in address on screen');
  await waitScreen(/login iris — open the address above, sign in, paste the code: \[▏\]/, 'the code input');
  type('fake-code#0000');
  press('Enter');
  await waitFor(async () => !(await row()).needs_login, { what: 'needs_login cleared', timeoutMs: 20_000 });
  const stats = async () => (await running.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats;
  await waitFor(async () => (await stats()).some((s) => s.result_kind === 'ok'), { what: 'the held message to run', timeoutMs: 20_000 });
  await waitFor(() => !/🔑 login iris/.test(screen()), { what: 'the roster to drop the login mark' });
  assert.doesNotMatch(screen(), /fake-code#0000/, 'the code is not left on screen');
  press('q');
  await waitScreen(/hyperhive-tui exited with 0/, 'a clean exit');
});

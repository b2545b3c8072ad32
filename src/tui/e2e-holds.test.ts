/**
 * End to end: agents held by their budget, by their account's usage limit
 * and by a logged-out claude (fake claude's modes, a real core) each show in
 * the console's attention view (`2`) with their sentence, and each goes
 * once its action is done there: B raises the budget, p resumes the
 * account's agents, L logs the agent in.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import type { AgentStatusRow } from '../protocol/index.js';
import { tuiEntry } from './testing/demo-hive.js';

const FAKE_CLAUDE = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');
const fast = { FAKE_CLAUDE_PACE_MS: '0', HYPERHIVE_HEARTBEAT_MS: '200' };
const { tmux, screen, press, type, waitScreen, kill } = tmuxTerminal(`hh-tui-holds-${process.pid}`, 'holds');
let core: RunningCore | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tui-holds-'));

after(async () => {
  kill();
  await core?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the attention view lists a budget pause, an account\'s usage limit and a login, and each clears after its action there', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  const limitFile = path.join(dir, 'limit');
  fs.writeFileSync(limitFile, String(Math.floor(Date.now() / 1000) + 3 * 3600));
  core = await startCore({
    config: {
      backend: 'process',
      budgets: { timezone: 'UTC', agents: { spender: { daily_usd: 0.01 } } },
      accounts: { lab: ['limited'] },
      agents: {
        spender: { command: ['node', FAKE_CLAUDE], env: fast },
        limited: { command: ['node', FAKE_CLAUDE], env: { ...fast, FAKE_CLAUDE_LIMIT: limitFile } },
        keyless: { command: ['node', FAKE_CLAUDE], env: { ...fast, FAKE_CLAUDE_LOGIN: 'required' } },
      },
    },
  });
  const running = core;
  const rows = async () => Object.fromEntries((await running.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' })).agent_statuses.map((r) => [r.name, r]));
  await waitFor(async () => {
    const r = await rows();
    return r.spender?.pause_reason?.kind === 'budget' && r.limited?.pause_reason?.kind === 'usage_limit' && r.keyless?.needs_login;
  }, { what: 'the three agents held', timeoutMs: 30_000 });

  const tuiErr = path.join(running.dir, 'tui.stderr');
  tmux('new-session', '-d', '-s', 'holds', '-x', '170', '-y', '36', `TERM=tmux-256color ${process.execPath} ${tuiEntry} --socket ${running.hostSocket} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`);
  await waitFor(() => /● live/.test(screen()), { timeoutMs: 40_000, what: 'the console live' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- stderr ---\n${fs.existsSync(tuiErr) ? fs.readFileSync(tuiErr, 'utf8') : ''}`);
  });
  press('2');
  const shown = await waitScreen(/attention 3 ·/, 'three items in the attention view');
  assert.match(shown, /\$ budget\s+spender\s+daily\s+.*paused: spender spent \$[\d.]+ of its \$0\.01(00)? daily budget \(\d+%\), until the next budget day/);
  assert.match(shown, /⏸ usage limit\s+limited\s+paused\s+.*account "lab" hit claude's usage limit: limited paused; resets in [23]h\d*m?, paused until resumed/);
  assert.match(shown, /🔑 needs login\s+keyless\s+.*claude is not logged in for keyless; its messages wait until it is/);

  // The budget: B, a new daily budget, y; the core resumes spender and the item goes.
  press('/');
  type('spender');
  press('Enter');
  await waitScreen(/attention 1 of 3/, 'the budget item alone');
  press('B');
  await waitScreen(/daily budget of spender in USD, or none \(now \$0\.01(00)?, spent today \$[\d.]+\):/, 'the budget input');
  type('100');
  press('Enter');
  await waitScreen(/set the daily budget of spender to \$100\.00\? \[y\/N\]/, 'one confirm line');
  press('y');
  await waitFor(async () => (await rows()).spender?.paused === false, { what: 'spender resumed', timeoutMs: 20_000 });
  await waitScreen(/attention 0 of 2/, 'the budget item gone');
  press('Escape');
  await waitScreen(/attention 2 ·/, 'the filter cleared');

  // The usage limit: p resumes the account's agent once the limit has lifted.
  press('/');
  type('limited');
  press('Enter');
  await waitScreen(/attention 1 of 2/, 'the limit item alone');
  fs.rmSync(limitFile);
  press('p');
  await waitScreen(/resume limited\? \[y\/N\]/, 'one confirm line');
  press('y');
  await waitFor(async () => (await rows()).limited?.paused === false, { what: 'limited resumed', timeoutMs: 20_000 });
  await waitScreen(/attention 0 of 1/, 'the limit item gone');
  press('Escape');
  await waitScreen(/attention 1 ·/, 'the filter cleared');

  // The login: L starts claude's login; the code pasted logs keyless in and the item goes.
  press('L');
  await waitScreen(/login keyless — open the address above, sign in, paste the code:/, 'the code input');
  type('fake-code#0000');
  press('Enter');
  await waitFor(async () => !(await rows()).keyless?.needs_login, { what: 'keyless logged in', timeoutMs: 20_000 });
  await waitScreen(/nothing needs you/, 'the queue empty');
  press('q');
  await waitScreen(/hyperhive-tui exited with 0/, 'a clean exit');
});

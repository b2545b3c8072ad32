/**
 * End to end: the real core running the demo hive, the compiled console in
 * tmux. Two agents are destroyed with their state kept; from the kept rows
 * below the roster, `r` and `y` revive one (the core queues its spawn
 * approval, shown in the attention queue; a second `r` is refused with the
 * core's sentence) and `x` with the other's name typed purges it for good —
 * each checked through the host socket.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import type { Approval, KeptAgent } from '../protocol/index.js';
import { demoConfig, tuiEntry } from './testing/demo-hive.js';

const { tmux, screen, press, type, waitScreen, kill } = tmuxTerminal(`hh-tui-kept-${process.pid}`, 'kept');
let core: RunningCore | undefined;

after(async () => {
  kill();
  await core?.cleanup();
});

test('kept agents: r and y revive one (its spawn approval queued), x and its typed name purge another', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  core = await startCore({ config: demoConfig() });
  const running = core;
  const host = <T extends Record<string, unknown>>(m: object) => running.request<T>(m);
  const kept = async () => (await host<{ kept: KeptAgent[] }>({ cmd: 'kept' })).kept.map((k) => k.name);
  for (const name of ['damocles', 'iris']) assert.equal((await host<{ ok: boolean }>({ cmd: 'destroy', name, purge: false })).ok, true, `destroy ${name}`);
  // Newest first (by name within one second): the first row is revived, the last purged.
  const order = await kept();
  assert.deepEqual([...order].sort(), ['damocles', 'iris']);
  const [revived, purged] = order as [string, string];

  const tuiErr = path.join(running.dir, 'tui.stderr');
  tmux('new-session', '-d', '-s', 'kept', '-x', '140', '-y', '40', `TERM=tmux-256color ${process.execPath} ${tuiEntry} --socket ${running.hostSocket} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`);
  await waitFor(() => new RegExp(`● live[\\s\\S]*kept 2[\\s\\S]*◌ ${revived}[\\s\\S]*◌ ${purged}`).test(screen()), { timeoutMs: 40_000, what: 'the roster, live, with two kept agents' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- stderr ---\n${fs.existsSync(tuiErr) ? fs.readFileSync(tuiErr, 'utf8') : ''}`);
  });

  // The cursor runs on from the agent (manager) onto the kept rows.
  press('j');
  await waitScreen(new RegExp(`›\\s+◌ ${revived}`), 'the cursor on the first kept row');
  await waitScreen(/Enter details\s+r revive\s+x purge/, 'the footer offers the kept row\'s keys');
  press('r');
  await waitScreen(new RegExp(`revive ${revived}\\? \\(a spawn approval: it comes back on [0-9a-f]{12} once approved\\) \\[y/N\\]`), 'the confirm line naming it');
  press('y');
  await waitFor(async () => (await host<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.some((a) => a.kind === 'spawn' && a.agent === revived && a.revival === true), { timeoutMs: 20_000, what: 'the revival queued in the core' });
  const revival = (await host<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.kind === 'spawn' && a.agent === revived)!;
  assert.match(revival.requested_by ?? '', /@/, 'requested as the console\'s actor');
  await waitScreen(new RegExp(`✓ revive ${revived}: approval #${revival.id} waits in the attention queue`), 'the status line names the approval');

  // Asked again, the core refuses; its sentence shows and nothing changes.
  press('r');
  await waitScreen(new RegExp(`revive ${revived}\\? .*\\[y/N\\]`), 'the confirm line again');
  press('y');
  await waitScreen(new RegExp(`✗ revive ${revived} failed: a spawn of ${revived} is already waiting for approval \\(#${revival.id}\\)`), 'the core\'s refusal');
  assert.equal((await host<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.filter((a) => a.agent === revived).length, 1);

  press('2');
  await waitScreen(new RegExp(`#${revival.id}[^\\n]*${revived}`), 'the revival in the attention queue');
  press('1');
  await waitScreen(/kept 2/, 'back on the roster');

  press('G');
  await waitScreen(new RegExp(`›\\s+◌ ${purged}`), 'the cursor on the last kept row');
  press('x');
  await waitScreen(new RegExp(`purge ${purged} for good\\? .*Type ${purged} and Enter: \\[▏\\]`), 'the typed confirmation');
  type(purged.slice(0, -1));
  press('Enter');
  await waitScreen(new RegExp(`cancelled: purge ${purged} \\("${purged.slice(0, -1)}" is not ${purged}\\); nothing changed`), 'a wrong name cancels');
  assert.deepEqual(await kept(), order);
  press('x');
  await waitScreen(new RegExp(`Type ${purged} and Enter: \\[▏\\]`), 'the typed confirmation again');
  type(purged);
  press('Enter');
  await waitFor(async () => !(await kept()).includes(purged), { timeoutMs: 20_000, what: 'purged in the core' });
  await waitScreen(new RegExp(`✓ purge ${purged}`), 'the status line says so');
  await waitScreen(/kept 1\b/, 'one kept agent left');
  assert.doesNotMatch(screen(), new RegExp(`◌ ${purged}`), 'gone from the kept rows');
  assert.ok(!fs.existsSync(path.join(running.stateDir, 'agents', purged)), 'its state dir is gone');
  assert.ok(fs.existsSync(path.join(running.stateDir, 'agents', revived)), 'the revived one\'s state is still kept');
  press('q');
  await waitScreen(/hyperhive-tui exited with 0/, 'a clean exit');
});

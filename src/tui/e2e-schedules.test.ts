/**
 * End to end: the real core running the demo hive, the compiled console in
 * tmux. `:schedule` proposes a scheduled prompt, the core queues it as an
 * approval; approved, it shows in the schedules view (`5`), where `p` and `y`
 * pause it and `x` and `y` delete it — each checked through the host socket,
 * with the console's actor on the record.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import type { Approval, Schedule } from '../protocol/index.js';
import { demoConfig, tuiEntry } from './testing/demo-hive.js';

const { tmux, screen, press, type, waitScreen, kill } = tmuxTerminal(`hh-tui-sched-${process.pid}`, 'sched');
let core: RunningCore | undefined;

after(async () => {
  kill();
  await core?.cleanup();
});

test(':schedule proposes, the schedules view lists it once approved, p pauses and x deletes it, each after y', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  core = await startCore({ config: demoConfig() });
  const running = core;
  const tuiErr = path.join(running.dir, 'tui.stderr');
  tmux('new-session', '-d', '-s', 'sched', '-x', '140', '-y', '40', `TERM=tmux-256color ${process.execPath} ${tuiEntry} --socket ${running.hostSocket} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`);
  await waitFor(() => /● live[\s\S]*manager/.test(screen()), { timeoutMs: 40_000, what: 'the roster, live' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- stderr ---\n${fs.existsSync(tuiErr) ? fs.readFileSync(tuiErr, 'utf8') : ''}`);
  });
  const host = <T extends Record<string, unknown>>(m: object) => running.request<T>(m);
  const schedules = async () => (await host<{ schedules: Schedule[] }>({ cmd: 'schedules', all: true })).schedules;

  press(':');
  await waitScreen(/^: \[▏\]/m, 'the command line open');
  type('schedule manager 0 9 * * 1-5 tz=Europe/Berlin Write the stand-up notes.');
  press('Enter');
  await waitFor(async () => (await schedules()).length === 1, { timeoutMs: 20_000, what: 'the proposal in the core' });
  const [proposed] = await schedules();
  assert.deepEqual([proposed!.target, proposed!.cron, proposed!.tz, proposed!.state, proposed!.prompt], ['manager', '0 9 * * 1-5', 'Europe/Berlin', 'proposed', 'Write the stand-up notes.']);
  assert.match(proposed!.proposed_by, /@/, 'proposed as the console\'s actor');
  const pending = (await host<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.id === proposed!.approval_id);
  assert.equal(pending?.kind, 'schedule_prompt');
  assert.equal((await host<{ ok: boolean }>({ cmd: 'approve', id: proposed!.approval_id, actor: 'alice@box' })).ok, true);

  press('5');
  await waitScreen(new RegExp(`#${proposed!.id}\\s+manager\\s+active\\s+cron 0 9 \\* \\* 1-5 \\(Europe/Berlin\\)\\s+\\w{3} \\d{4}-\\d\\d-\\d\\d 09:00 CES?T`), 'the schedule, active, next at 09:00 Berlin');
  press('p');
  await waitScreen(new RegExp(`pause schedule #${proposed!.id} \\(→ manager\\)\\? \\[y/N\\]`), 'the confirm line');
  press('y');
  await waitFor(async () => (await schedules())[0]!.state === 'paused', { timeoutMs: 20_000, what: 'paused in the core' });
  assert.match((await schedules())[0]!.paused_by ?? '', /@/, 'paused by the console\'s actor');
  await waitScreen(/paused \(\S+@/, 'the row says who paused it');

  press('x');
  await waitScreen(new RegExp(`delete schedule #${proposed!.id} \\(→ manager\\)\\? \\[y/N\\]`), 'the confirm line');
  press('y');
  await waitFor(async () => (await schedules())[0]!.state === 'ended', { timeoutMs: 20_000, what: 'ended in the core' });
  assert.match((await schedules())[0]!.note ?? '', /^deleted by \S+@/);
  await waitScreen(/ended/, 'the row ended');
  assert.doesNotMatch(screen(), /failed:/, 'no request was refused');
  press('q');
  await waitScreen(/hyperhive-tui exited with 0/, 'a clean exit');
});

/**
 * End to end, as an operator works at 3 a.m.: the real core running the demo
 * hive (process backend, fake claude), the compiled console in tmux, keys
 * in, every outcome checked through the host socket. Three approvals marked
 * with Space and approved with one `a` and one `y` resolve, each exactly
 * once; `:approve N` approves one by its number.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collectLines, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import type { Approval } from '../protocol/index.js';
import { demoConfig, tuiEntry } from './testing/demo-hive.js';

const { tmux, screen, press, waitScreen, kill } = tmuxTerminal(`hh-tui-ops-${process.pid}`, 'ops');
let core: RunningCore | undefined;

after(async () => {
  kill();
  await core?.cleanup();
});

test('bulk approve of three marked approvals resolves each exactly once; :approve N approves one', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  core = await startCore({ config: demoConfig() });
  const running = core;
  const dashboard = await running.connect();
  assert.equal((await dashboard.request({ cmd: 'subscribe' })).ok, true);
  const events = collectLines(dashboard);
  const tuiErr = path.join(running.dir, 'tui.stderr');
  tmux('new-session', '-d', '-s', 'ops', '-x', '120', '-y', '40', `TERM=tmux-256color ${process.execPath} ${tuiEntry} --socket ${running.hostSocket} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`);
  await waitFor(() => /● live[\s\S]*manager/.test(screen()), { timeoutMs: 40_000, what: 'the roster, live' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- stderr ---\n${fs.existsSync(tuiErr) ? fs.readFileSync(tuiErr, 'utf8') : ''}`);
  });
  const host = <T extends Record<string, unknown>>(m: object) => running.request<T>(m);
  const ids: number[] = [];
  for (const name of ['ops-a', 'ops-b', 'ops-c', 'ops-d']) ids.push((await host<{ id: number }>({ cmd: 'request_spawn', name, description: `bulk test ${name}` })).id);
  const [a, b, c, d] = ids as [number, number, number, number];

  // The demo's own agents ask for things too: the filter keeps only ours, then Space marks three. Keys go in
  // as an operator types them, several to a write: the console takes each key of a read, in order.
  press('2');
  await waitScreen(new RegExp(`approval #${d}\\b`), 'the four approvals in the queue');
  press('/bulk test ops-', 'Enter');
  await waitScreen(/filter \/bulk test ops- /, 'the filter in the title');
  await waitScreen(/attention 4 of \d+[^\n]*\n›  ⚑ approval/, 'four rows through the filter, the first selected');
  press('Space', 'Space', 'Space');
  await waitScreen(/· 3 marked/, 'three marked');
  press('a');
  const confirm = await waitScreen(/approve #\d+, #\d+, #\d+\? \[y\/N\]/, 'one confirm line listing the three');
  assert.match(confirm, new RegExp(`approve #${a}, #${b}, #${c}\\? \\[y/N\\]`));
  press('y');
  const status = async (id: number) => (await host<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((x) => x.id === id)?.status;
  await waitFor(async () => (await Promise.all([a, b, c].map(status))).every((s) => s === 'approved'), { timeoutMs: 20_000, what: 'the three approved' });
  assert.equal(await status(d), 'pending', 'the unmarked one is untouched');

  // :approve N for the fourth, typed and entered in one go.
  press(`:approve ${d}`, 'Enter');
  await waitScreen(new RegExp(`approve #${d}\\? \\[y/N\\]`), 'the confirm line for :approve');
  press('y');
  await waitFor(async () => (await status(d)) === 'approved', { timeoutMs: 20_000, what: `#${d} approved` });

  // Each resolved exactly once, as the dashboard saw it (a second resolution would be a second event, or a refusal on screen).
  const resolved = (id: number) => events.filter((e) => e.kind === 'approval_resolved' && e.id === id);
  await waitFor(() => [a, b, c, d].every((id) => resolved(id).length > 0), { what: 'the resolutions on the dashboard' });
  assert.deepEqual([a, b, c, d].map((id) => resolved(id).map((e) => e.status)), [['approved'], ['approved'], ['approved'], ['approved']]);
  assert.doesNotMatch(screen(), /failed:/, 'no request was refused');
  press('q'); // from a top view q quits
  await waitScreen(/hyperhive-tui exited with 0/, 'a clean exit');
  dashboard.close();
});

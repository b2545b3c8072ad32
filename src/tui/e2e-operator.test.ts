/**
 * End to end, as an operator works at 3 a.m.: the real core running the demo
 * hive (process backend, fake claude), the compiled console in tmux, keys
 * in, every outcome checked through the host socket. Three approvals marked
 * with Space and approved with one `a` and one `y` resolve, each exactly
 * once; `:approve N` approves one by its number.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { collectLines, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { demoConfig, tuiEntry } from './testing/demo-hive.js';
import type { Approval } from '../protocol/index.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const tmuxSocket = `hh-tui-ops-${process.pid}`;
let core: RunningCore | undefined;

after(async () => {
  spawnSync('tmux', ['-L', tmuxSocket, 'kill-server']);
  await core?.cleanup();
});

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', tmuxSocket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'ops');
/** One key per call; a test waits for each key's effect before the next, as the console takes one key per read. */
const press = (...keys: string[]) => {
  for (const k of keys) tmux('send-keys', '-t', 'ops', k);
};
const type = (text: string) => tmux('send-keys', '-t', 'ops', '-l', text);

async function waitScreen(pattern: RegExp, what: string, timeoutMs = 15_000): Promise<string> {
  let last = '';
  try {
    await waitFor(() => pattern.test((last = screen())), { timeoutMs, what });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- screen ---\n${last}`);
  }
  return last;
}

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

  // The demo's own agents ask for things too: the filter keeps only ours, then Space marks three.
  press('2');
  await waitScreen(new RegExp(`approval #${d}\\b`), 'the four approvals in the queue');
  press('/');
  await waitScreen(/^\/ \[▏\]/m, 'the filter line open');
  type('bulk test ops-');
  await waitScreen(/filter \/bulk test ops- /, 'the filter in the title');
  await waitScreen(/^\/ \[bulk test ops-▏\]/m, 'the filter typed');
  press('Enter');
  await waitScreen(/attention 4 of \d+[^\n]*\n›  ⚑ approval/, 'four rows through the filter, the first selected');
  for (const marked of [1, 2, 3]) {
    press('Space');
    await waitScreen(new RegExp(`· ${marked} marked`), `${marked} marked`);
  }
  press('a');
  const confirm = await waitScreen(/approve #\d+, #\d+, #\d+\? \[y\/N\]/, 'one confirm line listing the three');
  assert.match(confirm, new RegExp(`approve #${a}, #${b}, #${c}\\? \\[y/N\\]`));
  press('y');
  const status = async (id: number) => (await host<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((x) => x.id === id)?.status;
  await waitFor(async () => (await Promise.all([a, b, c].map(status))).every((s) => s === 'approved'), { timeoutMs: 20_000, what: 'the three approved' });
  assert.equal(await status(d), 'pending', 'the unmarked one is untouched');

  // :approve N for the fourth.
  press(':');
  await waitScreen(/^: \[▏\]/m, 'the command line open');
  type(`approve ${d}`);
  await waitScreen(new RegExp(`^: \\[approve ${d}▏\\]`, 'm'), 'the command typed');
  press('Enter');
  await waitScreen(new RegExp(`approve #${d}\\? \\[y/N\\]`), 'the confirm line for :approve');
  press('y');
  await waitFor(async () => (await status(d)) === 'approved', { timeoutMs: 20_000, what: `#${d} approved` });

  // Each resolved exactly once, as the dashboard saw it (a second resolution would be a second event, or a refusal on screen).
  await waitFor(() => [a, b, c, d].every((id) => events.some((e) => e.kind === 'approval_resolved' && (e.approval as Approval).id === id && !(e.approval as Approval).applying)), { what: 'the resolutions on the dashboard' });
  // The decision is announced, then the outcome (applying, then done): each approval ends approved exactly once.
  const resolutions = (id: number) => events.filter((e) => e.kind === 'approval_resolved' && (e.approval as Approval).id === id && (e.approval as Approval).status === 'approved' && !(e.approval as Approval).applying).length;
  assert.deepEqual([a, b, c, d].map(resolutions), [1, 1, 1, 1]);
  assert.doesNotMatch(screen(), /failed:/, 'no request was refused');
  press('q'); // from a top view q quits
  await waitScreen(/hyperhive-tui exited with 0/, 'a clean exit');
  dashboard.close();
});

/**
 * End to end: the demo hive's manager proposes a real config change within
 * its first turn; the compiled console in tmux (256 colours) shows it — the
 * file list, the diff coloured, `]` to the next file, `o` to $PAGER — and
 * approving it with the file count on the confirm line restarts iris on it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collectLines, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import { demoConfig, tuiEntry } from './testing/demo-hive.js';
import type { AgentStatusRow, Approval } from '../protocol/index.js';

const terminal = tmuxTerminal(`hh-approval-e2e-${process.pid}`);
let core: RunningCore | undefined;

after(async () => {
  terminal.kill();
  await core?.cleanup();
});

const selectedLine = () => terminal.screen().split('\n').find((l) => l.startsWith('› ')) ?? '';

/**
 * Move the cursor until the selected row matches: towards the matching row
 * when it is on screen (items that arrive meanwhile can land above the
 * cursor), else down; each key waits for the frame it causes.
 */
async function select(pattern: RegExp, what: string): Promise<void> {
  for (let i = 0; i < 60 && !pattern.test(selectedLine()); i++) {
    const rows = terminal.screen().split('\n');
    const selected = rows.findIndex((l) => l.startsWith('› '));
    const target = rows.findIndex((l) => pattern.test(l));
    const before = terminal.screen();
    terminal.press(target >= 0 && target < selected ? 'k' : 'j');
    await waitFor(() => terminal.screen() !== before, { timeoutMs: 3000, what: `the cursor to move towards ${what}` }).catch(() => undefined);
  }
  if (!pattern.test(selectedLine())) throw new Error(`could not select ${what}; screen:\n${terminal.screen()}`);
}

test('the demo manager\'s config change: read it file by file, page it, approve it with its file count', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  core = await startCore({ config: demoConfig() });
  const running = core;
  const dashboard = await running.connect();
  assert.equal((await dashboard.request({ cmd: 'subscribe' })).ok, true);
  const events = collectLines(dashboard);
  // Within its first turn the demo manager commits to iris's config repo and asks for the commit.
  const added = await waitFor(() => events.find((e) => e.kind === 'approval_added' && e.approval_kind === 'apply_commit' && e.agent === 'iris'), {
    timeoutMs: 60_000,
    what: "the demo manager's config change",
  });
  const id = added.id as number;
  assert.equal(added.diff_files, 2);
  assert.match(added.diff as string, /^\+ {2}"model": "sonnet",$/m);

  const paged = path.join(running.dir, 'paged.txt');
  terminal.tmux(
    'new-session', '-d', '-s', 'tui', '-x', '110', '-y', '30',
    `TERM=xterm-256color PAGER='cat > ${paged}' ${process.execPath} ${tuiEntry} --socket ${running.hostSocket} --no-bell 2>${path.join(running.dir, 'tui.stderr')}; sleep 600`,
  );
  await terminal.waitScreen(/● live/, 'the console, live');
  terminal.press('2');
  await terminal.waitScreen(new RegExp(`approval #${id}\\b`), 'the change in the attention queue');
  await select(new RegExp(`approval #${id}\\b`), `approval #${id}`);
  terminal.press('Enter');
  const detail = await terminal.waitScreen(/2 files \+\d+ −1/, 'the file list');
  assert.match(detail, new RegExp(`approval #${id} pending · apply_commit for iris`));
  assert.match(detail, /requested by manager .* · commit [0-9a-f]{12}/);
  assert.match(detail, /M CLAUDE\.md {2}\+4 −0/);
  assert.match(detail, /M agent\.json {2}\+1 −1/);
  assert.match(detail, /── CLAUDE\.md · diff 1–/);

  terminal.press(']');
  await terminal.waitScreen(/── agent\.json · diff \d+–/, 'the second file');
  // 256-colour terminal: added rows green, removed rows red, the +/− kept either way.
  const coloured = terminal.tmux('capture-pane', '-p', '-e', '-t', 'tui').split('\n');
  const added_ = coloured.find((l) => l.includes('"model": "sonnet"'))!;
  const removed = coloured.find((l) => l.includes('"model": "haiku"'))!;
  assert.match(added_, /\u001b\[32m\+ {2}"model": "sonnet",/, JSON.stringify(added_));
  assert.match(removed, /\u001b\[31m- {2}"model": "haiku",/, JSON.stringify(removed));

  terminal.press('o');
  await waitFor(() => fs.existsSync(paged) && fs.readFileSync(paged, 'utf8').includes('"model": "sonnet"'), { timeoutMs: 15_000, what: 'the pager to get the diff' });
  const whole = (await running.request<{ approval: Approval }>({ cmd: 'approval', id })).approval.diff!;
  // eslint-disable-next-line no-control-regex
  assert.equal(fs.readFileSync(paged, 'utf8').replace(/\u001b\[[0-9;]*m/g, ''), whole.replace(/\t/g, '    '), 'the pager got the whole diff');
  await terminal.waitScreen(/── agent\.json · diff/, 'the console back after the pager');

  terminal.press('a');
  await terminal.waitScreen(new RegExp(`approve #${id}: apply 2 files \\([0-9a-f]{12}\\) to iris and restart it\\? \\[y/N\\]`), 'the confirm line with the file count');
  terminal.press('y');
  const row = async () => (await running.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' })).agent_statuses.find((r) => r.name === 'iris');
  await waitFor(async () => {
    const a = (await running.request<{ approval: Approval }>({ cmd: 'approval', id })).approval;
    return a.status === 'approved' && !a.applying;
  }, { timeoutMs: 60_000, what: 'the change approved and applied' });
  const iris = await waitFor(async () => {
    const r = await row();
    return r?.running && r.active_model === 'sonnet' ? r : undefined;
  }, { timeoutMs: 30_000, what: 'iris running on sonnet' });
  assert.equal(iris.deployed_sha, (added.fetched_sha as string).slice(0, 12));
  dashboard.close();
});

/**
 * End to end: the compiled hyperhive-tui in tmux on a real core, with the
 * real MCP SDK client asking as claude does. A tool approval shows its
 * command and diff; A allows it and saves the rule; the rules view shows the
 * rule's hits; x removes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entries, repoRoot, startCore, waitFor } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import { connectPermissionClient } from '../testing/permission-client.js';
import type { Approval, PermissionRule } from '../protocol/index.js';

const bundle = path.join(repoRoot, 'dist', 'bundle', 'hyperhive-tui.mjs');
const tuiEntry = fs.existsSync(bundle) ? bundle : entries.tui;

test('a tool approval in the console: the command beside the agent\'s stream, A allows and saves the rule, the rules view counts its hits, x removes it', { skip: hasTmux ? false : 'tmux is not installed' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tuip-'));
  const core = await startCore({ dir, config: { name: 'perm-tui', agents: { iris: {} } } });
  const iris = await connectPermissionClient(core.agentSocket('iris'), 'iris');
  const { tmux, screen, press, waitScreen, kill } = tmuxTerminal(`hh-tui-perms-${process.pid}`);
  t.after(async () => {
    kill();
    await iris.close();
    await core.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const decided = iris.ask('Bash', { command: 'npm test -- --watch=false', description: 'Run the test suite' }, 'toolu_tui1');
  const tuiErr = path.join(dir, 'tui.stderr');
  tmux('new-session', '-d', '-s', 'tui', '-x', '140', '-y', '30', `TERM=xterm-256color ${process.execPath} ${tuiEntry} --socket ${core.hostSocket} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`);
  await waitFor(() => /● live/.test(screen()), { timeoutMs: 20_000, what: 'the console live' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- stderr ---\n${fs.readFileSync(tuiErr, 'utf8')}`);
  });

  press('2');
  await waitScreen(/approval #\d+.*Bash: npm test -- --watch=false/, 'the tool approval in the attention queue');
  press('Enter');
  await waitScreen(/iris wants to run Bash/, 'the tool approval view');
  const shown = await waitScreen(/\$ npm test -- --watch=false/, 'the command');
  assert.match(shown, /Run the test suite/);
  assert.match(shown, /a rule for calls like it: Bash\(npm test:\*\)/);
  await waitScreen(/waiting for the operator: approval #\d+/, "the agent's stream beside the call");

  press('A');
  await waitScreen(/allow #\d+ \+ rule \[Bash\(npm test:\*\)▏\] for iris, until removed/, 'the rule form');
  press('Enter');
  assert.equal((await decided).behavior, 'allow');
  const rule = await waitFor(async () => (await core.request<{ rules: PermissionRule[] }>({ cmd: 'rules' })).rules.find((r) => r.rule === 'Bash(npm test:*)'), { what: 'the saved rule' });
  assert.equal(rule.agent, 'iris');
  const approved = (await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.tool_use_id === 'toolu_tui1')!;
  assert.equal(approved.status, 'approved');

  // The next call like it is decided by the rule, without asking; the rules view shows the hit.
  assert.equal((await iris.ask('Bash', { command: 'npm test -- --grep=flaky' })).behavior, 'allow');
  press('7');
  await waitScreen(new RegExp(`#${rule.id}\\s+allow\\s+iris\\s+1\\s+\\d+s ago\\s+-\\s+.+ Bash\\(npm test:\\*\\)`), 'the rule with one hit');
  press('x');
  await waitScreen(new RegExp(`remove rule #${rule.id} \\(allow Bash\\(npm test:\\*\\)\\)\\? \\[y/N\\]`), 'the confirm line');
  press('y');
  await waitFor(async () => (await core.request<{ rules: PermissionRule[] }>({ cmd: 'rules' })).rules.length === 0, { what: 'the rule removed' });
  await waitScreen(/no rules: every tool call that needs permission waits for you/, 'the empty rules view');
});

test('bulk: three marked tool approvals allowed with one a and one y, each call hearing once; the unmarked one still waits', { skip: hasTmux ? false : 'tmux is not installed' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tuib-'));
  const core = await startCore({ dir, config: { name: 'perm-bulk', agents: { iris: {}, bob: {} } } });
  const iris = await connectPermissionClient(core.agentSocket('iris'), 'iris');
  const { tmux, screen, press, type, waitScreen, kill } = tmuxTerminal(`hh-tui-bulk-${process.pid}`);
  t.after(async () => {
    kill();
    await iris.close();
    await core.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const feed = await core.connect();
  await feed.request({ cmd: 'subscribe', kinds: ['approval_resolved'] });
  const resolvedEvents: Record<string, unknown>[] = [];
  feed.on('line', (line) => resolvedEvents.push(line));
  t.after(() => feed.close());

  // Claude runs tools in parallel: four calls wait at once, each on its own connection.
  const commands = ['make lint', 'make test', 'make docs', 'make deploy'];
  const calls = commands.map((command, i) => iris.ask('Bash', { command }, `toolu_bulk${i}`));
  const queued = await waitFor(
    async () => {
      const pending = (await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.filter((a) => a.kind === 'tool_permission' && a.status === 'pending');
      return pending.length === 4 ? pending.sort((a, b) => a.id - b.id) : null;
    },
    { what: 'four tool approvals' },
  );
  const tuiErr = path.join(dir, 'tui.stderr');
  tmux('new-session', '-d', '-s', 'tui', '-x', '140', '-y', '30', `TERM=xterm-256color ${process.execPath} ${tuiEntry} --socket ${core.hostSocket} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`);
  await waitFor(() => /● live/.test(screen()), { timeoutMs: 20_000, what: 'the console live' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- stderr ---\n${fs.readFileSync(tuiErr, 'utf8')}`);
  });
  press('2');
  await waitScreen(new RegExp(`approval #${queued[3]!.id}\\b`), 'the four tool approvals in the queue');
  // Each key waits for what it changed: keys sent together reach the console as one chunk of text.
  await waitScreen(new RegExp(`^›.*approval #${queued[0]!.id}\\b`, 'm'), 'the first selected');
  for (const marked of [1, 2, 3]) {
    press('Space');
    await waitScreen(new RegExp(`· ${marked} marked`), `${marked} marked`);
  }
  press('a');
  await waitScreen(new RegExp(`approve #${queued[0]!.id}, #${queued[1]!.id}, #${queued[2]!.id}\\? \\[y/N\\]`), 'one confirm line listing the three');
  press('y');
  const decisions = await Promise.all(calls.slice(0, 3));
  assert.deepEqual(decisions.map((d) => d.behavior), ['allow', 'allow', 'allow']);
  assert.deepEqual(decisions.map((d) => (d.behavior === 'allow' ? d.updatedInput : undefined)), commands.slice(0, 3).map((command) => ({ command })), 'each allowed with its own input, unchanged');
  const statusOf = async (id: number) => (await core.request<{ approval: Approval }>({ cmd: 'approval', id })).approval.status;
  assert.equal(await statusOf(queued[3]!.id), 'pending', 'the unmarked call still waits');
  await waitFor(() => queued.slice(0, 3).every((a) => resolvedEvents.some((e) => e.id === a.id)), { what: 'the three resolutions' });
  for (const a of queued.slice(0, 3)) assert.equal(resolvedEvents.filter((e) => e.id === a.id).length, 1, `#${a.id} resolved once`);
  // The fourth is denied by keyboard too: d, a note, Enter (a single deny sends with its note).
  await waitScreen(new RegExp(`^›.*approval #${queued[3]!.id}\\b`, 'm'), 'the fourth selected');
  press('d');
  await waitScreen(new RegExp(`deny #${queued[3]!.id} — note \\(optional\\): \\[▏\\]`), 'the note input');
  type('not on a Friday');
  await waitScreen(/not on a Friday▏/, 'the note typed');
  press('Enter');
  assert.deepEqual(await calls[3], { behavior: 'deny', message: 'not on a Friday' });
  await waitScreen(/nothing needs you/, 'the queue empty');
});

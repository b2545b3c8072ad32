/**
 * End to end: the real hyperhive-core running the demo hive (process backend,
 * fake claude), the compiled hyperhive-tui in a real terminal (tmux), keys in,
 * and every outcome checked through the host socket; and what the terminal
 * decides (colour, keys sent together, the alternate screen, resizes, the
 * terminal given back on every exit path) read from tmux itself.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectLines, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import type { Approval, AgentStatusRow, Question } from '../protocol/index.js';
import { hasTmux, Tmux, type TmuxSession } from './testing/tmux.js';
import { demoConfig } from './testing/demo-hive.js';

const tmux = new Tmux();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tui-e2e-'));
let core: RunningCore | undefined;
const skip = hasTmux ? false : 'tmux is not installed';

after(async () => {
  tmux.kill();
  await core?.cleanup();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The demo hive's core, started once for the tests that need one. */
async function demoCore(): Promise<RunningCore> {
  core ??= await startCore({ config: demoConfig() });
  return core;
}

/** The console on the demo hive, its roster drawn live. */
async function tuiOnDemo(session: string, opts: { columns?: number; rows?: number } = {}): Promise<{ running: RunningCore; tui: TmuxSession }> {
  const running = await demoCore();
  // CI=true as on a CI machine: the console must draw there too.
  const tui = tmux.startTui(session, { args: ['--socket', running.hostSocket, '--no-bell'], env: { CI: 'true' }, stderrFile: path.join(scratch, `${session}.stderr`), ...opts });
  // A cold start of the whole demo hive (core, three harnesses, their claudes and MCP servers) on a busy 2-core machine.
  // The roster sorts what needs you first: the agents may come in any order.
  await tui.waitScreen(/● live(?=[\s\S]*manager)(?=[\s\S]*damocles)(?=[\s\S]*iris)/, 'the roster, live', 40_000).catch((err: Error) => {
    throw new Error(`${err.message}\n--- core stderr ---\n${running.stderr().slice(-2000)}`);
  });
  return { running, tui };
}

/** The console with no core behind it (what the terminal decides does not need one). */
async function tuiAlone(session: string, opts: { env?: Record<string, string>; args?: string[]; columns?: number; rows?: number; before?: string } = {}): Promise<TmuxSession> {
  const tui = tmux.startTui(session, {
    args: ['--socket', path.join(scratch, 'no-core.sock'), '--no-bell', ...(opts.args ?? [])],
    stderrFile: path.join(scratch, `${session}.stderr`),
    ...opts,
  });
  await tui.waitScreen(/hyperhive .*unreachable/, 'the first frame');
  return tui;
}

/** Which row is selected: its place on screen and its text without the clocks that tick every second. */
function selectedRow(tui: TmuxSession): string {
  const rows = tui.screen().split('\n');
  const at = rows.findIndex((l) => l.startsWith('› '));
  return `${at}:${(rows[at] ?? '').replace(/\b\d+(m\d+)?[smhd]\b/g, '')}`;
}

/**
 * Move the cursor until the selected row matches: towards the matching row
 * when it is on screen, else down; each step waits for the selection to move
 * (so a key is never judged before it was drawn, nor a clock tick taken for a move).
 */
async function select(tui: TmuxSession, pattern: RegExp, what: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const rows = tui.screen().split('\n');
    const selected = rows.findIndex((l) => l.startsWith('› '));
    if (selected >= 0 && pattern.test(rows[selected]!)) return;
    const target = rows.findIndex((l) => pattern.test(l));
    const before = selectedRow(tui);
    tui.press(target >= 0 && target < selected ? 'k' : 'j');
    await waitFor(() => selectedRow(tui) !== before, { timeoutMs: 3000, what: `cursor to move towards ${what}` }).catch(() => undefined);
  }
  throw new Error(`could not select ${what}; screen:\n${tui.screen()}`);
}

const host = <T extends Record<string, unknown>>(running: RunningCore, m: object) => running.request<T>(m);
const approvalStatus = async (running: RunningCore, id: number) => (await host<{ approvals: Approval[] }>(running, { cmd: 'pending' })).approvals.find((a) => a.id === id);

test('operate the demo hive from the TUI in tmux', { skip }, async () => {
  const { running, tui } = await tuiOnDemo('operate');
  const dashboard = await running.connect();
  const ack = await dashboard.request({ cmd: 'subscribe' });
  assert.equal(ack.ok, true);
  const events = collectLines(dashboard);

  // Resizing redraws cleanly: header on the first row, footer on the last, nothing wider than the terminal.
  tui.resize(80, 24);
  await waitFor(() => {
    const rows = tui.screen().replace(/\n$/, '').split('\n');
    return rows.length === 24 && /^hyperhive demo .*● live/.test(rows[0]!) && /^Enter open .*\? help/.test(rows[23] ?? '') && rows.every((l) => [...l].length <= 80);
  }, { what: 'a clean 80×24 frame', timeoutMs: 5000 }).catch((err: Error) => {
    throw new Error(`${err.message}\n${tui.screen()}`);
  });
  tui.resize(120, 32);
  await tui.waitScreen(/LAST TURN/, 'the wide roster again');

  // The demo's manager asks a question and requests a spawn on its own schedule; once both are in, nothing
  // joins the queue unasked above the rows the test works on (its later report goes to the bottom).
  await waitFor(
    () => events.some((e) => e.kind === 'question_added') && events.some((e) => e.kind === 'approval_added' && e.agent === 'scout'),
    { timeoutMs: 40_000, what: "the demo's own question and spawn request" },
  );

  const host = <T extends Record<string, unknown>>(m: object) => running.request<T>(m);
  const approvalStatus = async (id: number) => (await host<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.id === id);

  // Approve one spawn request, deny another with a note.
  const alpha = (await host<{ id: number }>({ cmd: 'request_spawn', name: 'alpha' })).id;
  const beta = (await host<{ id: number }>({ cmd: 'request_spawn', name: 'beta' })).id;
  tui.press('2');
  await tui.waitScreen(new RegExp(`approval #${beta}\\b`), 'both approvals in the queue');
  await select(tui, new RegExp(`approval #${alpha}\\b`), `approval #${alpha}`);
  tui.press('a');
  await tui.waitScreen(new RegExp(`approve #${alpha}\\? \\[y/N\\]`), 'the confirm line');
  tui.press('y');
  // Approved is recorded at once; the spawn is done (and the queue changes) when its outcome is.
  await waitFor(async () => (await approvalStatus(alpha))?.status === 'approved' && !(await approvalStatus(alpha))?.applying, { timeoutMs: 15_000, what: 'alpha approved' });
  // The console, not only the core, has seen it go: a row leaving later would move the cursor under the next key.
  await waitFor(() => !new RegExp(`approval #${alpha}\\b`).test(tui.screen()), { timeoutMs: 15_000, what: 'alpha to leave the queue on screen' });

  await select(tui, new RegExp(`approval #${beta}\\b`), `approval #${beta}`);
  tui.press('d');
  await tui.waitScreen(new RegExp(`deny #${beta} — note`), 'the note input');
  tui.type('not needed today');
  await tui.waitScreen(/note \(optional\): \[not needed today▏\]/, 'the note typed');
  tui.press('Enter');
  await waitFor(async () => (await approvalStatus(beta))?.status === 'denied', { what: 'beta denied' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${tui.screen()}`);
  });
  assert.equal((await approvalStatus(beta))?.note, 'not needed today');

  // Answer a question with an option.
  const asked = await running.agentRequest<{ id: number }>('iris', { cmd: 'ask', question: 'Deploy the e2e build?', options: ['yes', 'no', 'later'], ttl_seconds: 600 });
  await tui.waitScreen(new RegExp(`question #${asked.id}\\b`), 'the question in the queue');
  await select(tui, new RegExp(`question #${asked.id}\\b`), `question #${asked.id}`);
  tui.press('Enter');
  await tui.waitScreen(/answer question #\d+ from iris[\s\S]*3\. \( \) later/, 'the answer form');
  tui.press('3');
  await tui.waitScreen(/› 3\. \(•\) later/, 'option 3 picked');
  tui.press('Enter');
  await waitFor(async () => (await host<{ questions: Question[] }>({ cmd: 'questions' })).questions.find((q) => q.id === asked.id)?.answer === 'later', { what: 'question answered "later"' });

  // Message an agent.
  tui.press('1');
  await tui.waitScreen(/STATE\s+AGENT/, 'the roster');
  await select(tui, /running\s+(└ )?iris\b/, 'iris');
  tui.press('m');
  await tui.waitScreen(/message iris: \[▏\]/, 'the message input');
  tui.type('hello from the tui');
  await tui.waitScreen(/message iris: \[hello from the tui▏\]/, 'the message typed');
  tui.press('Enter');
  await waitFor(() => events.some((e) => e.kind === 'sent' && e.to === 'iris' && e.body === 'hello from the tui'), { what: 'the message in the broker', timeoutMs: 20_000 }).catch(
    (err: Error) => {
      const sent = events.filter((e) => e.kind === 'sent' && e.from === 'operator').map((e) => JSON.stringify(e.body));
      throw new Error(`${err.message}; the operator sent ${sent.join(', ') || 'nothing'}\n--- screen ---\n${tui.screen()}`);
    },
  );

  // Pause and resume it.
  const irisRow = async () => (await host<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' })).agent_statuses.find((r) => r.name === 'iris');
  tui.press('p');
  await tui.waitScreen(/pause iris\? \[y\/N\]/, 'the pause confirm');
  tui.press('y');
  await waitFor(async () => (await irisRow())?.paused === true, { what: 'iris paused' });
  await tui.waitScreen(/‖ paused\s+(└ )?iris/, 'the roster showing iris paused');
  tui.press('p');
  await tui.waitScreen(/resume iris\? \[y\/N\]/, 'the resume confirm');
  tui.press('y');
  await waitFor(async () => (await irisRow())?.paused === false, { what: 'iris resumed' });

  // Open its stream (l: Enter would open the message iris sent the operator): rendered from the harness's real events.
  tui.press('l');
  await tui.waitScreen(/iris (⇣ following|↓ \d+ more|held)[\s\S]*── turn · woken by/, 'iris stream with a turn');

  // q backs out of the stream, then quits from the top.
  tui.press('q');
  await tui.waitScreen(/STATE\s+AGENT/, 'back on the roster');
  tui.press('q');
  await tui.waitScreen(/hyperhive-tui exited with 0/, 'the TUI to exit cleanly');
  dashboard.close();
});

test('keys sent together are each handled: jjj moves three rows, two backspaces delete two characters', { skip }, async () => {
  const { running, tui } = await tuiOnDemo('together');
  const ids: number[] = [];
  for (const name of ['kappa', 'lambda', 'mu', 'nu']) ids.push((await host<{ id: number }>(running, { cmd: 'request_spawn', name })).id);
  tui.press('2');
  await tui.waitScreen(new RegExp(`approval #${ids[3]}\\b`), 'four approvals in the queue');
  tui.press('g');
  await waitFor(() => tui.selectedLine() !== '', { what: 'a selected row' });
  const rowOf = () => tui.screen().split('\n').findIndex((l) => l.startsWith('› '));
  const top = rowOf();
  tui.type('jjj');
  await waitFor(() => rowOf() === top + 3, { timeoutMs: 5000, what: `the selection three rows down (row ${top + 3}; it is on row ${rowOf()})` });

  // A deny note typed, corrected with two backspaces sent in one write, and finished.
  const id = ids[0]!;
  await select(tui, new RegExp(`approval #${id}\\b`), `approval #${id}`);
  tui.press('d');
  await tui.waitScreen(new RegExp(`deny #${id} — note`), 'the note input');
  tui.type('Friday');
  await tui.waitScreen(/\[Friday▏\]/, 'the typed note');
  tui.press('BSpace', 'BSpace');
  await tui.waitScreen(/\[Frid▏\]/, 'two characters deleted');
  tui.type('ay');
  tui.press('Enter');
  await waitFor(async () => (await approvalStatus(running, id))?.status === 'denied', { what: `#${id} denied` });
  assert.equal((await approvalStatus(running, id))?.note, 'Friday');
  tui.press('C-c');
  await tui.waitScreen(/hyperhive-tui exited with 0/, 'Ctrl-C to quit');
});

/** SGR with a foreground or background colour (16, 256 or truecolor). */
const COLOUR_SGR = /\u001b\[(?:[0-9]+;)*(?:3[0-7]|9[0-7]|4[0-7]|10[0-7]|38;[25];|48;[25];)[0-9;]*m/;

test('colour follows the terminal: present in a 256-colour tmux with CI=true, absent under NO_COLOR', { skip }, async () => {
  const coloured = await tuiAlone('colour', { env: { TERM: 'tmux-256color', CI: 'true' } });
  assert.match(coloured.screen({ escapes: true }), COLOUR_SGR);
  const plain = await tuiAlone('no-colour', { env: { TERM: 'tmux-256color', CI: 'true', NO_COLOR: '1' } });
  assert.doesNotMatch(plain.screen({ escapes: true }), /\u001b\[/, 'no escape at all');
  const flagged = await tuiAlone('no-colour-flag', { env: { TERM: 'tmux-256color' }, args: ['--no-color'] });
  assert.doesNotMatch(flagged.screen({ escapes: true }), /\u001b\[/);
});

test('full screen in the alternate buffer: a resize redraws cleanly and keeps the scrollback', { skip }, async () => {
  const tui = await tuiAlone('resize', { env: { TERM: 'tmux-256color' }, columns: 120, rows: 40, before: 'seq 1 150' });
  assert.equal(tui.display('#{alternate_on}'), '1', 'the console draws in the alternate screen');
  assert.equal(tui.display('#{cursor_flag}'), '0', 'the cursor is hidden while drawing');
  const historyBefore = tui.display('#{history_size}');
  tui.resize(80, 24);
  await waitFor(() => {
    const rows = tui.screen().replace(/\n$/, '').split('\n');
    return rows.length === 24 && rows[0]!.startsWith('hyperhive') && /\? help$/.test(rows[23] ?? '') && rows.every((l) => [...l].length <= 80);
  }, { what: 'a clean 80×24 frame', timeoutMs: 5000 }).catch((err: Error) => {
    throw new Error(`${err.message}\n${tui.screen()}`);
  });
  assert.equal(tui.display('#{history_size}'), historyBefore, 'narrowing keeps the history');
  tui.resize(120, 40);
  await waitFor(() => /\? help$/.test(tui.screen().split('\n')[39] ?? ''), { what: 'the footer on row 40 again', timeoutMs: 5000 });
  assert.equal(tui.display('#{history_size}'), historyBefore, 'widening keeps the history');
  tui.press('q');
  await tui.waitScreen(/hyperhive-tui exited with 0/, 'q to quit');
  const history = tui.history();
  assert.match(history, /^1\n2\n3\n[\s\S]*\n150\n/m, 'the operator\'s scrollback is all there after the console');
});

test('SIGTERM, SIGHUP and SIGINT give the terminal back: main screen, cursor visible, no mouse reporting', { skip }, async () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129], ['SIGINT', 130]] as const) {
    const tui = await tuiAlone(`signal-${signal}`, { env: { TERM: 'tmux-256color' } });
    assert.equal(tui.display('#{alternate_on} #{mouse_any_flag} #{mouse_sgr_flag}'), '1 1 1');
    const pid = await waitFor(() => tui.programPid(), { what: 'the console\'s pid' });
    process.kill(pid, signal);
    await tui.waitScreen(new RegExp(`hyperhive-tui exited with ${code}`), `${signal} to end the console`);
    assert.equal(tui.display('#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_sgr_flag} #{wrap_flag}'), '0 1 0 0 1', `${signal}: main screen, cursor shown, mouse off, autowrap on`);
  }
});

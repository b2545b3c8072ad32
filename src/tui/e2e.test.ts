/**
 * End to end: the real hyperhive-core running the demo hive (process backend,
 * fake claude), the compiled hyperhive-tui in a real terminal (tmux), keys in,
 * and every outcome checked through the host socket.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collectLines, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import { demoConfig, tuiEntry } from './testing/demo-hive.js';
import type { Approval, AgentStatusRow, Question } from '../protocol/index.js';

const tmuxSocket = `hh-tui-e2e-${process.pid}`;
let core: RunningCore | undefined;

after(async () => {
  kill();
  await core?.cleanup();
});

const { tmux, screen, press, type, waitScreen, kill } = tmuxTerminal(tmuxSocket);
const selectedLine = () => screen().split('\n').find((l) => l.startsWith('› ')) ?? '';
/** Which row is selected: its place on screen and its text without the clocks that tick every second. */
const selectedRow = () => {
  const rows = screen().split('\n');
  const at = rows.findIndex((l) => l.startsWith('› '));
  return `${at}:${(rows[at] ?? '').replace(/\b\d+(m\d+)?[smhd]\b/g, '')}`;
};

/**
 * Move the cursor until the selected row matches: down to the bottom, then up
 * to the top. (A `g` first would race the console on a busy machine: the
 * rows read right after it may still be the old frame.)
 */
async function select(pattern: RegExp, what: string): Promise<void> {
  for (const key of ['j', 'k']) {
    for (let i = 0; i < 40; i++) {
      if (pattern.test(selectedLine())) return;
      const before = selectedRow();
      press(key);
      const moved = await waitFor(() => selectedRow() !== before, { timeoutMs: 2000, what: `cursor to move towards ${what}` }).then(
        () => true,
        () => false,
      );
      if (!moved) break; // the end of the list in this direction
    }
  }
  throw new Error(`could not select ${what}; screen:\n${screen()}`);
}

test('operate the demo hive from the TUI in tmux', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  core = await startCore({ config: demoConfig() });
  const running = core;
  const dashboard = await running.connect();
  const ack = await dashboard.request({ cmd: 'subscribe' });
  assert.equal(ack.ok, true);
  const events = collectLines(dashboard);

  // The console's stderr goes to a file and the pane outlives it, so a crash shows why instead of a blank screen.
  const tuiErr = path.join(running.dir, 'tui.stderr');
  tmux(
    'new-session', '-d', '-s', 'tui', '-x', '120', '-y', '32',
    // CI=true as on a CI machine: the console must draw there too.
    `CI=true ${process.execPath} ${tuiEntry} --socket ${running.hostSocket} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`,
  );
  // A cold start of the whole demo hive (core, three harnesses, their claudes and MCP servers) on a busy 2-core machine.
  // The roster sorts what needs you first: the agents may come in any order.
  await waitFor(() => ['● live', 'manager', 'damocles', 'iris'].every((w) => screen().includes(w)), { timeoutMs: 40_000, what: 'the roster, live' }).catch((err: Error) => {
    const stderr = fs.existsSync(tuiErr) ? fs.readFileSync(tuiErr, 'utf8') : '(no stderr file)';
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- hyperhive-tui stderr ---\n${stderr}\n--- core stderr ---\n${running.stderr().slice(-2000)}`);
  });

  // Resizing redraws cleanly: header on the first row, footer on the last, nothing wider than the terminal.
  tmux('resize-window', '-t', 'tui', '-x', '80', '-y', '24');
  await waitFor(() => {
    const rows = screen().replace(/\n$/, '').split('\n');
    return rows.length === 24 && /^hyperhive demo .*● live/.test(rows[0]!) && /^Enter open .*\? help/.test(rows[22] ?? '') && rows.every((l) => [...l].length <= 80);
  }, { what: 'a clean 80×24 frame', timeoutMs: 5000 }).catch((err: Error) => {
    throw new Error(`${err.message}\n${screen()}`);
  });
  tmux('resize-window', '-t', 'tui', '-x', '120', '-y', '32');
  await waitScreen(/LAST TURN/, 'the wide roster again');

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
  press('2');
  await waitScreen(new RegExp(`approval #${beta}\\b`), 'both approvals in the queue');
  await select(new RegExp(`approval #${alpha}\\b`), `approval #${alpha}`);
  press('a');
  await waitScreen(new RegExp(`approve #${alpha}\\? \\[y/N\\]`), 'the confirm line');
  press('y');
  // Approved is recorded at once; the spawn is done (and the queue changes) when its outcome is.
  await waitFor(async () => (await approvalStatus(alpha))?.status === 'approved' && !(await approvalStatus(alpha))?.applying, { timeoutMs: 15_000, what: 'alpha approved' });
  // The console, not only the core, has seen it go: a row leaving later would move the cursor under the next key.
  await waitFor(() => !new RegExp(`approval #${alpha}\\b`).test(screen()), { timeoutMs: 15_000, what: 'alpha to leave the queue on screen' });

  await select(new RegExp(`approval #${beta}\\b`), `approval #${beta}`);
  press('d');
  await waitScreen(new RegExp(`deny #${beta} — note`), 'the note input');
  type('not needed today');
  // Enter in the same read as the text would be taken as part of a paste: let the text land first.
  await waitScreen(/note \(optional\): \[not needed today▏\]/, 'the note typed');
  press('Enter');
  await waitFor(async () => (await approvalStatus(beta))?.status === 'denied', { what: 'beta denied' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}`);
  });
  assert.equal((await approvalStatus(beta))?.note, 'not needed today');

  // Answer a question with an option.
  const asked = await running.agentRequest<{ id: number }>('iris', { cmd: 'ask', question: 'Deploy the e2e build?', options: ['yes', 'no', 'later'], ttl_seconds: 600 });
  await waitScreen(new RegExp(`question #${asked.id}\\b`), 'the question in the queue');
  await select(new RegExp(`question #${asked.id}\\b`), `question #${asked.id}`);
  press('Enter');
  await waitScreen(/answer question #\d+ from iris[\s\S]*3\. \( \) later/, 'the answer form');
  press('3');
  await waitScreen(/› 3\. \(•\) later/, 'option 3 picked');
  press('Enter');
  await waitFor(async () => (await host<{ questions: Question[] }>({ cmd: 'questions' })).questions.find((q) => q.id === asked.id)?.answer === 'later', { what: 'question answered "later"' });

  // Message an agent.
  press('1');
  await waitScreen(/STATE\s+AGENT/, 'the roster');
  await select(/running\s+(└ )?iris\b/, 'iris');
  press('m');
  await waitScreen(/message iris: \[▏\]/, 'the message input');
  type('hello from the tui');
  await waitScreen(/message iris: \[hello from the tui▏\]/, 'the message typed');
  press('Enter');
  await waitFor(() => events.some((e) => e.kind === 'sent' && e.to === 'iris' && e.body === 'hello from the tui'), { what: 'the message in the broker', timeoutMs: 20_000 }).catch(
    (err: Error) => {
      const sent = events.filter((e) => e.kind === 'sent' && e.from === 'operator').map((e) => JSON.stringify(e.body));
      throw new Error(`${err.message}; the operator sent ${sent.join(', ') || 'nothing'}\n--- screen ---\n${screen()}`);
    },
  );

  // Pause and resume it.
  const irisRow = async () => (await host<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' })).agent_statuses.find((r) => r.name === 'iris');
  press('p');
  await waitScreen(/pause iris\? \[y\/N\]/, 'the pause confirm');
  press('y');
  await waitFor(async () => (await irisRow())?.paused === true, { what: 'iris paused' });
  await waitScreen(/‖ paused\s+(└ )?iris/, 'the roster showing iris paused');
  press('p');
  await waitScreen(/resume iris\? \[y\/N\]/, 'the resume confirm');
  press('y');
  await waitFor(async () => (await irisRow())?.paused === false, { what: 'iris resumed' });

  // l opens its stream (Enter would open the message iris sent the operator): rendered from the harness's real events.
  press('l');
  await waitScreen(/iris (⇣ following|↓ \d+ more|held)[\s\S]*── turn · woken by/, 'iris stream with a turn');

  // q backs out of the stream, then quits from the top.
  press('q');
  await waitScreen(/STATE\s+AGENT/, 'back on the roster');
  press('q');
  await waitScreen(/hyperhive-tui exited with 0/, 'the TUI to exit cleanly');
  dashboard.close();
});

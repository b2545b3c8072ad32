/**
 * End to end: the real core and the compiled console in tmux. An operator
 * who looked before comes back to the recap of what happened since; `:search`
 * finds a turn older than the stream history the console opens with, and
 * Enter brings that turn to the top of the pane (older history paged in);
 * `6` shows the traffic between agents.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import { tuiEntry } from './testing/demo-hive.js';

const tmuxSocket = `hh-tui-reports-${process.pid}`;
let core: RunningCore | undefined;
const { tmux, press, type, waitScreen, kill } = tmuxTerminal(tmuxSocket);

after(async () => {
  kill();
  await core?.cleanup();
});

test('recap on attach, :search to an old turn, the traffic view', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  core = await startCore({ config: { agents: { iris: {}, 'web-dev': {} } } });
  const running = core;
  // The console's operator (its actor's user@host) looked before what follows.
  const operator = `${os.userInfo().username}@${os.hostname()}`;
  const look = await running.request<{ ok: boolean; looked_at: number }>({ cmd: 'mark_seen', actor: `${operator} e2e`, at: Math.floor(Date.now() / 1000) - 5 });
  assert.equal(look.ok, true);

  // An old turn, buried under more events than the console's first page of history (500).
  const emit = (events: object[]) => running.agentRequest<{ ok: boolean; first_seq: number }>('iris', { cmd: 'emit', events });
  const turn = await emit([{ kind: 'turn_start', from: 'operator', body: 'fix the flaky test', unread: 0 }]);
  assert.equal(turn.ok, true);
  for (let batch = 0; batch < 3; batch++) await emit(Array.from({ length: 250 }, (_, i) => ({ kind: 'note', text: `step ${batch * 250 + i}` })));
  assert.equal((await running.agentRequest<{ ok: boolean }>('iris', { cmd: 'send', to: 'operator', body: 'done with the build' })).ok, true);
  assert.equal((await running.agentRequest<{ ok: boolean }>('iris', { cmd: 'send', to: 'web-dev', body: 'which port do you use?' })).ok, true);
  // The index follows the store a moment behind, and a recap ends at the last whole second.
  await waitFor(async () => ((await running.request<{ hits: unknown[] }>({ cmd: 'search', query: 'flaky' })).hits ?? []).length === 1, { what: 'the turn indexed' });
  await waitFor(async () => (await running.request<{ counts: { messages: number } }>({ cmd: 'recap', since: look.looked_at })).counts.messages === 1, { what: 'the message in a recap' });

  tmux('new-session', '-d', '-s', 'tui', '-x', '120', '-y', '32', `${process.execPath} ${tuiEntry} --socket ${running.hostSocket} --no-bell; sleep 600`);
  let frame = await waitScreen(/while you were away/, 'the recap on attach');
  assert.match(frame, /since your last look \d+s ago/);
  assert.match(frame, /✉ #\d+ {2}iris {2}\d+s ago {2}done with the build/);
  // Showing the recap marked the look: the next one starts after it.
  await waitFor(async () => ((await running.request<{ looked_at: number | null }>({ cmd: 'recap', actor: operator })).looked_at ?? 0) > look.looked_at, { what: 'the look marked' });

  press('Escape');
  await waitScreen(/agents 2/, 'the roster after Esc');
  press(':');
  // Text in the same read as the ':' would be one paste, which no view takes.
  await waitScreen(/^: \[▏\]/m, 'the command line open');
  type('search flaky');
  await waitScreen(/search flaky▏/, 'the command typed');
  press('Enter');
  frame = await waitScreen(/iris — 1 hit in 1 turn/, 'the results by agent and turn');
  assert.match(frame, new RegExp(`›  turn #${turn.first_seq} \\d+s ago from operator: fix the flaky test`));
  press('Enter');
  // The turn is older than the 500 events the pane opens with: history is paged in until it is held, then it is put in the top row.
  frame = await waitScreen(/#\d+ of iris at the top/, 'the jump to the turn');
  const rows = frame.split('\n');
  assert.match(rows.find((r) => r.includes('── turn')) ?? '', /── turn · woken by operator: fix the flaky test/);
  assert.ok(rows.findIndex((r) => r.includes('fix the flaky test')) <= 3, `the turn at the top of the pane:\n${frame}`);

  press('Escape');
  await waitScreen(/iris — 1 hit/, 'back to the results');
  press('6');
  frame = await waitScreen(/which port do you use\?/, 'the traffic');
  assert.match(frame, /iris → web-dev {2}(unread|delivered|acked)/);
  assert.match(frame, /iris → operator {2}unread/);
});

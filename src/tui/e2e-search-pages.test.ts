/**
 * End to end: more hits than one page, against the real core. The compiled
 * console in tmux pages back to the oldest hit as the cursor reaches the end
 * of the list, and Enter takes it to that hit's turn; the ctl reads the same
 * hit with the `--before` it names.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { entries, runProgram, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import { tuiEntry } from './testing/demo-hive.js';

const tmuxSocket = `hh-tui-search-pages-${process.pid}`;
let core: RunningCore;
let oldest: number;
const { tmux, press, type, waitScreen, kill } = tmuxTerminal(tmuxSocket);

before(async () => {
  core = await startCore({ config: { agents: { iris: {} } } });
  const emit = async (events: object[]) => {
    const res = await core.agentRequest<{ ok: boolean; first_seq: number }>('iris', { cmd: 'emit', events });
    assert.equal(res.ok, true);
    return res.first_seq;
  };
  await emit([{ kind: 'turn_start', from: 'operator', body: 'find the needles', unread: 0 }]);
  // 250 matching events: the console's first page (200) holds the newest; the oldest 50 are on the second.
  oldest = await emit([{ kind: 'note', text: 'needle zero, the oldest' }, ...Array.from({ length: 124 }, (_, i) => ({ kind: 'note', text: `needle ${i + 1}` }))]);
  await emit(Array.from({ length: 125 }, (_, i) => ({ kind: 'note', text: `needle ${i + 125}` })));
  // The index follows the store a moment behind.
  await waitFor(async () => (await core.request<{ hits?: unknown[] }>({ cmd: 'search', query: 'needle', limit: 1000 })).hits?.length === 250, { what: 'the needles indexed' });
});

after(async () => {
  kill();
  await core?.cleanup();
});

test('the console pages back to a hit older than its first page, and Enter goes to it', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  tmux('new-session', '-d', '-s', 'tui', '-x', '120', '-y', '32', `${process.execPath} ${tuiEntry} --socket ${core.hostSocket} --no-bell; sleep 600`);
  await waitScreen(/agents 1/, 'the roster');
  press(':');
  await waitScreen(/^: \[▏\]/m, 'the command line open');
  type('search needle');
  await waitScreen(/search needle▏/, 'the command typed');
  press('Enter');
  let frame = await waitScreen(/search: needle · 200 hits, more older/, 'the first page');
  assert.doesNotMatch(frame, /the oldest/);
  press('G');
  frame = await waitScreen(/search: needle · 250 hits ·/, 'the older page appended');
  assert.match(frame, /older hits \(50 hits\)/);
  // Below the old end: the older page's heading, its agent, its turn, then its hits in stream order.
  press('j');
  press('j');
  frame = await waitScreen(/› +note +needle zero, the oldest/, 'the oldest hit under the cursor');
  press('Enter');
  frame = await waitScreen(new RegExp(`#${oldest} of iris at the top`), 'the jump to the oldest hit');
  assert.match(frame.split('\n').slice(0, 4).join('\n'), /needle zero, the oldest/);
});

test('the ctl names the --before of the next page, and that page holds the oldest hit', async () => {
  const ctl = (args: string[]) => runProgram(entries.ctl, args, { env: { HYPERHIVE_SOCKET: core.hostSocket } });
  const first = await ctl(['search', 'needle', '--limit', '200']);
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stdout, /the oldest/);
  const next = /older hits: (hyperhive search needle --before (\d+))\n$/.exec(first.stdout);
  assert.ok(next, first.stdout.slice(-400));
  const second = await ctl(['search', 'needle', '--limit', '200', '--before', next[2]!]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, new RegExp(`^ {4}#${oldest} {2}note {9}needle zero, the oldest$`, 'm'));
  assert.match(second.stdout, /^iris — 50 hits$/m);
  assert.doesNotMatch(second.stdout, /older hits:/, 'nothing older');
});

/**
 * End to end: `npm start` (scripts/demo.mjs) in a real terminal. The console
 * outlives the core: killed, the core is started again and the same console
 * resumes; q asks before it stops the hive; the streams name the model the
 * roster shows.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPid, repoRoot, waitFor } from '../testing/hive.js';
import { hasTmux, Tmux, TmuxSession } from './testing/tmux.js';

const tmux = new Tmux();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-demo-e2e-'));

after(() => {
  tmux.kill();
  // The demo stops its hive when it ends; a failed test may leave it running: stop what is left.
  for (const pid of pidsWith(scratch)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Pids of processes whose command line mentions `needle` (and `also`, when given). */
function pidsWith(needle: string, also?: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.includes(needle)) && (also === undefined || argv.some((a) => a.includes(also)))) pids.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return pids;
}

test('the demo keeps its console when the core dies, starts the core again, and asks before q stops the hive', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  const dir = path.join(scratch, 'demo');
  const demo = path.join(repoRoot, 'scripts', 'demo.mjs');
  const command = `${process.execPath} ${demo} --dir ${dir} --no-http; echo "demo exited with $?"; sleep 600`;
  tmux.run('new-session', '-d', '-s', 'demo', '-x', '140', '-y', '36', command);
  const tui = new TmuxSession(tmux, 'demo', path.join(scratch, 'no-stderr-file'));
  await tui.waitScreen(/● live[\s\S]*manager[\s\S]*damocles[\s\S]*iris/, 'the roster, live', 60_000);

  const stateDir = path.join(dir, 'state');
  const corePid = () => pidsWith(path.join('core', 'main.js'), stateDir)[0];
  const consolePid = pidsWith('hyperhive-tui', '--demo')[0];
  const firstCore = corePid();
  assert.ok(firstCore && consolePid, 'the core and the console are running');

  process.kill(firstCore, 'SIGKILL');
  await tui.waitScreen(/◌ (reconnecting|stale)|✗ unreachable/, 'the console saying the core is gone', 15_000);
  await tui.waitScreen(/● live/, 'the console live again on the restarted core', 30_000);
  const secondCore = await waitFor(() => corePid(), { what: 'the new core' });
  assert.notEqual(secondCore, firstCore);
  // A child the console has forked but not yet exec'd shows its command line for a moment: wait that out; a second console stays.
  const consoles = () => pidsWith('hyperhive-tui', '--demo').filter((pid) => parentPid(pid) !== consolePid);
  await waitFor(() => consoles().join() === String(consolePid), { timeoutMs: 5000, what: 'the same console throughout' }).catch(() => assert.deepEqual(consoles(), [consolePid], 'the same console throughout'));

  // The stream names the model the roster shows (fake claude reports its --model).
  await tui.waitScreen(/manager\s+\S.*sonnet/, 'the manager\'s model on the roster');
  tui.press('Enter');
  await tui.waitScreen(/session start · model sonnet/, 'the manager\'s stream naming sonnet', 30_000);
  assert.doesNotMatch(tui.screen(), /claude-opus-4-5/);
  tui.press('Escape');
  await tui.waitScreen(/STATE\s+AGENT/, 'the roster again');

  tui.press('q');
  await tui.waitScreen(/quit\? this stops the demo hive \[y\/N\]/, 'q asking first');
  tui.press('n');
  await tui.waitScreen(/cancelled: quit/, 'n keeping the console');
  tui.press('q');
  await tui.waitScreen(/quit\? this stops the demo hive \[y\/N\]/, 'q asking again');
  tui.press('y');
  const after = await tui.waitScreen(/demo exited with 0/, 'the demo to stop', 30_000);
  assert.match(tui.history(), /hyperhive-core stopped \(SIGKILL\); starting it again/, 'what the demo did while the console ran is said after');
  assert.match(after, /stopping the hive/);
  await waitFor(() => corePid() === undefined, { what: 'the hive stopped', timeoutMs: 20_000 });
});

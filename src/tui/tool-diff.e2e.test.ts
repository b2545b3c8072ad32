/**
 * End to end: a Write over a file larger than 1 MiB, asked about through the
 * real MCP SDK client as claude asks, makes a diff longer than one page of
 * `approval`. The compiled console in tmux reaches its later page (G), shows
 * its last line and how far through the diff it is, and `o` gives $PAGER
 * every page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entries, repoRoot, startCore, waitFor } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import { connectPermissionClient } from '../testing/permission-client.js';
import type { Approval } from '../protocol/index.js';

const bundle = path.join(repoRoot, 'dist', 'bundle', 'hyperhive-tui.mjs');
const tuiEntry = fs.existsSync(bundle) ? bundle : entries.tui;

/** The new content: 14,000 numbered lines (about 900 KB, so the request stays under the 1 MiB line cap). */
const ROWS = 14_000;
const content = Array.from({ length: ROWS }, (_, i) => `row ${String(i + 1).padStart(6, '0')} ${'x'.repeat(50)}`).join('\n') + '\n';

test('a Write diff over several pages: G reaches the later page and its last line, the header counts the whole diff, o pages all of it', { skip: hasTmux ? false : 'tmux is not installed' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tooldiff-'));
  const paged = path.join(dir, 'paged.txt');
  const core = await startCore({ dir, config: { name: 'tool-diff', backend: 'external', agents: { iris: {} } } });
  const iris = await connectPermissionClient(core.agentSocket('iris'), 'iris');
  const { tmux, screen, press, waitScreen, kill } = tmuxTerminal(`hh-tooldiff-${process.pid}`);
  t.after(async () => {
    kill();
    await iris.close();
    await core.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const work = path.join(core.stateDir, 'agents', 'iris', 'work');
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(work, 'big.txt'), 'old\n'.repeat(300_000)); // 1.2 MB: over the 1 MiB the core reads
  const decided = iris.ask('Write', { file_path: path.join(work, 'big.txt'), content }, 'toolu_bigwrite');
  const queued = await waitFor(
    async () => (await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.tool_use_id === 'toolu_bigwrite' && a.status === 'pending'),
    { what: 'the Write waiting as a tool approval' },
  );
  // The core's pages of the diff, as any client reads them.
  const pages: Approval[] = [];
  for (let from: number | undefined = 0; from !== undefined; ) {
    const res: { approval?: Approval } = await core.request<{ approval: Approval }>({ cmd: "approval", id: queued.id, diff_from: from });
    if (!res.approval) throw new Error(`approval #${queued.id} from line ${from}: ${JSON.stringify(res).slice(0, 300)}`);
    const page: Approval = res.approval;
    pages.push(page);
    from = page.diff_next;
  }
  assert.ok(pages.length >= 2, `the diff spans pages (${pages.length})`);
  const whole = pages.map((p) => p.diff).join('');
  const total = pages[0]!.diff_total_lines!;
  assert.match(whole, /^\(.*big\.txt is larger than 1 MiB, so its content is not read; showing the new content alone\)\n--- \/dev\/null\n/);
  assert.ok(whole.endsWith(`+row ${String(ROWS).padStart(6, '0')} ${'x'.repeat(50)}\n`));
  assert.equal(whole.split('\n').length - 1, total);

  const tuiErr = path.join(dir, 'tui.stderr');
  tmux('new-session', '-d', '-s', 'tui', '-x', '120', '-y', '30', `TERM=xterm-256color PAGER='cat > ${paged}' ${process.execPath} ${tuiEntry} --socket ${core.hostSocket} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`);
  await waitFor(() => /● live/.test(screen()), { timeoutMs: 20_000, what: 'the console live' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- stderr ---\n${fs.readFileSync(tuiErr, 'utf8')}`);
  });
  press('2');
  await waitScreen(new RegExp(`approval #${queued.id}\\b.*Write: big\\.txt`), 'the Write in the attention queue');
  press('Enter');
  await waitScreen(/iris wants to run Write/, 'the tool approval view');
  const first = await waitScreen(new RegExp(`\\(lines 1–\\d+ of ${total},`), 'the first lines, counted against the whole diff');
  assert.match(first, /^\+row 000001 x+/m);

  press('G');
  const end = await waitScreen(new RegExp(`^\\+row ${String(ROWS).padStart(6, '0')} x+\\s*$`, 'm'), 'the last line of the diff, from its last page', 15_000);
  assert.match(end, new RegExp(`\\(lines \\d+–${total} of ${total},`));
  assert.doesNotMatch(end, /^…\s*$/m, 'every row shown is loaded');
  press('g');
  await waitScreen(/^\+row 000001 x+/m, 'back at the top, the first page again', 15_000);

  press('o');
  await waitFor(() => fs.existsSync(paged) && fs.readFileSync(paged, 'utf8').length >= whole.length, { timeoutMs: 15_000, what: 'the pager to get the diff' });
  assert.equal(fs.readFileSync(paged, 'utf8').replace(/\u001b\[[0-9;]*m/g, ''), whole, 'o gives every page of the diff');

  press('d');
  await waitScreen(/note \(optional\)/, 'the deny note');
  press('Enter');
  assert.equal((await decided).behavior, 'deny');
});

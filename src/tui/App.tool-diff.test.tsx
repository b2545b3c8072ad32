// An edit's diff longer than one page of `approval`: the tool approval view pages through it as a
// config change's does (scrolling past the loaded page fetches the one holding the rows, G the end),
// says how far through it is, and `o` gives the pager every page.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { render, cleanup } from 'ink-testing-library';
import { App } from './App.js';
import type { TerminalControl } from './hive-source.js';
import { noColorTheme } from './theme/theme.js';
import { KEYS, TestHive, waitFor, waitForFrame } from './testing/test-hive.js';
import { approval, snapshot } from './testing/fixtures.js';
import type { Approval } from '../protocol/index.js';

afterEach(() => cleanup());

const LINES = 2500;
const PAGE_LINES = 1000;
/** A new file of LINES lines, all added: 3 header lines, then `+line N`. */
const DIFF_LINES = ['--- /dev/null', '+++ b/big.txt', `@@ -0,0 +1,${LINES} @@`, ...Array.from({ length: LINES }, (_, i) => `+line ${i + 1}`)];
const WHOLE_DIFF = DIFF_LINES.join('\n') + '\n';

const WRITE = approval(7, { agent: 'iris', kind: 'tool_permission', commit_ref: '', tool_name: 'Write', summary: 'big.txt', rule_proposal: 'Write(big.txt)' });

/** The page of the diff starting at line `from`, as the core answers `approval {id, diff_from}` (pages of PAGE_LINES lines here). */
function page(from = 0): Approval {
  const lines = DIFF_LINES.slice(from, from + PAGE_LINES);
  const next = from + lines.length;
  return {
    ...WRITE,
    tool_input: { file_path: 'big.txt', content: '…' },
    diff: lines.join('\n') + '\n',
    diff_from: from,
    diff_total_lines: DIFF_LINES.length,
    diff_total_bytes: WHOLE_DIFF.length,
    ...(next < DIFF_LINES.length && { diff_next: next }),
  };
}

/** A test hive that answers each approval fetch with the page it asked for. */
class PagingHive extends TestHive {
  override async fetchApproval(id: number, from?: number, against?: 'deployed'): Promise<void> {
    await super.fetchApproval(id, from, against);
    this.apply({ type: 'approval_detail', approval: page(from) });
  }
}

async function opened(terminal?: TerminalControl) {
  const h = new PagingHive();
  h.apply({ type: 'snapshot', snapshot: snapshot({ approvals: [WRITE] }) }, { type: 'connection', info: { phase: 'live' } });
  const r = render(<App hive={h} theme={noColorTheme} bell={false} size={{ columns: 100, rows: 30 }} {...(terminal && { terminal })} />);
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (f) => f.includes('approval #7'));
  r.stdin.write(KEYS.enter);
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('+line 1\n'));
  return { h, r, frame };
}

/** The first and last line the view shows, from its `(lines A–B of N` header. */
function shownLines(frame: string): { first: number; last: number; total: number } {
  const m = /\(lines (\d+)–(\d+) of (\d+),/.exec(frame);
  assert.ok(m, `no line counter in\n${frame}`);
  return { first: Number(m[1]), last: Number(m[2]), total: Number(m[3]) };
}

test('the header counts the lines of the whole diff, not of the page held', async () => {
  const { h, frame } = await opened();
  assert.deepEqual(h.approvalPages, [undefined], 'the first page only, so far');
  const { first, total } = shownLines(frame);
  assert.equal(first, 1);
  assert.equal(total, DIFF_LINES.length);
  assert.match(frame, /iris wants to run Write/);
});

test('scrolling past the first page asks the core for the page holding the rows shown, and draws them', async () => {
  const { h, r, frame } = await opened();
  const rows = shownLines(frame).last;
  // Page down until the window reaches past the first page's last line.
  for (let i = 0; PAGE_LINES + 5 > shownLines(r.lastFrame() ?? '').last && i < 200; i++) {
    const before = shownLines(r.lastFrame() ?? '').first;
    r.stdin.write('\u0004'); // Ctrl-D: a page down
    await waitForFrame(r.lastFrame, (f) => shownLines(f).first > before);
  }
  await waitFor(() => h.approvalPages.some((from) => from !== undefined && from > 0), 3000, 'a later page fetched');
  const later = h.approvalPages.find((from) => from !== undefined && from > 0)!;
  assert.ok(later < PAGE_LINES + 5 - rows + 1, `the page asked for (from ${later}) holds the rows shown`);
  const shown = await waitForFrame(r.lastFrame, (f) => new RegExp(`^\\+line ${PAGE_LINES + 1}$`, 'm').test(f) || /^\+line 1\d{3}$/m.test(f));
  assert.doesNotMatch(shown, /^…$/m, 'no row is left unloaded');
});

test('G goes to the end of the diff: the page holding its last line is fetched and the last line shown', async () => {
  const { h, r } = await opened();
  r.stdin.write('G');
  const end = await waitForFrame(r.lastFrame, (f) => f.includes(`+line ${LINES}\n`) || f.trimEnd().endsWith(`+line ${LINES}`));
  const { last, total } = shownLines(end);
  assert.equal(last, total);
  assert.equal(total, DIFF_LINES.length);
  const from = h.approvalPages.at(-1);
  assert.ok(from !== undefined && from > PAGE_LINES && from <= DIFF_LINES.length - 1, `G asked for the last page (from ${from})`);
  r.stdin.write('g');
  await waitForFrame(r.lastFrame, (f) => /^\+line 1$/m.test(f));
  assert.equal(shownLines(r.lastFrame() ?? '').first, 1);
});

test('o pages the whole diff, every page, not the one the view holds; the view keeps its page', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-toolpager-'));
  const out = path.join(dir, 'paged.txt');
  process.env.PAGER = `cat > ${out}`;
  const terminal: TerminalControl = { runOutside: async (run) => run() };
  try {
    const { h, r } = await opened(terminal);
    h.whole = { ok: true, diff: WHOLE_DIFF };
    r.stdin.write('G');
    await waitForFrame(r.lastFrame, (f) => f.includes(`+line ${LINES}`));
    const fetches = h.approvalPages.length;
    r.stdin.write('o');
    await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes(`+line ${LINES}\n`), 5000, 'the pager to get the diff');
    assert.equal(fs.readFileSync(out, 'utf8'), WHOLE_DIFF, 'the whole diff, every line');
    assert.equal(h.approvalPages.length, fetches, 'the view was not put back on the first page');
    assert.match(r.lastFrame() ?? '', new RegExp(`\\+line ${LINES}`));
  } finally {
    delete process.env.PAGER;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

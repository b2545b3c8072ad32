// The approval view drawn by the real App: a config change's header, file list and diff, moved
// by file; the pager gets the whole diff; a spawn shows the agent.json it starts with.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { render, cleanup } from 'ink-testing-library';
import { App } from './App.js';
import type { TerminalControl } from './hive-source.js';
import { colorTheme, noColorTheme } from './theme/theme.js';
import { KEYS, TestHive, waitFor, waitForFrame } from './testing/test-hive.js';
import { approval, snapshot, TWO_FILE_DIFF as DIFF } from './testing/fixtures.js';
import type { Approval } from '../protocol/index.js';

afterEach(() => cleanup());


const CHANGE: Approval = approval(7, {
  kind: 'apply_commit', agent: 'iris', commit_ref: '3f9c2ab', fetched_sha: '3f9c2ab41d0e'.padEnd(40, '7'), requested_by: 'manager', description: 'sonnet for the triage', diff_files: 2,
});

function shown(detail: Partial<Approval>, theme = colorTheme, terminal?: TerminalControl, rows = 30) {
  const h = new TestHive();
  h.apply({ type: 'snapshot', snapshot: snapshot({ approvals: [CHANGE] }) }, { type: 'connection', info: { phase: 'live' } });
  const r = render(<App hive={h} theme={theme} bell={false} size={{ columns: 100, rows }} {...(terminal && { terminal })} />);
  return { h, r, open: async () => {
    r.stdin.write('2');
    await waitForFrame(r.lastFrame, (f) => f.includes('approval #7'));
    r.stdin.write(KEYS.enter);
    await waitFor(() => h.approvalFetches.includes(7));
    h.apply({ type: 'approval_detail', approval: { ...CHANGE, ...detail } });
  } };
}

test('a config change: who asks, the base, the files with +/− counts, the diff file by file', async () => {
  const { r, open } = shown({ diff: DIFF, base_sha: 'a'.repeat(40), deployed_sha: 'b'.repeat(40), base_moved: true, files: [{ path: 'CLAUDE.md', status: 'modified', added: 1, removed: 0, line: 0 }, { path: 'agent.json', status: 'modified', added: 1, removed: 1, line: 8 }] }, colorTheme, undefined, 20);
  await open();
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('2 files'));
  assert.match(frame, /approval #7 pending · apply_commit for iris/);
  assert.match(frame, /requested by manager \d+[sm] ago · commit 3f9c2ab41d0e/);
  assert.match(frame, /description: sonnet for the triage/);
  assert.match(frame, /⚠ base moved \(b: diff against now\): iris now runs bbbbbbbbbbbb; this diff is against aaaaaaaaaaaa/);
  assert.match(frame, /2 files \+2 −1\n {2}M CLAUDE\.md {2}\+1 −0\n {2}M agent\.json {2}\+1 −1/);
  assert.match(frame, /── CLAUDE\.md · diff 1–9 of 17/);
  assert.match(frame, /^\+Run the suite first\.$/m);
  assert.doesNotMatch(frame, /"model": "sonnet"/, 'the second file is below the window');
  r.stdin.write(']');
  await waitForFrame(r.lastFrame, (f) => /── agent\.json · diff 9–17 of 17/.test(f));
  r.stdin.write('a');
  await waitForFrame(r.lastFrame, (f) => f.includes('approve #7: apply 2 files (3f9c2ab41d0e) to iris and restart it? [y/N]'));
});

test('b: the diff against what the agent runs now when its base moved, and b again as requested', async () => {
  const moved = { diff: DIFF, base_sha: 'a'.repeat(40), deployed_sha: 'b'.repeat(40) };
  const { h, r, open } = shown({ ...moved, base_moved: true });
  await open();
  await waitForFrame(r.lastFrame, (f) => f.includes('(b: diff against now)'));
  r.stdin.write('b');
  await waitFor(() => h.approvalAgainst.includes('deployed'), 3000, 'a fetch against the deployed commit');
  h.apply({ type: 'approval_detail', approval: { ...CHANGE, ...moved, base_moved: false, diff: DIFF.split('\n').slice(8).join('\n') } });
  const rebased = await waitForFrame(r.lastFrame, (f) => f.includes('⚠ base moved (b: as requested): this diff is against what iris runs now (bbbbbbbbbbbb)'));
  assert.match(rebased, /── agent\.json · diff 1–9 of 9/);
  r.stdin.write('b');
  await waitFor(() => h.approvalAgainst.length === 3 && h.approvalAgainst[2] === undefined, 3000, 'a fetch as requested');
});

test('without colour the same diff carries no escapes at all', async () => {
  const { r, open } = shown({ diff: DIFF }, noColorTheme);
  await open();
  await waitForFrame(r.lastFrame, (f) => f.includes('+Run the suite first.'));
  assert.doesNotMatch(r.lastFrame()!, /\u001b/);
});

test('o hands the whole diff (every page, coloured for less -R) to $PAGER while the terminal is lent', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-pager-'));
  const out = path.join(dir, 'paged.txt');
  process.env.PAGER = `cat > ${out}`;
  let lent = 0;
  const terminal: TerminalControl = {
    async runOutside(run) {
      lent++;
      return run();
    },
  };
  try {
    const { h, r, open } = shown({ diff: DIFF.split('\n').slice(0, 8).join('\n') + '\n', diff_next: 8, diff_total_lines: 17 }, colorTheme, terminal);
    h.whole = { ok: true, diff: DIFF };
    await open();
    await waitForFrame(r.lastFrame, (f) => f.includes('diff 1–'));
    r.stdin.write('o');
    await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').includes('sonnet'), 5000, 'the pager to get the diff');
    assert.equal(lent, 1);
    const paged = fs.readFileSync(out, 'utf8');
    assert.equal(paged.replace(/\u001b\[[0-9;]*m/g, ''), DIFF, 'the whole diff, every line');
    assert.match(paged, /\u001b\[32m\+ {2}"model": "sonnet",\u001b\[0m/);
  } finally {
    delete process.env.PAGER;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a spawn shows the agent.json the new agent starts with', async () => {
  const h = new TestHive();
  const spawn = approval(3, { kind: 'spawn', agent: 'scout', requested_by: 'manager', description: 'a researcher' });
  h.apply({ type: 'snapshot', snapshot: snapshot({ approvals: [spawn] }) }, { type: 'connection', info: { phase: 'live' } });
  const r = render(<App hive={h} theme={colorTheme} bell={false} size={{ columns: 100, rows: 30 }} />);
  r.stdin.write('2');
  await waitForFrame(r.lastFrame, (f) => f.includes('approval #3'));
  r.stdin.write(KEYS.enter);
  await waitFor(() => h.approvalFetches.includes(3));
  const preview = 'diff --git a/agent.json b/agent.json\nnew file mode 100644\n--- /dev/null\n+++ b/agent.json\n@@ -0,0 +1,4 @@\n+{\n+  "model": "haiku",\n+  "command": ["claude"]\n+}\n';
  h.apply({ type: 'approval_detail', approval: { ...spawn, diff: preview } });
  const frame = await waitForFrame(r.lastFrame, (f) => f.includes('"model": "haiku"'));
  assert.match(frame, /approval #3 pending · spawn scout/);
  assert.match(frame, /── agent\.json · starts with 1–5 of 5/);
  assert.match(frame, /^agent\.json\n\{\n {2}"model": "haiku",\n {2}"command": \["claude"\]\n\}$/m);
});

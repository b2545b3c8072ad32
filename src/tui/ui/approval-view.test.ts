// The approval view's body (pure) and its keys through the real dispatcher: scrolling over the
// whole diff with pages fetched as needed, ]/[ by file, o to the pager, and the approve line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Approval } from '../../protocol/index.js';
import { approvalBody, bodyRow, fileAt, nextFileRow, previousFileRow } from '../approval-body.js';
import { approvalLayout } from '../views/ApprovalView.js';
import { initialUiState, type KeyEnv, type UiState } from './ui-state.js';
import { envOf, hive, press } from '../testing/dispatch-env.js';
import type { ApprovalBox } from './ui-state.js';
import { approval, TWO_FILE_DIFF as DIFF } from '../testing/fixtures.js';


function change(extra: Partial<Approval> = {}): Approval {
  return approval(7, { kind: 'apply_commit', agent: 'iris', commit_ref: 'abc1234', fetched_sha: 'abc1234'.padEnd(40, '0'), requested_by: 'manager', diff: DIFF, ...extra });
}

test('a config change\'s body: the diff rows numbered across the whole diff, its files and where each starts', () => {
  const body = approvalBody(change());
  assert.deepEqual([body.total, body.from, body.rows.length, body.caption], [17, 0, 17, 'diff']);
  assert.deepEqual(body.files.map((f) => [f.path, f.status, f.added, f.removed, f.row]), [['CLAUDE.md', 'modified', 1, 0, 0], ['agent.json', 'modified', 1, 1, 8]]);
  assert.deepEqual(bodyRow(body, 15), { kind: 'add', text: '+  "model": "sonnet",' });
  // A later page of a long diff: its rows sit at their place in the whole, the files come from the core.
  const page = approvalBody(change({ diff: ' {\n-  "model": "haiku",\n', diff_from: 13, diff_total_lines: 5000, files: [{ path: 'agent.json', status: 'modified', added: 1, removed: 1, line: 8 }] }));
  assert.deepEqual([page.total, page.from, bodyRow(page, 14)?.text, bodyRow(page, 3)], [5000, 13, '-  "model": "haiku",', undefined]);
  assert.deepEqual([fileAt(body.files, 3), fileAt(body.files, 8), fileAt(body.files, 16)], [0, 1, 1]);
  assert.deepEqual([nextFileRow(body.files, 0), nextFileRow(body.files, 8), previousFileRow(body.files, 10), previousFileRow(body.files, 8), previousFileRow(body.files, 0)], [8, undefined, 8, 0, undefined]);
});

test('a spawn\'s body: the files the agent starts with, as they read (no diff markers)', () => {
  const preview = 'diff --git a/agent.json b/agent.json\nnew file mode 100644\n--- /dev/null\n+++ b/agent.json\n@@ -0,0 +1,3 @@\n+{\n+  "model": "haiku"\n+}\ndiff --git a/CLAUDE.md b/CLAUDE.md\nnew file mode 100644\n--- /dev/null\n+++ b/CLAUDE.md\n@@ -0,0 +1 @@\n+# scout\n';
  const body = approvalBody(approval(3, { kind: 'spawn', agent: 'scout', diff: preview }));
  assert.equal(body.caption, 'starts with');
  assert.deepEqual(body.rows.map((r) => r.text), ['agent.json', '{', '  "model": "haiku"', '}', '', 'CLAUDE.md', '# scout']);
  assert.deepEqual(body.files.map((f) => [f.path, f.row]), [['agent.json', 0], ['CLAUDE.md', 5]]);
  assert.equal(approvalBody(approval(3, { kind: 'spawn', revival: true, diff: preview })).caption, 'comes back with');
  const bare = approvalBody(approval(3, { kind: 'spawn', diff: '+line 0\n+line 1' }));
  assert.deepEqual([bare.caption, bare.total], ['diff', 2], 'a diff without file headers is shown as it is');
});

function envWith(a: Approval, rows: number): KeyEnv {
  const layout = approvalLayout(a, rows, Date.now());
  const box: ApprovalBox = { id: a.id, total: layout.body.total, from: layout.body.from, loaded: layout.body.rows.length, rows: layout.bodyRows, fileRows: layout.body.files.map((f) => f.row) };
  return envOf(hive(), { bodyRows: rows, approval: a, approvalBox: box });
}

const shown: UiState = { ...initialUiState(), view: 'approval', approvalId: 7, approvalScroll: 0 };

test('keys: ] and [ move by file, j/k and G by row within the diff, and a row outside the loaded page asks for its page', () => {
  const env = envWith(change(), 14);
  assert.equal(env.approvalBox!.rows, 7, 'header 3, files 3, title 1: 7 of 14 rows for the diff');
  assert.equal(press(shown, env, ']').ui.approvalScroll, 8, 'the second file starts at row 8');
  const tall = envWith(change(), 18);
  assert.equal(tall.approvalBox!.rows, 11, 'the whole diff but 6 rows fits');
  const jumped = press(shown, tall, ']');
  assert.equal(jumped.ui.approvalScroll, 8, 'a file jump puts the file at the top, past the usual end');
  assert.equal(press(jumped.ui, tall, 'j').ui.approvalScroll, 8, 'down from past the end stays');
  assert.equal(press(jumped.ui, tall, 'k').ui.approvalScroll, 7, 'up goes from where it is');
  assert.equal(press(shown, tall, 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j').ui.approvalScroll, 6, 'line moves stop with the last row at the bottom');
  const big = change({ diff: DIFF, diff_total_lines: 10_000, files: [{ path: 'CLAUDE.md', status: 'modified', added: 1, removed: 0, line: 0 }, { path: 'agent.json', status: 'modified', added: 1, removed: 1, line: 8 }, { path: 'notes.txt', status: 'added', added: 9000, removed: 0, line: 17 }] });
  const bigEnv = envWith(big, 14);
  const next = press(shown, bigEnv, ']');
  assert.deepEqual([next.ui.approvalScroll, next.effects], [8, []], 'the next file is loaded: no fetch');
  const third = press(next.ui, bigEnv, ']');
  assert.equal(third.ui.approvalScroll, 17);
  assert.deepEqual(third.effects, [{ type: 'fetch_approval', id: 7, from: 0 }], 'its rows are not loaded: the page holding them is asked for');
  const bottom = press(shown, bigEnv, 'G');
  assert.equal(bottom.ui.approvalScroll, 10_000 - bigEnv.approvalBox!.rows);
  assert.deepEqual(bottom.effects, [{ type: 'fetch_approval', id: 7, from: 10_000 - bigEnv.approvalBox!.rows - 100 }]);
  assert.equal(press(bottom.ui, bigEnv, ']').ui.flash?.text, 'this is the last file');
  assert.equal(press(shown, bigEnv, '[').ui.flash?.text, 'this is the first file');
  assert.equal(press(next.ui, bigEnv, '[').ui.approvalScroll, 0);
  assert.deepEqual(press(shown, bigEnv, 'j', 'j', 'k').ui.approvalScroll, 1);
});

test('keys: o hands the whole diff to the pager; a asks with the file count and the commit', () => {
  const env = envWith(change({ diff_files: 2 }), 14);
  assert.deepEqual(press(shown, env, 'o').effects, [{ type: 'pager_approval', id: 7 }]);
  const asked = press(shown, env, 'a');
  assert.equal(asked.ui.modal?.kind, 'confirm');
  assert.equal((asked.ui.modal as { prompt: string }).prompt, 'approve #7: apply 2 files (abc123400000) to iris and restart it?');
  const yes = press(asked.ui, env, 'y');
  assert.deepEqual(yes.effects.map((e) => (e.type === 'request' ? e.pending.request : e)), [{ cmd: 'approve', id: 7 }]);
  const spawn = envWith(approval(3, { kind: 'spawn', agent: 'scout' }), 14);
  assert.equal((press({ ...shown, approvalId: 3 }, spawn, 'a').ui.modal as { prompt: string }).prompt, 'approve #3?');
});

test('keys: b diffs a config change whose base moved against what runs now, and back; otherwise it says why not', () => {
  const moved = envWith(change({ base_moved: true, base_sha: 'a'.repeat(40), deployed_sha: 'b'.repeat(40) }), 14);
  const rebased = press({ ...shown, approvalScroll: 3 }, moved, 'b');
  assert.deepEqual([rebased.ui.approvalAgainst, rebased.ui.approvalScroll, rebased.effects], ['deployed', 0, [{ type: 'fetch_approval', id: 7, against: 'deployed' }]]);
  // Paging and the pager keep asking for the recomputed diff.
  const big = envWith(change({ diff_total_lines: 10_000 }), 14);
  assert.deepEqual(press(rebased.ui, big, 'G').effects, [{ type: 'fetch_approval', id: 7, from: 10_000 - big.approvalBox!.rows - 100, against: 'deployed' }]);
  assert.deepEqual(press(rebased.ui, moved, 'o').effects, [{ type: 'pager_approval', id: 7, against: 'deployed' }]);
  const back = press(rebased.ui, moved, 'b');
  assert.deepEqual([back.ui.approvalAgainst, back.effects], [undefined, [{ type: 'fetch_approval', id: 7 }]]);
  assert.equal(press(shown, envWith(change(), 14), 'b').ui.flash?.text, 'iris still runs the commit this diff was made against');
  assert.equal(press({ ...shown, approvalId: 3 }, envWith(approval(3, { kind: 'spawn', agent: 'scout' }), 14), 'b').ui.flash?.text, 'only a config change has a deployed commit to compare with');
});

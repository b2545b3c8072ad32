import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffFiles } from '../protocol/index.js';
import { diffPage } from './diff-page.js';
import { newFilesDiff, parseAgentJson } from './config-repos/index.js';

const DIFF = [
  'diff --git a/CLAUDE.md b/CLAUDE.md',
  'index 3a9ec45..672d9a3 100644',
  '--- a/CLAUDE.md',
  '+++ b/CLAUDE.md',
  '@@ -1,3 +1,4 @@',
  ' # iris',
  '-old line',
  '--- a line that starts with three dashes',
  '+new line',
  '++++ a line that starts with three pluses',
  ' context',
  'diff --git a/with space.txt b/with space.txt',
  'new file mode 100644',
  'index 0000000..e69de29',
  '--- /dev/null',
  '+++ b/with space.txt',
  '@@ -0,0 +1 @@',
  '+hello',
  'diff --git a/gone.txt b/gone.txt',
  'deleted file mode 100644',
  '--- a/gone.txt',
  '+++ /dev/null',
  '@@ -1,2 +0,0 @@',
  '-a',
  '-b',
  'diff --git a/old.md b/new.md',
  'similarity index 90%',
  'rename from old.md',
  'rename to new.md',
  'diff --git a/logo.png b/logo.png',
  'index 1111111..2222222 100644',
  'Binary files a/logo.png and b/logo.png differ',
  '',
].join('\n');

test('diffFiles: paths, what happened to each file, line counts and where each starts', () => {
  assert.deepEqual(diffFiles(DIFF), [
    { path: 'CLAUDE.md', status: 'modified', added: 2, removed: 2, start: 0, end: 11 },
    { path: 'with space.txt', status: 'added', added: 1, removed: 0, start: 11, end: 18 },
    { path: 'gone.txt', status: 'deleted', added: 0, removed: 2, start: 18, end: 25 },
    { path: 'new.md', old_path: 'old.md', status: 'renamed', added: 0, removed: 0, start: 25, end: 29 },
    { path: 'logo.png', status: 'modified', added: 0, removed: 0, binary: true, start: 29, end: 32 },
  ]);
  assert.deepEqual(diffFiles(''), []);
  assert.deepEqual(diffFiles('diff --git "a/t\\303\\251st" "b/t\\303\\251st"\n--- "a/t\\303\\251st"\n+++ "b/t\\303\\251st"\n@@ -1 +1 @@\n-x\n+y\n').map((f) => f.path), ['tést']);
});

test('diffPage: a page of whole lines within its budget, a next line, and pages that add up to the whole', () => {
  const whole = diffPage(DIFF);
  assert.equal(whole.diff, DIFF);
  assert.equal(whole.diff_next, undefined);
  assert.deepEqual([whole.diff_total_lines, whole.diff_total_bytes, whole.files.length, whole.files[1]!.line], [32, Buffer.byteLength(DIFF), 5, 11]);
  let from = 0;
  let rebuilt = '';
  let pages = 0;
  for (;;) {
    const page = diffPage(DIFF, from, Infinity, 200);
    assert.ok(Buffer.byteLength(JSON.stringify(page.diff)) <= 200 + 64, 'within the budget');
    rebuilt += page.diff;
    pages++;
    if (page.diff_next === undefined) break;
    assert.ok(page.diff_next > from);
    from = page.diff_next;
  }
  assert.equal(rebuilt, DIFF);
  assert.ok(pages > 3, `${pages} pages`);
  assert.equal(diffPage(DIFF, 5, 2).diff, ' # iris\n-old line\n');
  assert.equal(diffPage(DIFF, 5, 2).diff_next, 7);
});

test('diffPage: text that escapes in JSON counts at its escaped size; a line longer than a page is cut with a marker', () => {
  const controls = '\u0001'.repeat(1000);
  const page = diffPage(`+${controls}\n+short\n`, 0, Infinity, 4000);
  assert.match(page.diff.split('\n')[0]!, /^\+\u0001+ … \[line cut: 1001 bytes\]$/, 'the line (≈6 KB as JSON) is cut to fit');
  assert.equal(page.diff.split('\n')[1], '+short');
  assert.ok(Buffer.byteLength(JSON.stringify(page.diff)) < 4000);
  const full = diffPage(`+${'\u0001'.repeat(500)}\n+${'\u0001'.repeat(500)}\n`, 0, Infinity, 4000);
  assert.equal(full.diff_next, 1, 'two lines of ≈3 KB of JSON each do not share a 4 KB page');
});

test('newFilesDiff: the files a new agent starts with, as a diff that creates them', () => {
  const diff = newFilesDiff([{ path: 'agent.json', text: '{\n  "model": "haiku"\n}\n' }, { path: 'CLAUDE.md', text: 'one line' }]);
  assert.equal(
    diff,
    'diff --git a/agent.json b/agent.json\nnew file mode 100644\n--- /dev/null\n+++ b/agent.json\n@@ -0,0 +1,3 @@\n+{\n+  "model": "haiku"\n+}\n' +
      'diff --git a/CLAUDE.md b/CLAUDE.md\nnew file mode 100644\n--- /dev/null\n+++ b/CLAUDE.md\n@@ -0,0 +1 @@\n+one line\n\\ No newline at end of file\n',
  );
  assert.deepEqual(diffFiles(diff).map((f) => [f.path, f.status, f.added]), [['agent.json', 'added', 3], ['CLAUDE.md', 'added', 1]]);
});

test('parseAgentJson: the hive schema with the field named, and the hive-level checks', () => {
  const ctx = { name: 'iris', agents: ['manager', 'iris'] };
  assert.deepEqual(parseAgentJson('{"model":"sonnet","parent":"manager"}', ctx), {
    ok: true,
    config: { model: 'sonnet', command: ['claude'], parent: 'manager', env: {}, allowed_recipients: null, extra_mcp_servers: {}, run_record: false, permissions: { allow: [], deny: [] } },
  });
  const error = (text: string) => {
    const parsed = parseAgentJson(text, ctx);
    return parsed.ok ? 'ok' : parsed.error;
  };
  assert.match(error('{"model":'), /^agent\.json is not valid JSON/);
  assert.match(error('{"model":""}'), /^agent\.json field "model": /);
  assert.match(error('{"command":[]}'), /^agent\.json field "command": /);
  assert.match(error('{"env":{"A":1}}'), /^agent\.json field "env\.A": /);
  assert.match(error('{"allowed_recipients":["Bad Name"]}'), /^agent\.json field "allowed_recipients\.0": /);
  assert.match(error('{"extra_mcp_servers":{"hyperhive":{}}}'), /"hyperhive" is the hive's own MCP server/);
  assert.match(error('{"run_record":"yes"}'), /^agent\.json field "run_record": /);
  assert.match(error('{"colour":"blue"}'), /^agent\.json field "\(top level\)": .*colour/);
  assert.equal(error('{"parent":"iris"}'), 'agent.json field "parent": iris cannot be its own parent');
  assert.equal(error('{"parent":"ghost"}'), 'agent.json field "parent": "ghost" is not an agent of this hive');
  assert.match(error('[]'), /^agent\.json field "\(top level\)": /);
});

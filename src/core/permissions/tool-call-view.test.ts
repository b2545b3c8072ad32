// What the operator is shown of a call: the summary per tool, and diffs read only inside the agent's work dir
// (as the core sees it when claude sees it elsewhere), never through a link out of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolCallDiff, toolCallSummary } from './tool-call-view.js';

test('summaries: the command on one line, a path from the work dir, the URL, other input as JSON', () => {
  const w = '/w';
  assert.equal(toolCallSummary({ tool_name: 'Bash', input: { command: 'npm test \\\n  --watch=false' } }, w), 'npm test \\ ⏎ --watch=false');
  assert.equal(toolCallSummary({ tool_name: 'Edit', input: { file_path: '/w/src/a.ts' } }, w), 'src/a.ts');
  assert.equal(toolCallSummary({ tool_name: 'Write', input: { file_path: '/etc/passwd' } }, w), '/etc/passwd');
  assert.equal(toolCallSummary({ tool_name: 'WebFetch', input: { url: 'https://x.example/a', prompt: 'p' } }, w), 'https://x.example/a');
  assert.equal(toolCallSummary({ tool_name: 'Grep', input: { pattern: 'TODO', path: '/w/src' } }, w), 'TODO in src');
  assert.equal(toolCallSummary({ tool_name: 'mcp__github__create_issue', input: { title: 't' } }, w), '{"title":"t"}');
  assert.equal(toolCallSummary({ tool_name: 'Bash', input: { command: 'x'.repeat(400) } }, w).length, 300);
});

test('diffs: an edit, several edits, a rewrite, text not found; files outside, through a link or binary are not read', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-view-'));
  try {
    const host = path.join(root, 'state', 'work');
    fs.mkdirSync(path.join(host, 'src'), { recursive: true });
    fs.writeFileSync(path.join(host, 'src', 'a.ts'), 'one\ntwo\nthree\n');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'top secret\n');
    fs.symlinkSync(path.join(root, 'secret.txt'), path.join(host, 'link.txt'));
    fs.writeFileSync(path.join(host, 'blob.bin'), Buffer.from([1, 0, 2]));
    // claude runs in a container that sees the work dir at /state/work.
    const seen = '/state/work';
    const diff = (input: Record<string, unknown>, tool = 'Edit') => toolCallDiff({ tool_name: tool, input }, seen, host);
    assert.equal(diff({ file_path: '/state/work/src/a.ts', old_string: 'two', new_string: 'TWO' }), '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n');
    assert.equal(
      diff({ file_path: 'src/a.ts', edits: [{ old_string: 'one', new_string: '1' }, { old_string: 'three', new_string: '3' }] }, 'MultiEdit'),
      '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n-one\n+1\n two\n-three\n+3\n',
    );
    assert.equal(diff({ file_path: 'src/a.ts', content: 'one\n' }, 'Write'), '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,1 @@\n one\n-two\n-three\n');
    assert.match(diff({ file_path: 'src/a.ts', old_string: 'four', new_string: '4' })!, /^\(the text to replace is not in src\/a\.ts; claude's edit will fail as written\)\n--- a\/src\/a\.ts/);
    assert.match(diff({ file_path: 'link.txt', content: 'x\n' }, 'Write')!, /^\(\/state\/work\/link\.txt is outside the agent's work dir, so its content is not read; showing the new content alone\)/);
    assert.doesNotMatch(diff({ file_path: 'link.txt', content: 'x\n' }, 'Write')!, /top secret/);
    assert.match(diff({ file_path: '/etc/passwd', old_string: 'root', new_string: 'toor' })!, /^\(\/etc\/passwd is outside the agent's work dir, so its content is not read; showing each replacement alone\)\n--- a\/\/etc\/passwd/);
    assert.match(diff({ file_path: 'blob.bin', content: 'x' }, 'Write')!, /is not a text file/);
    assert.equal(toolCallDiff({ tool_name: 'Bash', input: { command: 'ls' } }, seen, host), null);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

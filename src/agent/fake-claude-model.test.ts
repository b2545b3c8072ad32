/** The demo's fake claude names the model it was started with, as claude does, not the recording's. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAKE_CLAUDE, TRANSCRIPTS } from './test-paths.js';

function replay(transcript: string, model?: string): Record<string, any>[] {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-fake-claude-'));
  try {
    const args = [FAKE_CLAUDE, '--print', '--output-format', 'stream-json', ...(model ? ['--model', model] : [])];
    const run = spawnSync(process.execPath, args, {
      cwd,
      input: 'hello',
      encoding: 'utf8',
      env: { ...process.env, FAKE_CLAUDE_PACE_MS: '0', FAKE_CLAUDE_NO_TOOLS: '1', FAKE_CLAUDE_TRANSCRIPT: path.join(TRANSCRIPTS, transcript) },
    });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

test('with --model, the init, assistant and result lines name that model', () => {
  const lines = replay('thinking-tools.jsonl', 'sonnet');
  const init = lines.find((l) => l.type === 'system' && l.subtype === 'init')!;
  assert.equal(init.model, 'sonnet');
  const assistants = lines.filter((l) => l.type === 'assistant');
  assert.ok(assistants.length > 0);
  for (const a of assistants) assert.equal(a.message.model, 'sonnet');
  const result = lines.find((l) => l.type === 'result')!;
  assert.deepEqual(Object.keys(result.modelUsage), ['sonnet']);
});

test('without --model the recording plays as recorded', () => {
  const lines = replay('thinking-tools.jsonl');
  assert.equal(lines.find((l) => l.type === 'system')!.model, 'claude-haiku-4-5-20251001');
});

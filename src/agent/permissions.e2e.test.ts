/**
 * End to end: the harness runs fake-claude with --permission-prompt-tool, and
 * fake-claude asks the hive before the tools its script marks as needing
 * permission, through the real MCP server, then replays what claude would:
 * the tool's result when allowed, the tool_result error when denied.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collectLines, startCore, waitFor } from '../testing/hive.js';
import type { Approval } from '../protocol/index.js';
import { FAKE_CLAUDE, TRANSCRIPTS } from './test-paths.js';

type ToolResult = { tool_use_id: string; content: unknown; is_error: boolean };

test('a turn asks before its tools: a rule allows one, the operator allows one and denies one, claude sees each outcome', async () => {
  const dir = fs.mkdtempSync('/tmp/hh-perm-');
  const script = path.join(dir, 'script.json');
  const argsLog = path.join(dir, 'args.log');
  fs.writeFileSync(
    script,
    JSON.stringify({
      turns: [
        {
          transcript: path.join(TRANSCRIPTS, 'basic-query.jsonl'),
          calls: [
            { after_line: 1, builtin: 'Bash', args: { command: 'ls -la', description: 'List files' }, needs_permission: true, result: 'total 0' },
            { after_line: 1, builtin: 'Bash', args: { command: 'npm test', description: 'Run the tests' }, needs_permission: true, result: '# pass 42' },
            { after_line: 1, builtin: 'Bash', args: { command: 'rm -rf build' }, needs_permission: true, result: 'should not be seen' },
            { after_line: 1, builtin: 'Read', args: { file_path: 'README.md' }, result: '# hello' },
          ],
        },
      ],
    }),
  );
  const core = await startCore({
    config: {
      name: 'perm-e2e',
      backend: 'process',
      permissions: { allow: ['Bash(ls:*)'] },
      agents: {
        iris: {
          command: ['node', FAKE_CLAUDE],
          env: { FAKE_CLAUDE_PACE_MS: '0', FAKE_CLAUDE_SCRIPT: script, FAKE_CLAUDE_ARGS_LOG: argsLog, HYPERHIVE_HEARTBEAT_MS: '200' },
        },
      },
    },
  });
  try {
    const stream = await core.connect();
    await stream.request({ cmd: 'agent_stream', name: 'iris', history: 0 });
    const live = collectLines(stream);
    await waitFor(async () => (await core.request<{ agent_statuses: { name: string; running: boolean }[] }>({ cmd: 'agent_status' })).agent_statuses[0]?.running, {
      what: 'iris running',
      timeoutMs: 20_000,
    });
    assert.equal((await core.request({ cmd: 'send', to: 'iris', body: 'run the tests' })).ok, true);
    const waiting = async (command: string) =>
      waitFor(async () => (await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.status === 'pending' && a.summary === command), {
        what: `the approval for ${command}`,
        timeoutMs: 20_000,
      });
    const npmTest = await waiting('npm test');
    assert.equal((await core.request({ cmd: 'approve', id: npmTest.id })).ok, true);
    const rm = await waiting('rm -rf build');
    assert.equal((await core.request({ cmd: 'deny', id: rm.id, note: 'keep the build dir' })).ok, true);

    const results = await waitFor(
      () => {
        const found = live
          .filter((e) => e.kind === 'stream' && (e.data as { type?: string }).type === 'user')
          .flatMap((e) => ((e.data as { message: { content: ToolResult[] } }).message.content ?? []));
        return found.length >= 4 ? found : null;
      },
      { what: 'four tool results', timeoutMs: 20_000 },
    );
    const uses = live
      .filter((e) => e.kind === 'stream' && (e.data as { type?: string }).type === 'assistant')
      .flatMap((e) => ((e.data as { message: { content: { type: string; id: string; input: { command?: string } }[] } }).message.content ?? []))
      .filter((c) => c.type === 'tool_use');
    const resultOf = (command: string) => {
      const use = uses.find((u) => u.input.command === command)!;
      return results.find((r) => r.tool_use_id === use.id)!;
    };
    assert.deepEqual([resultOf('ls -la').content, resultOf('ls -la').is_error], ['total 0', false]);
    assert.deepEqual([resultOf('npm test').content, resultOf('npm test').is_error], ['# pass 42', false]);
    assert.deepEqual([resultOf('rm -rf build').content, resultOf('rm -rf build').is_error], ['keep the build dir', true]);
    assert.ok(results.some((r) => r.content === '# hello' && !r.is_error), 'a tool that needs no permission just runs');
    // Only the two the rules did not decide waited for the operator; the stream says who decided each.
    const tools = (await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.filter((a) => a.kind === 'tool_permission');
    assert.deepEqual(tools.map((a) => [a.summary, a.status]).sort(), [['npm test', 'approved'], ['rm -rf build', 'denied']]);
    await waitFor(() => live.some((e) => e.kind === 'note' && /^allowed by rule #\d+: Bash\(ls:\*\) — Bash: ls -la$/.test(String(e.text))), { what: 'the rule note' });
    await waitFor(() => live.some((e) => e.kind === 'turn_end' && e.ok === true), { what: 'the turn to end', timeoutMs: 20_000 });
    const argv = (JSON.parse(fs.readFileSync(argsLog, 'utf8').split('\n')[0]!) as { argv: string[] }).argv;
    assert.equal(argv[argv.indexOf('--permission-prompt-tool') + 1], 'mcp__hyperhive__permission_prompt');
    stream.close();
  } finally {
    await core.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

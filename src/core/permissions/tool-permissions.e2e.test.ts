/**
 * Tool permissions end to end: the real core, the real `hyperhive-agent mcp`
 * and the real MCP SDK client calling `permission_prompt` as claude does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { attachControl, collectLines, entries, startCore, waitFor, type RunningCore } from '../../testing/hive.js';
import { connectPermissionClient, type PermissionClient } from '../../testing/permission-client.js';
import { httpCall } from '../../testing/http.js';
import { JsonlConnection, type Approval, type PermissionRule } from '../../protocol/index.js';

function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'perms', backend: 'external', agents: { iris: {}, bob: {} }, ...extra };
}

async function pendingTool(core: RunningCore, toolUseId: string): Promise<Approval> {
  return waitFor(
    async () => {
      const res = await core.request<{ approvals: Approval[] }>({ cmd: 'pending' });
      return res.approvals.find((a) => a.kind === 'tool_permission' && a.tool_use_id === toolUseId && a.status === 'pending');
    },
    { what: `a pending tool approval for ${toolUseId}` },
  );
}

async function approval(core: RunningCore, id: number): Promise<Approval> {
  return (await core.request<{ approval: Approval }>({ cmd: 'approval', id })).approval;
}

/** The agent's live stream from now on. */
async function streamOf(core: RunningCore, agent: string): Promise<{ lines: Record<string, unknown>[]; conn: JsonlConnection }> {
  const conn = await core.connect();
  await conn.request({ cmd: 'agent_stream', name: agent, history: 0 });
  return { lines: collectLines(conn), conn };
}

async function withHive(extra: Record<string, unknown>, body: (core: RunningCore, iris: PermissionClient) => Promise<void>): Promise<void> {
  const core = await startCore({ config: config(extra) });
  const iris = await connectPermissionClient(core.agentSocket('iris'), 'iris');
  try {
    await body(core, iris);
  } finally {
    await iris.close();
    await core.cleanup();
  }
}

test('allow: the call waits as a tool approval with its summary, input, diff and a rule proposal; approve lets it run unchanged', async () => {
  await withHive({}, async (core, iris) => {
    const work = path.join(core.stateDir, 'agents', 'iris', 'work');
    fs.mkdirSync(path.join(work, 'src'), { recursive: true });
    fs.writeFileSync(path.join(work, 'src', 'config.ts'), 'export const port = 80;\nexport const host = "a";\n');
    const stream = await streamOf(core, 'iris');
    const feed = await core.connect();
    await feed.request({ cmd: 'subscribe', kinds: ['approval_added'] });
    const feedLines = collectLines(feed);
    const addedEvent = waitFor(() => feedLines.find((e) => e.kind === 'approval_added'), { what: 'approval_added' });
    const input = { file_path: path.join(work, 'src', 'config.ts'), old_string: 'port = 80', new_string: 'port = 8080' };
    const decided = iris.ask('Edit', input, 'toolu_edit1');
    const queued = await pendingTool(core, 'toolu_edit1');
    assert.equal(queued.agent, 'iris');
    assert.equal(queued.tool_name, 'Edit');
    assert.equal(queued.summary, 'src/config.ts');
    assert.equal(queued.rule_proposal, 'Edit(src/**)');
    assert.equal(queued.tool_input, undefined, 'lists carry no inputs');
    const added = await addedEvent;
    assert.equal(added.approval_kind, 'tool_permission');
    assert.equal(added.tool_name, 'Edit');
    assert.equal(added.summary, 'src/config.ts');
    assert.equal(added.rule_proposal, 'Edit(src/**)');
    assert.deepEqual(added.tool_input, input);
    assert.equal(added.tool_input_truncated, false);
    assert.match(String(added.diff), /^--- a\/src\/config\.ts/);
    feed.close();
    const whole = await approval(core, queued.id);
    assert.deepEqual(whole.tool_input, input);
    assert.match(whole.diff!, /^--- a\/src\/config\.ts\n\+\+\+ b\/src\/config\.ts\n@@ -1,2 \+1,2 @@\n-export const port = 80;\n\+export const port = 8080;\n export const host = "a";\n$/);
    const res = await core.request({ cmd: 'approve', id: queued.id, actor: 'alice@box' });
    assert.equal(res.ok, true);
    assert.deepEqual(await decided, { behavior: 'allow', updatedInput: input });
    const after = await approval(core, queued.id);
    assert.equal(after.status, 'approved');
    assert.equal(after.resolved_by, 'alice@box');
    assert.equal(after.applying, undefined);
    await waitFor(() => stream.lines.some((e) => e.kind === 'note' && /^allowed by alice@box \(approval #\d+\) — Edit: src\/config\.ts$/.test(String(e.text))), { what: 'the stream note' });
    assert.ok(stream.lines.some((e) => e.kind === 'note' && String(e.text).startsWith(`waiting for the operator: approval #${queued.id}`)));
    stream.conn.close();
  });
});

test('deny with a note: claude reads the note as the message; a new file diffs as all added', async () => {
  await withHive({}, async (core, iris) => {
    const decided = iris.ask('Write', { file_path: 'notes/todo.md', content: 'one\ntwo\n' }, 'toolu_w1');
    const queued = await pendingTool(core, 'toolu_w1');
    assert.equal((await approval(core, queued.id)).diff, '--- /dev/null\n+++ b/notes/todo.md\n@@ -0,0 +1,2 @@\n+one\n+two\n');
    const res = await core.request({ cmd: 'deny', id: queued.id, note: 'write it under docs/ instead' });
    assert.equal(res.ok, true);
    assert.deepEqual(await decided, { behavior: 'deny', message: 'write it under docs/ instead' });
    assert.equal((await approval(core, queued.id)).status, 'denied');
    // A second decision is refused and changes nothing.
    const again = await core.request({ cmd: 'approve', id: queued.id });
    assert.equal(again.code, 'conflict');
  });
});

test('timeout: nobody decides within permission_timeout_seconds, so the call is denied and the approval fails "timed out"', async () => {
  await withHive({ permission_timeout_seconds: 1 }, async (core, iris) => {
    const started = Date.now();
    const decision = await iris.ask('Bash', { command: 'make deploy', description: 'Deploy' }, 'toolu_t1');
    assert.equal(decision.behavior, 'deny');
    assert.match((decision as { message: string }).message, /Nobody decided within 1 s, so this tool call is denied \(timed out\)/);
    assert.ok(Date.now() - started >= 900, 'not before the timeout');
    const ended = (await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.find((a) => a.tool_use_id === 'toolu_t1')!;
    assert.equal(ended.status, 'failed');
    assert.equal(ended.note, 'timed out');
  });
});

test('cancel_turn, restart and a closed request end waiting calls as cancelled', async () => {
  await withHive({}, async (core, iris) => {
    const harness = await attachControl(core.agentSocket('iris'));
    const controls = collectLines(harness.conn);
    const first = iris.ask('Bash', { command: 'sleep 100' }, 'toolu_c1');
    const queued = await pendingTool(core, 'toolu_c1');
    assert.equal((await core.request({ cmd: 'agent_control', name: 'iris', action: 'cancel_turn', actor: 'alice@box' })).ok, true);
    const decision = await first;
    assert.equal(decision.behavior, 'deny');
    assert.match((decision as { message: string }).message, /not run: the turn was cancelled by alice@box/);
    assert.equal((await approval(core, queued.id)).status, 'cancelled');
    await waitFor(() => controls.some((c) => c.action === 'cancel_turn'), { what: 'the harness told to cancel' });

    // A request whose connection closes (claude exited) is cancelled too.
    const bob = await connectPermissionClient(core.agentSocket('bob'), 'bob');
    void bob.ask('Bash', { command: 'rm -rf build' }, 'toolu_c2').catch(() => undefined);
    const bobs = await pendingTool(core, 'toolu_c2');
    await bob.close();
    await waitFor(async () => (await approval(core, bobs.id)).status === 'cancelled', { what: "bob's approval cancelled" });
    assert.match((await approval(core, bobs.id)).note!, /the request ended before a decision/);

    // The harness going away (stop, restart, a crash) cancels what its agent waits for.
    const third = iris.ask('Bash', { command: 'sleep 200' }, 'toolu_c3');
    const thirds = await pendingTool(core, 'toolu_c3');
    harness.conn.close();
    assert.equal((await third).behavior, 'deny');
    assert.match((await approval(core, thirds.id)).note!, /harness went away/);
  });
});

test('rules: allow without asking, deny winning over allow, scoped rules, hits, and the stream note that audits each', async () => {
  const rules = { permissions: { allow: ['Bash(npm test:*)', 'Bash(git:*)'], deny: ['Bash(git push:*)'] } };
  await withHive(rules, async (core, iris) => {
    const stream = await streamOf(core, 'iris');
    const listed = (await core.request<{ rules: PermissionRule[] }>({ cmd: 'rules' })).rules;
    const npmTest = listed.find((r) => r.rule === 'Bash(npm test:*)')!;
    const gitPush = listed.find((r) => r.rule === 'Bash(git push:*)')!;
    assert.equal(npmTest.source, 'config');

    assert.deepEqual(await iris.ask('Bash', { command: 'npm test -- --watch=false' }), { behavior: 'allow', updatedInput: { command: 'npm test -- --watch=false' } });
    const denied = await iris.ask('Bash', { command: 'git push --force origin main' });
    assert.equal(denied.behavior, 'deny');
    assert.match((denied as { message: string }).message, new RegExp(`rule #${gitPush.id}: Bash\\(git push:\\*\\) denies this call`));
    assert.equal((await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.filter((a) => a.kind === 'tool_permission').length, 0, 'rules queue nothing');

    await waitFor(() => stream.lines.some((e) => e.kind === 'note' && e.text === `allowed by rule #${npmTest.id}: Bash(npm test:*) — Bash: npm test -- --watch=false`), { what: 'the allow note' });
    await waitFor(() => stream.lines.some((e) => e.kind === 'note' && String(e.text).startsWith(`denied by rule #${gitPush.id}: Bash(git push:*)`)), { what: 'the deny note' });
    const after = (await core.request<{ rules: PermissionRule[] }>({ cmd: 'rules' })).rules;
    assert.equal(after.find((r) => r.id === npmTest.id)!.hits, 1);
    assert.equal(after.find((r) => r.id === gitPush.id)!.hits, 1);
    assert.ok(after.find((r) => r.id === npmTest.id)!.last_used_at! > 0);

    // A rule scoped to bob does not apply to iris: her call waits for the operator.
    const added = await core.request<{ id: number; ok: boolean }>({ cmd: 'rule_add', rule: 'Bash(make:*)', effect: 'allow', agent: 'bob', actor: 'alice@box' });
    assert.equal(added.ok, true);
    const waiting = iris.ask('Bash', { command: 'make all' }, 'toolu_scope');
    const queued = await pendingTool(core, 'toolu_scope');
    const bob = await connectPermissionClient(core.agentSocket('bob'), 'bob');
    assert.equal((await bob.ask('Bash', { command: 'make all' })).behavior, 'allow');
    await bob.close();

    // A hive-wide rule added now decides the calls already waiting, in its name.
    const hiveWide = await core.request<{ id: number; settled: number }>({ cmd: 'rule_add', rule: 'Bash(make:*)', effect: 'allow' });
    assert.equal(hiveWide.settled, 1);
    assert.equal((await waiting).behavior, 'allow');
    assert.equal((await approval(core, queued.id)).resolved_by, `rule #${hiveWide.id}`);

    // The hive's own tools never ask.
    assert.equal((await iris.ask('mcp__hyperhive__send', { to: 'bob', body: 'hi' })).behavior, 'allow');
    stream.conn.close();
  });
});

test('rule add, list and remove: config rules stay, runtime rules go, expiring rules expire, bad rules are named', async () => {
  await withHive({ permissions: { allow: ['Read'] } }, async (core) => {
    const config = (await core.request<{ rules: PermissionRule[] }>({ cmd: 'rules' })).rules[0]!;
    const refused = await core.request({ cmd: 'rule_rm', id: config.id });
    assert.equal(refused.code, 'conflict');
    assert.match(String(refused.error), /comes from the hive config \(permissions\.allow\); remove it there/);

    const bad = await core.request({ cmd: 'rule_add', rule: 'Bash(npm test', effect: 'allow' });
    assert.equal(bad.code, 'bad_request');
    assert.equal(bad.error, 'rule "Bash(npm test" does not parse: it opens "(" but does not end with ")"');
    const unknownAgent = await core.request({ cmd: 'rule_add', rule: 'Bash', effect: 'deny', agent: 'nobody' });
    assert.equal(unknownAgent.code, 'not_found');

    const dashboard = await core.connect();
    await dashboard.request({ cmd: 'subscribe', kinds: ['rule_added', 'rule_removed'] });
    const events = collectLines(dashboard);
    const added = await core.request<{ id: number }>({ cmd: 'rule_add', rule: 'WebFetch(domain:example.com)', effect: 'allow', expires_in_seconds: 1 });
    await waitFor(() => events.some((e) => e.kind === 'rule_removed' && e.reason === 'expired' && (e.rule as PermissionRule).id === added.id), { what: 'the rule to expire', timeoutMs: 5000 });
    const kept = await core.request<{ id: number }>({ cmd: 'rule_add', rule: 'Edit(docs/**)', effect: 'allow' });
    assert.equal((await core.request({ cmd: 'rule_rm', id: kept.id, actor: 'alice@box' })).ok, true);
    assert.equal((await core.request({ cmd: 'rule_rm', id: kept.id })).code, 'not_found');
    assert.deepEqual((await core.request<{ rules: PermissionRule[] }>({ cmd: 'rules' })).rules.map((r) => r.id), [config.id]);
    assert.ok(events.some((e) => e.kind === 'rule_added' && (e.rule as PermissionRule).rule === 'Edit(docs/**)'));
    dashboard.close();

    const ro = await JsonlConnection.connect(core.readOnlySocket);
    assert.equal((await ro.request({ cmd: 'rules' })).ok, true);
    assert.equal((await ro.request({ cmd: 'rule_add', rule: 'Bash', effect: 'allow' })).code, 'forbidden');
    ro.close();
  });
});

test('bad input: malformed permission requests and an unknown tool_use_id change nothing', async () => {
  await withHive({}, async (core) => {
    const malformed: object[] = [
      { cmd: 'permission' },
      { cmd: 'permission', tool_name: 'Bash' },
      { cmd: 'permission', tool_name: '', input: {} },
      { cmd: 'permission', tool_name: 'Bash', input: 'ls' },
      { cmd: 'permission', tool_name: 'Bash', input: [] },
      { cmd: 'permission', tool_name: 'x'.repeat(201), input: {} },
      { cmd: 'permission', tool_name: 'Bash', input: {}, tool_use_id: 7 },
    ];
    for (const request of malformed) {
      const res = await core.agentRequest('iris', request);
      assert.equal(res.code, 'bad_request', JSON.stringify(request));
      assert.match(String(res.error), /^bad permission request: field "\w*"|^bad permission request: /);
    }
    for (const cmd of ['approve', 'deny']) {
      const unknown = await core.request({ cmd, tool_use_id: 'toolu_nope' });
      assert.equal(unknown.code, 'not_found');
      assert.equal(unknown.error, 'no tool approval is waiting for tool_use_id "toolu_nope"');
      const both = await core.request({ cmd, id: 1, tool_use_id: 'toolu_nope' });
      assert.equal(both.code, 'bad_request');
      assert.match(String(both.error), /name the approval by "id" or by "tool_use_id"/);
    }
    assert.equal((await core.request<{ approvals: Approval[] }>({ cmd: 'pending' })).approvals.length, 0);
  });
});

test('approve by tool_use_id; exactly one of 20 concurrent decisions wins and the call hears once', async () => {
  await withHive({}, async (core, iris) => {
    const first = iris.ask('Bash', { command: 'npm ci' }, 'toolu_by_id');
    await pendingTool(core, 'toolu_by_id');
    assert.equal((await core.request({ cmd: 'approve', tool_use_id: 'toolu_by_id' })).ok, true);
    assert.equal((await first).behavior, 'allow');

    const dashboard = await core.connect();
    await dashboard.request({ cmd: 'subscribe', kinds: ['approval_resolved'] });
    const resolved = collectLines(dashboard);
    const decided = iris.ask('Bash', { command: 'terraform apply' }, 'toolu_race');
    const queued = await pendingTool(core, 'toolu_race');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => core.request(i % 2 ? { cmd: 'approve', id: queued.id, actor: `op${i}` } : { cmd: 'deny', id: queued.id, note: `no ${i}`, actor: `op${i}` })),
    );
    assert.equal(answers.filter((a) => a.ok === true).length, 1);
    assert.ok(answers.filter((a) => a.ok !== true).every((a) => a.code === 'conflict'));
    const decision = await decided;
    const final = await approval(core, queued.id);
    assert.equal(decision.behavior, final.status === 'approved' ? 'allow' : 'deny');
    await waitFor(() => resolved.some((e) => e.id === queued.id), { what: 'approval_resolved' });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(resolved.filter((e) => e.id === queued.id).length, 1, 'one approval_resolved');
    dashboard.close();
  });
});

test('a core restart cancels the tool approvals whose requests ended with it; a rule that does not parse stops the core with its name', async () => {
  const core = await startCore({ config: config() });
  const iris = await connectPermissionClient(core.agentSocket('iris'), 'iris');
  try {
    void iris.ask('Bash', { command: 'deploy' }, 'toolu_restart').catch(() => undefined);
    const queued = await pendingTool(core, 'toolu_restart');
    await core.stop();
    const again = await startCore({ dir: core.dir });
    try {
      const after = await approval(again, queued.id);
      assert.equal(after.status, 'cancelled');
      assert.match(after.note!, /the core restarted/);
    } finally {
      await again.stop();
    }
  } finally {
    await iris.close().catch(() => undefined);
    fs.rmSync(core.dir, { recursive: true, force: true });
  }
  const dir = fs.mkdtempSync(path.join(path.dirname(core.dir), 'hh-'));
  try {
    const configPath = path.join(dir, 'hive.json');
    fs.writeFileSync(configPath, JSON.stringify(config({ agents: { iris: { permissions: { deny: ['Bash(rm:* -rf)'] } } } })));
    const run = spawnSync(process.execPath, [entries.core, '--config', configPath, '--state-dir', path.join(dir, 's'), '--runtime-dir', path.join(dir, 'r'), '--http', 'off'], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /agents\.iris\.permissions\.deny\.0.*rule "Bash\(rm:\* -rf\)" does not parse: ":\*" works only at the end/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('HTTP: a token-authorised approve or deny decides a tool call through the same core path', async () => {
  const dir = fs.mkdtempSync('/tmp/hh-perm-http-');
  const token = 'c0ffee00c0ffee00c0ffee00c0ffee00';
  fs.writeFileSync(path.join(dir, 'token'), `${token}\n`, { mode: 0o600 });
  const core = await startCore({ http: '127.0.0.1:0', args: ['--http-token-file', path.join(dir, 'token')], config: config() });
  const iris = await connectPermissionClient(core.agentSocket('iris'), 'iris');
  try {
    const post = (p: string, body: unknown) =>
      httpCall(core.httpUrl!, 'POST', p, { headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const allowed = iris.ask('WebFetch', { url: 'https://docs.example.com/api', prompt: 'summarise' }, 'toolu_http1');
    const first = await pendingTool(core, 'toolu_http1');
    assert.equal((await post(`/api/approvals/${first.id}/approve`, {})).status, 200);
    assert.equal((await allowed).behavior, 'allow');
    const denied = iris.ask('WebFetch', { url: 'https://evil.example.net/', prompt: 'x' }, 'toolu_http2');
    const second = await pendingTool(core, 'toolu_http2');
    assert.equal((await post(`/api/approvals/${second.id}/deny`, { note: 'not that site' })).status, 200);
    assert.deepEqual(await denied, { behavior: 'deny', message: 'not that site' });
    const again = await post(`/api/approvals/${second.id}/approve`, {});
    assert.equal(again.json?.code, 'conflict');
  } finally {
    await iris.close();
    await core.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a Write whose input nearly fills a line: the approval answer leaves the input out (saying so) and still pages the whole diff under the line cap', async () => {
  await withHive({}, async (core, iris) => {
    const work = path.join(core.stateDir, 'agents', 'iris', 'work');
    fs.mkdirSync(work, { recursive: true });
    // About 1,000,000 bytes of content: the request still fits the agent socket's 1 MiB line, the answer with it and a page could not.
    const rows = 16_000;
    const content = Array.from({ length: rows }, (_, i) => `row ${String(i + 1).padStart(6, '0')} ${'y'.repeat(50)}`).join('\n') + '\n';
    const decided = iris.ask('Write', { file_path: path.join(work, 'near-cap.txt'), content }, 'toolu_nearcap');
    const queued = await pendingTool(core, 'toolu_nearcap');
    const pages: Approval[] = [];
    for (let from: number | undefined = 0; from !== undefined; ) {
      // The answer's raw line, to hold its size to the cap.
      const line = await new Promise<string>((resolve, reject) => {
        const socket = net.createConnection(core.hostSocket, () => socket.write(`${JSON.stringify({ cmd: 'approval', id: queued.id, diff_from: from })}\n`));
        let text = '';
        socket.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('\n')) {
            socket.destroy();
            resolve(text.slice(0, text.indexOf('\n')));
          }
        });
        socket.on('error', reject);
      });
      assert.ok(Buffer.byteLength(line) <= 1024 * 1024, `the answer is within the line cap (${Buffer.byteLength(line)} bytes)`);
      const res = JSON.parse(line) as { ok: boolean; approval?: Approval & { tool_input_truncated?: boolean } };
      assert.equal(res.ok, true, line.slice(0, 300));
      const page = res.approval!;
      assert.equal(page.tool_input_truncated, true, 'the answer says the input was left out');
      assert.equal(page.tool_input, undefined, 'the input itself is not in it');
      pages.push(page);
      from = page.diff_next;
    }
    const whole = pages.map((p) => p.diff).join('');
    assert.ok(whole.endsWith(`+row ${String(rows).padStart(6, '0')} ${'y'.repeat(50)}\n`), 'the last page ends with the last line');
    assert.equal(whole.split('\n').length - 1, pages[0]!.diff_total_lines);
    assert.equal((await core.request({ cmd: 'deny', id: queued.id, note: 'too big' })).ok, true);
    assert.equal((await decided).behavior, 'deny');
  });
});

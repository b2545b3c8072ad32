/**
 * End to end: an agent whose claude is logged out (fake-claude's logged-out
 * mode, the real CLI's words) is paused as needs_login without losing its
 * messages or burning turns; `login` runs claude's login in a pseudo-terminal
 * the core owns, shows the address and prompt, takes the pasted code, and the
 * held messages then run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectLines, repoRoot, startCore, waitFor, type RunningCore } from '../../testing/hive.js';
import type { AgentStatusRow, LoginSession, TurnStat } from '../../protocol/index.js';

const FAKE_CLAUDE = path.join(repoRoot, 'fixtures', 'fake-claude.mjs');
const CODE = 'fake-code#0000';

async function row(core: RunningCore, name = 'iris'): Promise<AgentStatusRow | undefined> {
  const res = await core.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' });
  return res.agent_statuses.find((r) => r.name === name);
}

async function stats(core: RunningCore): Promise<TurnStat[]> {
  return (await core.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent: 'iris' })).turn_stats;
}

test('a logged-out agent waits as needs_login with its messages; L\'s login takes the code and the messages run', async () => {
  const argsLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hh-runs-')), 'runs.jsonl');
  const core = await startCore({
    config: {
      backend: 'process',
      agents: {
        iris: {
          command: ['node', FAKE_CLAUDE],
          env: { FAKE_CLAUDE_LOGIN: 'required', FAKE_CLAUDE_PACE_MS: '0', FAKE_CLAUDE_ARGS_LOG: argsLog, HYPERHIVE_HEARTBEAT_MS: '200' },
        },
      },
    },
  });
  try {
    const claudeDir = path.join(core.stateDir, 'agents', 'iris', 'claude');
    const dashboard = await core.connect();
    await dashboard.request({ cmd: 'subscribe', kinds: ['login', 'agent_status'] });
    const events = collectLines(dashboard);

    // The start-up turn finds claude logged out: the agent is held, not failed, and the message stays.
    const held = await waitFor(async () => ((await row(core))?.needs_login ? row(core) : undefined), { what: 'needs_login on the row', timeoutMs: 20_000 });
    assert.equal(held!.paused, true);
    assert.equal(held!.pause_reason?.kind, 'login');
    assert.equal(held!.failed, false);
    const first = (await stats(core))[0]!;
    assert.equal(first.result_kind, 'needs_login');
    assert.match(first.note ?? '', /Not logged in · Please run \/login/);
    const sent = await core.request<{ id: number }>({ cmd: 'send', to: 'iris', body: 'please summarise the logs' });
    assert.ok(sent.id > 0);
    assert.equal((await row(core))?.unread, 2, 'the start-up message (unacked) and the new one wait');

    // The login: the address and the prompt reach the console through the dashboard.
    const started = await core.request<{ ok: boolean; login: LoginSession }>({ cmd: 'login', name: 'iris', actor: 'alice@box' });
    assert.equal(started.ok, true);
    assert.equal(started.login.agent, 'iris');
    const waiting = await waitFor(
      () => events.map((e) => e.session as LoginSession | undefined).find((s) => s?.state === 'waiting_for_code' && s.url && s.prompt),
      { what: 'the login waiting for its code, with its address and prompt' },
    );
    assert.match(waiting.url!, /^https:\/\/claude\.ai\/oauth\/authorize\?code=true&client_id=fake-claude&state=\w+$/);
    assert.equal(waiting.prompt, 'Paste code here if prompted >');
    assert.ok(waiting.output.some((l) => l.includes("If the browser didn't open, visit:")));
    const again = await core.request<{ login: LoginSession }>({ cmd: 'login', name: 'iris' });
    assert.equal(again.login.started_at, started.login.started_at, 'a second L shows the login already running');

    // A code claude does not take: it asks again and says why.
    assert.equal((await core.request({ cmd: 'login_code', name: 'iris', code: 'half-a-code' })).ok, true);
    const asked = await waitFor(
      () => events.map((e) => e.session as LoginSession | undefined).find((s) => s?.state === 'waiting_for_code' && s.message?.includes("doesn't look like the full code")),
      { what: 'claude asking for the code again' },
    );
    assert.equal(asked.prompt, 'Paste code here if prompted >');
    const refused = await core.request<{ ok: boolean; code: string; error: string }>({ cmd: 'login_code', name: 'iris', code: 'two\nlines' });
    assert.deepEqual([refused.ok, refused.code], [false, 'bad_request']);

    // The right code: logged in, the row clears, and the held messages run — the start-up one first.
    assert.equal((await core.request({ cmd: 'login_code', name: 'iris', code: CODE, actor: 'alice@box' })).ok, true);
    const done = await waitFor(() => events.map((e) => e.session as LoginSession | undefined).find((s) => s?.state === 'succeeded'), { what: 'the login to succeed' });
    assert.equal(done.message, 'Login successful.');
    assert.ok(fs.existsSync(path.join(claudeDir, '.credentials.json')), 'the credentials land in iris\'s own claude dir');
    await waitFor(async () => (await row(core))?.needs_login === false, { what: 'needs_login cleared' });
    const ran = await waitFor(async () => {
      const ok = (await stats(core)).filter((s) => s.result_kind === 'ok');
      return ok.length >= 2 ? ok : undefined;
    }, { what: 'both held messages to run', timeoutMs: 20_000 });
    assert.deepEqual(ran.map((s) => s.wake_from).reverse(), ['system', 'operator']);
    await waitFor(async () => (await row(core))?.unread === 0, { what: 'both messages acked' });

    // claude ran once while logged out (no burnt turns, no restarts), each run with iris's own config dir.
    const runs = fs.readFileSync(argsLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { stdin: string; claude_config_dir: string });
    assert.equal(runs.length, 3, 'one logged-out run, then the two messages');
    assert.ok(runs.every((r) => r.claude_config_dir === claudeDir));
    assert.match(runs[2]!.stdin, /please summarise the logs/);
    // The pasted code is nowhere: not in an event, not in the audit, not in the core's log.
    const seen = JSON.stringify(events);
    assert.ok(!seen.includes(CODE) && !seen.includes('half-a-code'), 'no event carries a pasted code');
    assert.ok(events.some((e) => (e.session as LoginSession | undefined)?.output.some((l) => l.includes('[code]'))), 'its echo is blotted out');
    assert.ok(!core.stderr().includes(CODE));
    dashboard.close();
  } finally {
    await core.cleanup();
    fs.rmSync(path.dirname(argsLog), { recursive: true, force: true });
  }
});

test('a login is refused for an unknown agent and under the external backend; cancel ends a running one', async () => {
  const external = await startCore({ config: { agents: { iris: {} } } });
  try {
    const ghost = await external.request<{ ok: boolean; code: string }>({ cmd: 'login', name: 'ghost' });
    assert.deepEqual([ghost.ok, ghost.code], [false, 'not_found']);
    const elsewhere = await external.request<{ ok: boolean; code: string; error: string }>({ cmd: 'login', name: 'iris' });
    assert.deepEqual([elsewhere.ok, elsewhere.code], [false, 'unavailable']);
    assert.match(elsewhere.error, /external backend runs iris elsewhere/);
    const none = await external.request<{ ok: boolean; code: string }>({ cmd: 'login_code', name: 'iris', code: CODE });
    assert.deepEqual([none.ok, none.code], [false, 'conflict']);
    const ro = await external.connect(external.readOnlySocket);
    const forbidden = await ro.request<{ ok: boolean; code: string }>({ cmd: 'login', name: 'iris' });
    assert.deepEqual([forbidden.ok, forbidden.code], [false, 'forbidden']);
    assert.deepEqual(await ro.request({ cmd: 'login_status', name: 'iris' }), { version: 1, ok: true, login: null });
    ro.close();
  } finally {
    await external.cleanup();
  }
  const core = await startCore({ config: { backend: 'process', agents: { iris: { command: ['node', FAKE_CLAUDE], env: { FAKE_CLAUDE_PACE_MS: '0' } } } } });
  try {
    await core.request({ cmd: 'login', name: 'iris' });
    await waitFor(async () => (await core.request<{ login: LoginSession }>({ cmd: 'login_status', name: 'iris' })).login.state === 'waiting_for_code', { what: 'the login to wait' });
    assert.equal((await core.request({ cmd: 'login_cancel', name: 'iris' })).ok, true);
    const ended = await waitFor(async () => {
      const s = (await core.request<{ login: LoginSession }>({ cmd: 'login_status', name: 'iris' })).login;
      return s.state === 'cancelled' ? s : undefined;
    }, { what: 'the login to end' });
    assert.equal(ended.message, 'cancelled by the operator');
    assert.ok(ended.ended_at! >= ended.started_at);
  } finally {
    await core.cleanup();
  }
});

/**
 * End to end: claude reports the account's usage limit (fake-claude replaying
 * the limit transcript). The turn is usage_limited, its message is not
 * consumed, every agent of the account pauses with the reset time; an
 * opted-in hive resumes them after the reset and the held message runs, else
 * the operator's resume does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCore, waitFor, type RunningCore } from '../testing/hive.js';
import type { AgentStatusRow, TurnStat } from '../protocol/index.js';
import { FAKE_CLAUDE } from './test-paths.js';

const fast = { FAKE_CLAUDE_PACE_MS: '0', HYPERHIVE_HEARTBEAT_MS: '200' };

async function rows(core: RunningCore): Promise<Record<string, AgentStatusRow>> {
  const res = await core.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' });
  return Object.fromEntries(res.agent_statuses.map((r) => [r.name, r]));
}

async function stats(core: RunningCore, agent: string): Promise<TurnStat[]> {
  return (await core.request<{ turn_stats: TurnStat[] }>({ cmd: 'turn_stats', agent })).turn_stats;
}

function limitedHive(limitFile: string, extra: Record<string, unknown>) {
  return {
    backend: 'process',
    accounts: { solo: ['lone'] },
    ...extra,
    agents: {
      iris: { command: ['node', FAKE_CLAUDE], env: { ...fast, FAKE_CLAUDE_LIMIT: limitFile } },
      damo: { command: ['node', FAKE_CLAUDE], env: fast },
      lone: { command: ['node', FAKE_CLAUDE], env: fast },
    },
  };
}

test('an opted-in hive resumes the account\'s agents after the reset, and the held message runs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-limit-'));
  const limitFile = path.join(dir, 'limit');
  const resetsAt = Math.floor(Date.now() / 1000) + 3;
  fs.writeFileSync(limitFile, String(resetsAt));
  const core = await startCore({ config: limitedHive(limitFile, { auto_resume_after_limit: true }) });
  try {
    const paused = await waitFor(async () => {
      const r = await rows(core);
      return r.iris?.pause_reason?.kind === 'usage_limit' && r.damo?.pause_reason?.kind === 'usage_limit' ? r : undefined;
    }, { what: 'iris and damo paused for the usage limit', timeoutMs: 20_000 });
    assert.equal(paused.iris!.pause_reason!.resets_at, resetsAt);
    // 5 s after the reset, or after the pause when the reset had passed by then.
    assert.equal(paused.iris!.pause_reason!.resumes_at, Math.max(resetsAt, paused.iris!.pause_reason!.since) + 5);
    assert.equal(paused.iris!.pause_reason!.account, 'default');
    assert.match(paused.iris!.pause_reason!.text, /usage limit of claude account "default" reached \(You've hit your limit · resets \d+(:\d\d)?[ap]m \(UTC\)\)/);
    assert.equal(paused.lone!.paused, false, 'another account works on');
    const limited = (await stats(core, 'iris'))[0]!;
    assert.deepEqual([limited.result_kind, limited.limit_resets_at], ['usage_limited', resetsAt]);

    const sent = await core.request<{ id: number }>({ cmd: 'send', to: 'iris', body: 'after the limit, please' });
    assert.ok(sent.id > 0);
    fs.rmSync(limitFile);
    // A few seconds after the reset the core resumes both, without anyone asking.
    await waitFor(async () => {
      const r = await rows(core);
      return !r.iris!.paused && !r.damo!.paused;
    }, { what: 'the agents resumed after the reset', timeoutMs: 30_000 });
    const ok = await waitFor(async () => {
      const done = (await stats(core, 'iris')).filter((s) => s.result_kind === 'ok');
      return done.length >= 2 ? done : undefined;
    }, { what: 'the held message and the new one to run', timeoutMs: 20_000 });
    assert.deepEqual(ok.map((s) => s.wake_from).reverse(), ['system', 'operator'], 'the message that hit the limit runs first');
    await waitFor(async () => (await rows(core)).iris!.unread === 0, { what: 'both acked' });
    const audit = (await core.request<{ events: { kind: string; body?: string }[] }>({ cmd: 'agent_events', name: 'iris', limit: 1000 })).events;
    assert.equal(audit.filter((e) => e.kind === 'turn_start' && e.body?.includes('"restarted"')).length, 2, 'the start-up message was handed out again, not lost');
  } finally {
    await core.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without auto_resume_after_limit the agents wait for the operator\'s resume', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-limit-'));
  const limitFile = path.join(dir, 'limit');
  fs.writeFileSync(limitFile, String(Math.floor(Date.now() / 1000) + 3600));
  const core = await startCore({ config: limitedHive(limitFile, {}) });
  try {
    const paused = await waitFor(async () => {
      const r = await rows(core);
      return r.iris?.pause_reason?.kind === 'usage_limit' ? r.iris : undefined;
    }, { what: 'iris paused for the usage limit', timeoutMs: 20_000 });
    assert.equal(paused.pause_reason!.resumes_at, undefined, 'no resume of its own');
    fs.rmSync(limitFile);
    assert.equal((await core.request({ cmd: 'set_paused', name: 'iris', paused: false, actor: 'alice@box' })).ok, true);
    await waitFor(async () => (await stats(core, 'iris')).some((s) => s.result_kind === 'ok' && s.wake_from === 'system'), { what: 'the held message to run', timeoutMs: 20_000 });
    await waitFor(async () => (await rows(core)).iris!.unread === 0, { what: 'it was acked' });
  } finally {
    await core.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Test helpers for config changes: a process-backend hive of fake-claude
 * agents with their config repos, and commits made the way a manager makes
 * them (real git in the agent's proposed repo).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { AgentStatusRow, Approval } from '../protocol/index.js';
import { harnessPids, repoRoot, startCore, waitFor, type RunningCore, type StartCoreOptions } from './hive.js';

/** fake-claude as an agent command, replaying at full speed. */
export const FAKE_AGENT = { command: ['node', path.join(repoRoot, 'fixtures', 'fake-claude.mjs')], env: { FAKE_CLAUDE_PACE_MS: '0' } };

/** Git in `repo` as a manager runs it (its own identity, no user config). */
export function gitIn(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'manager', GIT_AUTHOR_EMAIL: 'm@x', GIT_COMMITTER_NAME: 'manager', GIT_COMMITTER_EMAIL: 'm@x' },
  }).trim();
}

export function proposedRepo(core: RunningCore, agent: string): string {
  return path.join(core.stateDir, 'agents', agent, 'config');
}

export function appliedRepo(core: RunningCore, agent: string): string {
  return path.join(core.stateDir, 'applied', agent);
}

/** What a commit changes: fields of agent.json (null removes one), CLAUDE.md's new text, other files. */
export interface Change {
  agentJson?: Record<string, unknown>;
  /** agent.json's whole new text (for broken ones). */
  agentJsonText?: string;
  claudeMd?: string;
  files?: Record<string, string>;
}

/** Commit `change` to `agent`'s proposed repo; returns the commit id. */
export function commitChange(core: RunningCore, agent: string, change: Change, message = 'a change'): string {
  const repo = proposedRepo(core, agent);
  const file = path.join(repo, 'agent.json');
  if (change.agentJson) {
    const current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(change.agentJson)) {
      if (value === null) delete current[key];
      else current[key] = value;
    }
    fs.writeFileSync(file, JSON.stringify(current, null, 2) + '\n');
  }
  if (change.agentJsonText !== undefined) fs.writeFileSync(file, change.agentJsonText);
  if (change.claudeMd !== undefined) fs.writeFileSync(path.join(repo, 'CLAUDE.md'), change.claudeMd);
  for (const [name, text] of Object.entries(change.files ?? {})) fs.writeFileSync(path.join(repo, name), text);
  gitIn(repo, 'add', '--all');
  gitIn(repo, 'commit', '--quiet', '-m', message);
  return gitIn(repo, 'rev-parse', 'HEAD');
}

/** The roster rows by name. */
export async function rows(core: RunningCore): Promise<Record<string, AgentStatusRow>> {
  const res = await core.request<{ agent_statuses: AgentStatusRow[] }>({ cmd: 'agent_status' });
  return Object.fromEntries(res.agent_statuses.map((r) => [r.name, r]));
}

export async function approval(core: RunningCore, id: number, extra: object = {}): Promise<Approval> {
  return (await core.request<{ approval: Approval }>({ cmd: 'approval', id, ...extra })).approval;
}

/** The argv of `agent`'s one running harness. */
export function harnessArgv(core: RunningCore, agent: string): string[] {
  const pids = harnessPids(core.runtimeDir).get(agent) ?? [];
  if (pids.length !== 1) throw new Error(`${agent} has ${pids.length} harnesses`);
  return fs.readFileSync(`/proc/${pids[0]}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/** The value after `flag` in `argv`. */
export function flagValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i < 0 ? undefined : argv[i + 1];
}

/**
 * A process-backend hive (manager, iris, damocles on fake-claude) with every
 * agent running on its deployed commit; the manager's own harness is
 * stopped, so the test speaks for the manager on its socket and reads its inbox.
 */
export async function startConfigHive(options: StartCoreOptions = {}): Promise<RunningCore> {
  const core = await startCore({
    config: {
      backend: 'process',
      manager: 'manager',
      agents: {
        manager: FAKE_AGENT,
        iris: { ...FAKE_AGENT, model: 'haiku', parent: 'manager' },
        damocles: { ...FAKE_AGENT, model: 'haiku', parent: 'manager' },
      },
    },
    ...options,
  });
  try {
    await waitFor(async () => Object.values(await rows(core)).every((r) => r.running && r.deployed_sha), { timeoutMs: 30_000, what: 'every agent running on its deployed commit' });
    await core.request({ cmd: 'stop', scope: { agent_names: ['manager'] }, graceful: false });
    await waitFor(async () => !(await rows(core)).manager?.running, { what: 'the manager stopped' });
  } catch (err) {
    await core.cleanup();
    throw err;
  }
  return core;
}

/** The helper events in the manager's inbox (taken from it). */
export async function managerNews(core: RunningCore): Promise<Record<string, unknown>[]> {
  const res = await core.agentRequest<{ messages: { from: string; body: string }[] }>('manager', { cmd: 'recv', wait_ms: 0, max: 1000 });
  return res.messages.filter((m) => m.from === 'system').map((m) => JSON.parse(m.body) as Record<string, unknown>);
}

/**
 * Spawning an agent: a request queues a `spawn` approval showing the
 * `agent.json` and `CLAUDE.md` the agent would start with; approving it
 * creates the agent from them (its row, dirs, config repos, socket) and
 * starts it, or leaves nothing when any step fails or a crash cuts it short.
 * A spawn of a kept agent (destroyed without purge) is a revival: it comes
 * back from its kept state and its last applied commit.
 */
import fs from 'node:fs';
import { agentNameProblem, type AgentConfig, type Approval, type HiveConfig } from '../protocol/index.js';
import type { LifecycleBackend } from './lifecycle/index.js';
import type { AgentSocketRegistry, UnitOfWork } from './ports.js';
import type { AgentRegistry } from './agent-registry.js';
import type { StatusBoard } from './status-board.js';
import type { Approvals } from './approvals.js';
import type { AgentLifecycle } from './agent-lifecycle.js';
import { AGENT_JSON, CLAUDE_MD, defaultClaudeMd, newFilesDiff, parseAgentJson, renderAgentJson, type AgentRepos, type ConfigFiles, type ConfigRepos } from './config-repos/index.js';
import { refuse, type Refusal } from './refusal.js';
import { crashPoint } from './crash-points.js';
import { ensurePrivateDir } from './disk/index.js';

export interface SpawnParts {
  work: UnitOfWork;
  config: HiveConfig;
  agents: AgentRegistry;
  status: StatusBoard;
  approvals: Approvals;
  lifecycle: AgentLifecycle;
  backend: LifecycleBackend;
  sockets: AgentSocketRegistry;
  repos: ConfigRepos;
  agentRepos: AgentRepos;
}

/** What a spawn approval keeps for its applier. */
interface SpawnPayload {
  agent_json?: string;
  claude_md?: string;
  revival?: boolean;
}

export class Spawns {
  constructor(private readonly parts: SpawnParts) {
    parts.approvals.onApprove('spawn', { apply: (approval) => this.apply(approval), recover: (approval) => this.recover(approval) });
  }

  /** Queue a spawn approval for a new agent `name` (a revival when `name` is kept). */
  request(name: string, description: string | undefined, requestedBy: string): number | Refusal {
    const { agents, approvals, config } = this.parts;
    const problem = this.requestProblem(name);
    if (problem) return problem;
    if (agents.kept().some((k) => k.name === name)) return this.revive(name, description, requestedBy);
    const template = config.agent_template;
    const files = { agent_json: renderAgentJson(template), claude_md: defaultClaudeMd(name, config.name, template.parent) };
    return approvals.add({ agent: name, kind: 'spawn', description, requested_by: requestedBy, diff: previewDiff(files), payload: files });
  }

  /** Queue a spawn approval that brings kept agent `name` back from its state and last applied commit. */
  revive(name: string, description: string | undefined, requestedBy: string): number | Refusal {
    const { agents, approvals, repos } = this.parts;
    const problem = this.requestProblem(name);
    if (problem) return problem;
    const kept = agents.kept().find((k) => k.name === name);
    if (!kept) return refuse('not_found', `no kept agent named ${name} (hyperhive kept lists them)`);
    const config = agents.storedConfig(name) ?? this.parts.config.agent_template;
    let files: { agent_json: string; claude_md: string | undefined };
    try {
      files = { agent_json: repos.deployedFile(name, AGENT_JSON) ?? renderAgentJson(config), claude_md: repos.deployedFile(name, CLAUDE_MD) };
    } catch (err) {
      return refuse('unavailable', `cannot read ${name}'s kept config: ${(err as Error).message}`);
    }
    const destroyed = new Date(kept.destroyedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return approvals.add({
      agent: name,
      kind: 'spawn',
      description: description ?? `revive ${name} (destroyed ${destroyed}) from its kept state`,
      requested_by: requestedBy,
      ...(kept.deployedSha ? { fetched_sha: kept.deployedSha } : {}),
      diff: previewDiff(files),
      payload: { revival: true },
    });
  }

  private requestProblem(name: string): Refusal | null {
    const nameProblem = agentNameProblem(name);
    if (nameProblem) return refuse('bad_request', nameProblem);
    if (this.parts.agents.agent(name)) return refuse('conflict', `an agent named ${name} already exists`);
    const pending = this.parts.approvals.pendingSpawn(name);
    if (pending) return refuse('conflict', `a spawn of ${name} is already waiting for approval (#${pending.id})`);
    return null;
  }

  /** The config and files a spawn creates its agent from: what its approval showed. */
  private startingPoint(approval: Approval): { config: AgentConfig; files: ConfigFiles | null; revival: boolean } | string {
    const { agents, approvals, config: hive } = this.parts;
    const payload = approvals.payload(approval.id) as SpawnPayload;
    if (payload.revival) return { config: agents.storedConfig(approval.agent) ?? hive.agent_template, files: null, revival: true };
    if (payload.agent_json === undefined) return { config: hive.agent_template, files: null, revival: false };
    const parsed = parseAgentJson(payload.agent_json, { name: approval.agent, agents: agents.agentNames() });
    if (!parsed.ok) return parsed.error;
    return { config: parsed.config, files: { agentJson: payload.agent_json, claudeMd: payload.claude_md ?? null }, revival: false };
  }

  /**
   * The `spawn` applier: the agent's row first (so a crash after it leaves
   * an agent the next core completes), then its dirs, config repos, socket
   * and backend state. A failure there removes all of it again. An agent
   * created whose start fails stays (shown failed, to be started once
   * fixed); the approval ends `failed` saying so.
   */
  private async apply(approval: Approval): Promise<string | null> {
    const { work, agents, status, lifecycle, backend, sockets, repos, agentRepos } = this.parts;
    const name = approval.agent;
    if (agents.agent(name)) return `an agent named ${name} already exists`;
    const start = this.startingPoint(approval);
    if (typeof start === 'string') return `${start}; ${name} was not created`;
    return lifecycle.withTransient(name, 'spawning', async () => {
      // State kept by an earlier agent of this name (destroyed without purge) is reused, and never removed on failure.
      const keptState = fs.existsSync(agents.agentStateDir(name));
      work.commit(() => {
        agents.addSpawned(name, start.config, start.revival);
        status.resetRuntime(name);
      });
      crashPoint('spawn-created');
      const gitReady = (await repos.gitProblem()) === null;
      try {
        ensurePrivateDir(agents.agentStateDir(name), 0o750);
        if (gitReady) {
          if (start.revival && agents.agent(name)?.deployedSha) await agentRepos.prepare(name);
          else await agentRepos.create(name, start.files ?? agentRepos.seedFiles(name, start.config), start.config, `${name}: config of the spawned agent (approval #${approval.id})`);
        }
        await sockets.open(name);
        await backend.create(name);
      } catch (err) {
        await this.undo(name, !keptState, !start.revival);
        return `could not create ${name}: ${(err as Error).message}`;
      }
      status.refresh(name);
      try {
        await backend.start(name);
      } catch (err) {
        // Under the external backend nothing can be started here; the agent exists and waits for its harness.
        if (backend.kind !== 'external') return `created ${name} but could not start it: ${(err as Error).message}`;
      }
      return null;
    });
  }

  /**
   * The core stopped mid-spawn. The row is written first, so an agent with a
   * row is complete as far as the store goes (the starting core makes its
   * repos, opens its socket and starts it like any other); without a row
   * nothing was created.
   */
  private async recover(approval: Approval): Promise<string | null> {
    const name = approval.agent;
    const record = this.parts.agents.agent(name);
    if (record?.source === 'spawn') return null;
    if (record) return `${name} already exists (from the config file); this spawn was not needed`;
    return `the core stopped before ${name} was created; nothing was left behind — request the spawn again`;
  }

  /** Remove a half-created agent: its socket, (when this spawn made them) its state and applied repo, then its row. */
  private async undo(name: string, removeState: boolean, removeApplied: boolean): Promise<void> {
    const { agents, lifecycle, sockets, repos } = this.parts;
    await sockets.close(name).catch(() => undefined);
    if (removeState) fs.rmSync(agents.agentStateDir(name), { recursive: true, force: true });
    if (removeApplied) {
      try {
        repos.removeApplied(name);
      } catch {
        // a link where the repo should be: left alone, never followed
      }
    }
    // The row last: until it goes, a crash here is recovered as a spawn to finish, never as one that left debris.
    lifecycle.forget(name);
  }
}

/** The preview a spawn approval carries: the files the agent starts with, as a diff that creates them. */
function previewDiff(files: { agent_json: string; claude_md: string | undefined }): string {
  return newFilesDiff([{ path: AGENT_JSON, text: files.agent_json }, ...(files.claude_md !== undefined ? [{ path: CLAUDE_MD, text: files.claude_md }] : [])]);
}

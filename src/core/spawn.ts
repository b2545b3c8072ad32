/**
 * Spawning an agent: a request queues a `spawn` approval; approving it
 * creates the agent from the hive's template, opens its socket and starts it,
 * or leaves nothing when any step fails or a crash cuts it short.
 */
import fs from 'node:fs';
import { agentNameProblem, type Approval, type HiveConfig } from '../protocol/index.js';
import type { LifecycleBackend } from './lifecycle/index.js';
import type { AgentSocketRegistry, UnitOfWork } from './ports.js';
import type { AgentRegistry } from './agent-registry.js';
import type { StatusBoard } from './status-board.js';
import type { Approvals } from './approvals.js';
import type { AgentLifecycle } from './agent-lifecycle.js';
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
}

export class Spawns {
  constructor(private readonly parts: SpawnParts) {
    parts.approvals.onApprove('spawn', { apply: (approval) => this.apply(approval), recover: (approval) => this.recover(approval) });
  }

  /** Queue a spawn approval for a new agent `name`. */
  request(name: string, description: string | undefined, requestedBy: string): number | Refusal {
    const { agents, approvals } = this.parts;
    const problem = agentNameProblem(name);
    if (problem) return refuse('bad_request', problem);
    if (agents.agent(name)) return refuse('conflict', `an agent named ${name} already exists`);
    const pending = approvals.pendingSpawn(name);
    if (pending) return refuse('conflict', `a spawn of ${name} is already waiting for approval (#${pending.id})`);
    return approvals.add({ agent: name, kind: 'spawn', description, requested_by: requestedBy });
  }

  /**
   * The `spawn` applier: the agent's row first (so a crash after it leaves
   * an agent the next core completes), then its dirs, socket and backend
   * state. A failure there removes all of it again. An agent created whose
   * start fails stays (shown failed, to be started once fixed); the approval
   * ends `failed` saying so.
   */
  private async apply(approval: Approval): Promise<string | null> {
    const { work, config, agents, status, lifecycle, backend, sockets } = this.parts;
    const name = approval.agent;
    if (agents.agent(name)) return `an agent named ${name} already exists`;
    return lifecycle.withTransient(name, 'spawning', async () => {
      // State kept by an earlier agent of this name (destroyed without purge) is reused, and never removed on failure.
      const keptState = fs.existsSync(agents.agentStateDir(name));
      work.commit(() => {
        agents.addSpawned(name, config.agent_template);
        status.resetRuntime(name);
      });
      crashPoint('spawn-created');
      try {
        ensurePrivateDir(agents.agentStateDir(name), 0o750);
        await sockets.open(name);
        await backend.create(name);
      } catch (err) {
        await this.undo(name, !keptState);
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
   * row is complete as far as the store goes (the starting core opens its
   * socket and starts it like any other); without a row nothing was created.
   */
  private async recover(approval: Approval): Promise<string | null> {
    const name = approval.agent;
    const record = this.parts.agents.agent(name);
    if (record?.source === 'spawn') return null;
    if (record) return `${name} already exists (from the config file); this spawn was not needed`;
    return `the core stopped before ${name} was created; nothing was left behind — request the spawn again`;
  }

  /** Remove a half-created agent: its socket, (when this spawn made it) its state, then its row. */
  private async undo(name: string, removeState: boolean): Promise<void> {
    const { agents, lifecycle, sockets } = this.parts;
    await sockets.close(name).catch(() => undefined);
    if (removeState) fs.rmSync(agents.agentStateDir(name), { recursive: true, force: true });
    // The row last: until it goes, a crash here is recovered as a spawn to finish, never as one that left debris.
    lifecycle.forget(name);
  }
}

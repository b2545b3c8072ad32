/**
 * Spawning an agent: a request queues a `spawn` approval; approving it
 * creates the agent from the hive's template, opens its socket and starts it.
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
    parts.approvals.onApprove('spawn', (approval) => this.apply(approval));
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

  /** The `spawn` applier: create the agent from the template, open its socket, start it. */
  private async apply(approval: Approval): Promise<string | null> {
    const { work, config, agents, status, lifecycle, backend, sockets } = this.parts;
    const name = approval.agent;
    if (agents.agent(name)) return `an agent named ${name} already exists`;
    return lifecycle.withTransient(name, 'spawning', async () => {
      work.commit(() => {
        agents.addSpawned(name, config.agent_template);
        status.resetRuntime(name);
      });
      const stateDirExisted = fs.existsSync(agents.agentStateDir(name));
      fs.mkdirSync(agents.agentStateDir(name), { recursive: true, mode: 0o750 });
      try {
        // Opening the socket can fail too (the core out of descriptors): the spawn then fails as a whole.
        await sockets.open(name);
        await backend.create(name);
      } catch (err) {
        // No half-created agent: forget it again; a state dir kept from an earlier life stays.
        await sockets.close(name);
        lifecycle.forget(name);
        if (!stateDirExisted) fs.rmSync(agents.agentStateDir(name), { recursive: true, force: true });
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
}

/**
 * Destroyed but kept: `destroy` without purge stops and forgets an agent
 * but keeps its state (config repos, notes, history), so it is listed as
 * kept and can be revived (a spawn approval marked as a revival) or purged
 * for good. Purging removes the agent's state dir and applied repo and never
 * follows a link out of the state dir: a link where a directory should be is
 * removed itself, and what it points at is left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KeptAgent } from '../protocol/index.js';
import type { UnitOfWork } from './ports.js';
import type { AgentRegistry } from './agent-registry.js';
import type { Approvals } from './approvals.js';
import type { AgentLifecycle } from './agent-lifecycle.js';
import type { AgentEventLog } from './events/index.js';
import { refuse, type Refusal } from './refusal.js';
import { agentNameProblem } from '../protocol/index.js';

export interface TombstoneParts {
  work: UnitOfWork;
  stateDir: string;
  agents: AgentRegistry;
  approvals: Approvals;
  lifecycle: AgentLifecycle;
  agentEvents: AgentEventLog;
}

export class Tombstones {
  constructor(private readonly parts: TombstoneParts) {}

  /** Kept agents, most recently destroyed first. */
  kept(): KeptAgent[] {
    return this.parts.agents.kept().map((k) => ({ name: k.name, destroyed_at: k.destroyedAt, ...(k.deployedSha ? { deployed_sha: k.deployedSha.slice(0, 12) } : {}) }));
  }

  /** Stop and forget `name`; its pending requests are withdrawn; its state is kept unless `purge`. */
  async destroy(name: string, purge: boolean, actor: string | undefined): Promise<true | Refusal> {
    const { agents, approvals, lifecycle } = this.parts;
    const problem = agents.check(name);
    if (problem) return problem;
    for (const pending of approvals.pendingFor(name, 'apply_commit')) approvals.cancel(pending.id, `${name} was destroyed`);
    const destroyed = await lifecycle.destroy(name, false, actor);
    if (destroyed !== true || !purge) return destroyed;
    return this.wipe(name, actor);
  }

  /** Remove kept agent `name` for good: its state dir, applied repo, stored events and row. */
  purge(name: string, actor: string | undefined): true | Refusal {
    const { agents } = this.parts;
    const problem = agentNameProblem(name);
    if (problem) return refuse('bad_request', problem);
    if (agents.agent(name)) return refuse('conflict', `${name} is not destroyed; destroy it first (or destroy it with purge)`);
    if (!agents.kept().some((k) => k.name === name)) return refuse('not_found', `no kept agent named ${name}`);
    return this.wipe(name, actor, true);
  }

  /** `wasKept`: it leaves the kept list, which consoles hear as `agent_removed` (a destroy announced it when it left the roster). */
  private wipe(name: string, actor: string | undefined, wasKept = false): true | Refusal {
    const { work, agents, agentEvents, stateDir } = this.parts;
    try {
      removeWithin(path.join(stateDir, 'agents'), name);
      removeWithin(path.join(stateDir, 'applied'), name);
    } catch (err) {
      return refuse('unavailable', `cannot purge ${name}: ${(err as Error).message}`);
    }
    agentEvents.purge(name);
    work.commit(() => {
      agents.deleteKept(name);
      work.audit(actor, 'purge', name);
      if (wasKept) work.announce('agent_removed', { name });
    });
    return true;
  }
}

/**
 * Remove `parent/name` without leaving `parent`: a link there is unlinked
 * (never followed), a directory is removed with everything in it (links
 * inside are unlinked, not followed). `parent` must be a real directory.
 */
export function removeWithin(parent: string, name: string): void {
  let parentStat: fs.Stats;
  try {
    parentStat = fs.lstatSync(parent);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!parentStat.isDirectory()) throw new Error(`${parent} is not a real directory (a link?); nothing removed`);
  const target = path.join(parent, name);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!stat.isDirectory()) fs.unlinkSync(target);
  else fs.rmSync(target, { recursive: true });
}

/**
 * Lifecycle operations on agents: start, stop, restart, pause, control
 * actions and destroy, each through the backend and each shown on the roster
 * as a transient while it runs.
 */
import fs from 'node:fs';
import type { z } from 'zod';
import { modelProblem, type OperatorControlAction, type PauseReason, type Scope, type TransientEntry, type TransientKind } from '../protocol/index.js';
import type { LifecycleBackend } from './lifecycle/index.js';
import type { AgentEventLog } from './events/index.js';
import type { AgentSocketRegistry, UnitOfWork } from './ports.js';
import type { AgentRegistry } from './agent-registry.js';
import type { StatusBoard } from './status-board.js';
import type { ControlChannels } from './control-channels.js';
import { isRefusal, nowUnix, refuse, type Refusal } from './refusal.js';

export interface AgentLifecycleParts {
  work: UnitOfWork;
  agents: AgentRegistry;
  status: StatusBoard;
  controls: ControlChannels;
  backend: LifecycleBackend;
  sockets: AgentSocketRegistry;
  agentEvents: AgentEventLog;
  /** The hive's `models` list: what `set_model` accepts. */
  models: readonly string[];
  log: (message: string) => void;
  /** The agent's running turn is being cut short (cancel, stop, restart, destroy): what waits on it ends. */
  interrupted?: (name: string, why: string) => void;
}

/** The reason an operator's pause records. */
function operatorPause(actor: string | undefined): PauseReason {
  return { kind: 'operator', text: `paused by ${actor ?? 'the operator'}`, since: nowUnix(), ...(actor !== undefined && { by: actor }) };
}

export class AgentLifecycle {
  private readonly transients = new Map<string, TransientEntry>();

  constructor(private readonly parts: AgentLifecycleParts) {}

  /** The transient shown for `name`, if an operation is running on it. */
  transient(name: string): TransientKind | undefined {
    return this.transients.get(name)?.kind;
  }

  /** Every running transient, for the dashboard snapshot. */
  transientsByAgent(): Record<string, TransientEntry> {
    return Object.fromEntries(this.transients);
  }

  /** Run a lifecycle action inside a transient that is cleared on every exit path. */
  async withTransient<T>(name: string, kind: TransientKind, action: () => Promise<T>): Promise<T> {
    const { work, status } = this.parts;
    const since = nowUnix();
    this.transients.set(name, { kind, since });
    work.commit(() => work.announce('transient_set', { name, transient_kind: kind, since_unix: since }));
    status.refresh(name);
    try {
      return await action();
    } finally {
      if (this.transients.get(name)?.kind === kind) this.transients.delete(name);
      work.commit(() => work.announce('transient_cleared', { name }));
      status.refresh(name);
    }
  }

  /** Resolve a lifecycle scope to agent names (in hive order), refusing a scope that names nothing and unknown names. */
  resolveScope(scope: Scope | undefined): string[] | Refusal {
    const { agents } = this.parts;
    const named = scope?.agent_names ?? [];
    for (const name of named) {
      const problem = agents.check(name);
      if (problem) return problem;
    }
    const every = scope?.agents === true || scope?.all === true;
    const wanted = new Set(named);
    if (scope?.manager === true) {
      if (!agents.manager) return refuse('bad_request', 'scope.manager: this hive has no manager');
      wanted.add(agents.manager);
    }
    const names = agents.agentNames().filter((name) => every || wanted.has(name));
    if (names.length === 0 && !every) {
      return refuse('bad_request', 'the scope names no agent: list them in scope.agent_names, or say "agents": true for every agent');
    }
    return names;
  }

  async start(names: string[], actor?: string): Promise<true | Refusal> {
    const { work, backend } = this.parts;
    work.audit(actor, 'start', names.join(','));
    const errors: string[] = [];
    for (const name of names) {
      try {
        await this.withTransient(name, 'starting', () => backend.start(name));
      } catch (err) {
        errors.push(`${name}: ${(err as Error).message}`);
      }
    }
    return errors.length ? refuse('unavailable', errors.join('; ')) : true;
  }

  async stop(names: string[], graceful: boolean, actor?: string): Promise<true | Refusal> {
    const { work, backend } = this.parts;
    work.audit(actor, 'stop', names.join(','), { graceful });
    const errors: string[] = [];
    for (const name of names) this.parts.interrupted?.(name, 'the agent was stopped');
    await Promise.all(
      names.map(async (name) => {
        try {
          await this.withTransient(name, 'stopping', () => backend.stop(name, { graceful }));
        } catch (err) {
          errors.push(`${name}: ${(err as Error).message}`);
        }
      }),
    );
    return errors.length ? refuse('unavailable', errors.join('; ')) : true;
  }

  async restart(name: string, actor?: string): Promise<true | Refusal> {
    const { work, backend } = this.parts;
    work.audit(actor, 'restart', name);
    this.parts.interrupted?.(name, 'the agent was restarted');
    try {
      await this.withTransient(name, 'restarting', () => backend.restart(name));
      return true;
    } catch (err) {
      return refuse('unavailable', `${name}: ${(err as Error).message}`);
    }
  }

  /**
   * Pause (for `reason`; an operator's pause when none is given) or resume:
   * the marker file is the truth (it works on a stopped agent), the harness
   * is told. A pause with a new reason replaces the old one.
   */
  setPaused(name: string, paused: boolean, actor?: string, reason?: PauseReason): true | Refusal {
    const { work, agents, controls, status } = this.parts;
    const why = paused ? (reason ?? operatorPause(actor)) : null;
    const before = agents.pauseReason(name);
    const changed = agents.setPauseMarker(name, why);
    if (isRefusal(changed)) return changed;
    if (changed || (why && why.kind !== before?.kind)) {
      work.commit(() => work.audit(actor, paused ? 'pause' : 'resume', name, { reason: (why ?? before)?.kind, text: (why ?? before)?.text }));
    }
    if (changed) controls.send(name, { action: paused ? 'pause' : 'resume' });
    status.refresh(name);
    return true;
  }

  /** Operator control actions on a running agent's harness. */
  control(name: string, action: z.infer<typeof OperatorControlAction>, model: string | undefined, actor?: string): true | Refusal {
    const { work, controls } = this.parts;
    if (action === 'set_model') {
      if (!model) return refuse('bad_request', 'set_model needs a "model"');
      const problem = modelProblem(model, this.parts.models);
      if (problem) return refuse('bad_request', problem);
    }
    if (!controls.connected(name)) return refuse('unavailable', `${name} is not running (its harness is not connected)`);
    if (action === 'cancel_turn') this.parts.interrupted?.(name, `the turn was cancelled${actor ? ` by ${actor}` : ''}`);
    controls.send(name, model ? { action, model, ...(actor ? { actor } : {}) } : { action, ...(actor ? { actor } : {}) });
    work.commit(() => work.audit(actor, `control:${action}`, name, model ? { model } : undefined));
    return true;
  }

  /** Remove an agent: stop it, close its socket, forget it; its state stays unless `purge`. */
  async destroy(name: string, purge: boolean, actor?: string): Promise<true | Refusal> {
    const { work, agents, controls, backend, sockets, agentEvents } = this.parts;
    work.audit(actor, 'destroy', name, { purge });
    this.parts.interrupted?.(name, 'the agent was destroyed');
    await this.withTransient(name, 'destroying', async () => {
      await backend.destroy(name, { purge });
      controls.close(name);
      await sockets.close(name);
      this.forget(name);
      if (purge) {
        agentEvents.purge(name);
        fs.rmSync(agents.agentStateDir(name), { recursive: true, force: true });
      }
    });
    this.transients.delete(name);
    return true;
  }

  /** Stop harnesses a previous core left running (at start, before any agent socket opens). */
  async stopLeftovers(): Promise<void> {
    await this.parts.backend.stopLeftovers?.();
  }

  /** Drop `name` from the roster; its row stays in the store, marked removed. */
  forget(name: string): void {
    const { work, agents, status } = this.parts;
    work.commit(() => {
      agents.remove(name);
      status.forget(name);
      work.announce('agent_removed', { name });
    });
  }

  /**
   * Bring an agent to its current config (an approved config change): the
   * backend's `update` when it has one, else a restart. Shown as `rebuilding`.
   */
  async update(name: string, actor?: string): Promise<true | Refusal> {
    this.parts.work.audit(actor, 'update', name);
    try {
      await this.withTransient(name, 'rebuilding', () => this.runUpdate(name));
      return true;
    } catch (err) {
      return refuse('unavailable', `${name}: ${(err as Error).message}`);
    }
  }

  /** `update` without its transient, for a caller that shows one around more steps; rejects with a sentence. */
  runUpdate(name: string): Promise<void> {
    const { backend } = this.parts;
    return backend.update ? backend.update(name) : backend.restart(name);
  }

  /** Start every agent the backend should run (process backend at core start). */
  async startAll(): Promise<void> {
    const { agents, backend, log } = this.parts;
    for (const name of agents.agentNames()) {
      // One agent that cannot be created or started (a container build that fails) must not keep the hive down.
      try {
        await backend.create(name);
        if (backend.kind === 'external') continue;
        await this.withTransient(name, 'starting', () => backend.start(name));
      } catch (err) {
        log(`could not start ${name}: ${(err as Error).message}`);
      }
    }
  }
}

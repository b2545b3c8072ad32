/**
 * The `nixos-container` lifecycle backend: each agent runs in a NixOS
 * container (see container-name.ts for its name) whose only service is the
 * harness. The backend writes the container's Nix file, drives
 * `nixos-container create/update/start/stop/destroy/status`, and adds the bind
 * mounts to the container's conf file: the agent's socket dir at /run/hive,
 * its state dir at /state, its claude credentials at /root/.claude, its
 * applied config repo read-only at /hive/applied, and for the manager the
 * agents' proposed config repos at /hive/config/<agent>.
 *
 * Every command has a deadline; one that fails or hangs rejects with a
 * sentence and leaves the container as it was (a failed create removes what
 * it made). Commands for one agent run one at a time. The roster's `running`
 * is the container's `status`, polled; a container that cannot start, or
 * stops without being asked to, is `failed` until it is started again.
 *
 * What the container holds is in agent-container.ts, the command line in
 * nixos-container-command.ts, the files on disk in container-records.ts.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { NixosContainerConfig } from '../../protocol/index.js';
import type { BackendStatus, LifecycleBackend, LifecycleHost } from './backend.js';
import { containerName } from './container-name.js';
import { bindMountProblem, parseContainerNix, renderContainerNix, type BindMount } from './container-files.js';
import { containerBinds, containerLoginCommand, containerSpec, proposedRepoPath } from './agent-container.js';
import { ContainerRecords } from './container-records.js';
import { NixosContainerCommand, type ContainerState } from './nixos-container-command.js';
import { KeyedQueue } from './keyed-queue.js';

/** Where `nix/agent-container.nix` is, from dist/src/core/lifecycle/ (also inside the Nix package). */
const DEFAULT_TEMPLATE = fileURLToPath(new URL('../../../../nix/agent-container.nix', import.meta.url));

interface Tracked {
  state: ContainerState | 'unknown';
  failed: boolean;
  /** Started by us and not stopped since: going down on its own is a failure. */
  wanted: boolean;
}

export interface NixosContainerBackendOptions {
  /** The shared container module; defaults to the repository's (or package's) nix/agent-container.nix. */
  templatePath?: string;
}

export class NixosContainerBackend implements LifecycleBackend {
  readonly kind = 'nixos-container' as const;
  private readonly settings: NixosContainerConfig;
  private readonly templatePath: string;
  private readonly command: NixosContainerCommand;
  private readonly records: ContainerRecords;
  private readonly tracked = new Map<string, Tracked>();
  /** Commands for one agent run one at a time. */
  private readonly queue = new KeyedQueue();
  private poller: NodeJS.Timeout | null = null;
  private polling = false;
  private closed = false;

  constructor(
    private readonly host: LifecycleHost,
    options: NixosContainerBackendOptions = {},
  ) {
    this.settings = host.config.nixos_container;
    this.templatePath = options.templatePath ?? DEFAULT_TEMPLATE;
    this.command = new NixosContainerCommand(this.settings);
    this.records = new ContainerRecords(host.stateDir, this.settings.conf_dir);
  }

  create(name: string): Promise<void> {
    return this.queue.run(name, async () => {
      await this.failedOnError(name, () => this.ensureCreated(name));
    });
  }

  start(name: string): Promise<void> {
    return this.queue.run(name, () => this.startNow(name));
  }

  stop(name: string, options: { graceful: boolean }): Promise<void> {
    return this.queue.run(name, () => this.stopNow(name, options.graceful));
  }

  /** claude's login inside the agent's container; see containerLoginCommand. */
  loginCommand(name: string): { argv: string[]; env: NodeJS.ProcessEnv; cwd: string } {
    return containerLoginCommand(this.host, name);
  }

  /** Where the manager's container sees `agent`'s proposed config repo. */
  proposedRepoPath(agent: string): string {
    return proposedRepoPath(agent);
  }

  restart(name: string): Promise<void> {
    return this.queue.run(name, async () => {
      await this.stopNow(name, true);
      await this.startNow(name);
    });
  }

  /** Rebuild the container from the agent's current config; a running container is switched to it. */
  update(name: string): Promise<void> {
    return this.queue.run(name, async () => {
      const cname = containerName(name);
      if (this.records.owner(cname) !== name) throw new Error(`${name} has no container yet; start it first`);
      const previous = this.records.readNix(cname) ?? '';
      await this.applyUpdate(name, cname, previous);
      const t = this.entry(name);
      if (t.state === 'up') this.host.agentStarted(name, 'config update');
    });
  }

  status(name: string): BackendStatus {
    const t = this.tracked.get(name);
    return { running: t?.state === 'up', failed: t?.failed ?? false };
  }

  destroy(name: string, options: { purge: boolean }): Promise<void> {
    return this.queue.run(name, async () => {
      const cname = containerName(name);
      const owner = this.records.owner(cname);
      if (owner !== null && owner !== name) throw new Error(`container ${cname} belongs to agent ${owner}, not ${name}; nothing destroyed`);
      await this.command.run('destroy', [cname]);
      this.records.removeNix(cname);
      this.records.removeOwner(cname);
      this.tracked.delete(name);
      if (options.purge) fs.rmSync(this.host.agentStateDir(name), { recursive: true, force: true });
      this.host.statusChanged(name);
    });
  }

  /** Stop polling and stop every container that is up: a harness never outlives its core. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    await Promise.all(
      [...this.tracked.keys()].map((name) =>
        this.queue.run(name, async () => {
          if (this.tracked.get(name)?.state === 'up') await this.stopNow(name, false);
        }).catch((err: Error) => this.host.log(`could not stop ${name}'s container: ${err.message}`)),
      ),
    );
  }

  // ------------------------------------------------------------ actions (run inside the queue)

  /** Make sure the agent's container exists and matches its config; returns its state. */
  private async ensureCreated(name: string): Promise<ContainerState> {
    const cname = containerName(name);
    const owner = this.records.owner(cname);
    if (owner !== null && owner !== name) {
      throw new Error(`agent ${name} maps to container ${cname}, which already belongs to agent ${owner}; choose another name for ${name}`);
    }
    const binds = containerBinds(this.host, name);
    const problem = bindMountProblem(binds);
    if (problem) throw new Error(problem);
    const text = renderContainerNix(containerSpec(this.host, name), this.templatePath);
    const written = this.records.readNix(cname);
    let state = await this.command.state(cname);
    if (state !== 'gone' && owner === null) {
      if (written === null || parseContainerNix(written)?.agent !== name) {
        throw new Error(`a container named ${cname} already exists and was not created by hyperhive; remove it (nixos-container destroy ${cname}) or choose another name for ${name}`);
      }
      // Our own create, cut short (a crash): start over.
      await this.command.run('destroy', [cname]);
      state = 'gone';
    }
    if (state === 'gone') {
      await this.createNow(name, cname, text, binds);
      state = 'down';
    } else {
      if (written !== text) await this.applyUpdate(name, cname, written ?? '');
      this.records.writeBinds(cname, binds);
    }
    const t = this.entry(name);
    if (t.state !== state) {
      t.state = state;
      this.host.statusChanged(name);
    }
    return state;
  }

  private async createNow(name: string, cname: string, text: string, binds: BindMount[]): Promise<void> {
    for (const bind of binds) if (!bind.readOnly) fs.mkdirSync(bind.host, { recursive: true, mode: 0o700 });
    this.records.removeOwner(cname);
    this.records.writeNix(cname, text);
    try {
      await this.command.run('create', [cname, ...this.command.configArgs(this.records.nixFile(cname))]);
      this.records.writeBinds(cname, binds);
    } catch (err) {
      // Leave nothing half-made: the container (if any part of it exists) and our file go.
      await this.command.run('destroy', [cname]).catch((cleanup: Error) => this.host.log(`could not clean up ${cname} after a failed create: ${cleanup.message}`));
      this.records.removeNix(cname);
      throw err;
    }
    this.records.setOwner(cname, name);
  }

  /** Write the agent's current Nix file and `nixos-container update`; on failure the previous file is put back. */
  private async applyUpdate(name: string, cname: string, previous: string): Promise<void> {
    const binds = containerBinds(this.host, name);
    const problem = bindMountProblem(binds);
    if (problem) throw new Error(problem);
    this.records.writeNix(cname, renderContainerNix(containerSpec(this.host, name), this.templatePath));
    try {
      await this.command.run('update', [cname, ...this.command.configArgs(this.records.nixFile(cname))]);
    } catch (err) {
      this.records.writeNix(cname, previous);
      throw err;
    }
    this.records.writeBinds(cname, binds);
  }

  private async startNow(name: string): Promise<void> {
    const state = await this.failedOnError(name, () => this.ensureCreated(name));
    const t = this.entry(name);
    this.startPolling();
    if (state === 'up') {
      Object.assign(t, { wanted: true, failed: false });
      this.host.statusChanged(name);
      return;
    }
    try {
      await this.command.run('start', [containerName(name)]);
    } catch (err) {
      t.failed = true;
      t.wanted = false;
      t.state = 'down';
      this.host.statusChanged(name);
      throw err;
    }
    Object.assign(t, { state: 'up', failed: false, wanted: true });
    this.host.statusChanged(name);
    this.host.agentStarted(name, 'start');
  }

  private async stopNow(name: string, graceful: boolean): Promise<void> {
    const cname = containerName(name);
    const t = this.entry(name);
    t.wanted = false;
    const state = await this.command.state(cname);
    if (state !== 'up') {
      t.state = state;
      this.host.statusChanged(name);
      return;
    }
    if (graceful && this.host.sendControl(name, { action: 'stop', graceful: true })) {
      // Let the turn finish; the harness leaves its control subscription as it exits.
      const deadline = Date.now() + this.settings.timeouts.stop_seconds * 1000;
      while (this.host.controlConnected(name) && Date.now() < deadline) await sleep(100);
    }
    await this.command.run('stop', [cname]);
    Object.assign(t, { state: 'down', failed: false });
    this.host.statusChanged(name);
  }

  /** Ask `nixos-container status` and note what changed (the poller's step). */
  private async refresh(name: string): Promise<void> {
    const t = this.tracked.get(name);
    if (!t || this.closed) return;
    const state = await this.command.state(containerName(name));
    if (state === t.state) return;
    t.state = state;
    if (state !== 'up' && t.wanted) {
      t.wanted = false;
      t.failed = true;
      this.host.log(`agent ${name}'s container ${containerName(name)} is ${state} though nobody stopped it; marked failed — start it again once fixed`);
    }
    this.host.statusChanged(name);
  }

  // ------------------------------------------------------------ helpers

  /** A container that cannot be made cannot start: the agent shows failed until a start succeeds. */
  private async failedOnError<T>(name: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      Object.assign(this.entry(name), { failed: true, wanted: false });
      this.host.statusChanged(name);
      throw err;
    }
  }

  private entry(name: string): Tracked {
    let t = this.tracked.get(name);
    if (!t) {
      t = { state: 'unknown', failed: false, wanted: false };
      this.tracked.set(name, t);
    }
    return t;
  }

  private startPolling(): void {
    if (this.poller || this.closed) return;
    this.poller = setInterval(() => void this.pollOnce(), this.settings.status_poll_seconds * 1000);
    this.poller.unref();
  }

  private async pollOnce(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const name of [...this.tracked.keys()]) {
        await this.queue.run(name, () => this.refresh(name)).catch((err: Error) => this.host.log(`status of ${name}'s container: ${err.message}`));
      }
    } finally {
      this.polling = false;
    }
  }
}

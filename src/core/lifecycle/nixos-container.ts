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
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NixosContainerConfig } from '../../protocol/index.js';
import type { BackendStatus, LifecycleBackend, LifecycleHost } from './backend.js';
import { containerName } from './container-name.js';
import { CONTAINER_PATHS, bindMountProblem, confWithBinds, parseContainerNix, renderContainerNix, type AgentContainerSpec, type BindMount } from './container-files.js';
import { harnessArgs } from './harness-command.js';
import { lastLines, runBounded } from './bounded-command.js';
import { KeyedQueue } from './keyed-queue.js';

/** Where `nix/agent-container.nix` is, from dist/src/core/lifecycle/ (also inside the Nix package). */
const DEFAULT_TEMPLATE = fileURLToPath(new URL('../../../../nix/agent-container.nix', import.meta.url));

type ContainerState = 'up' | 'down' | 'gone';
type Action = 'create' | 'update' | 'start' | 'stop' | 'destroy' | 'status';

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

  /**
   * claude's login inside the agent's container (`nixos-container run`), with
   * the config dir its turns use: `/state/claude`, which is also what the
   * container sees at /root/.claude — `<state>/agents/<name>/claude` on the host.
   */
  loginCommand(name: string): { argv: string[]; env: NodeJS.ProcessEnv; cwd: string } {
    const config = this.configOf(name);
    const argv = [
      this.settings.command, 'run', containerName(name), '--',
      'env', `HOME=${CONTAINER_PATHS.home}`,
      ...Object.entries(config.env).map(([key, value]) => `${key}=${value}`),
      `CLAUDE_CONFIG_DIR=${CONTAINER_PATHS.state}/claude`,
      ...config.command, 'auth', 'login',
    ];
    return { argv, env: process.env, cwd: this.host.agentStateDir(name) };
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
      if (this.owner(cname) !== name) throw new Error(`${name} has no container yet; start it first`);
      const previous = readText(this.nixFile(cname)) ?? '';
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
      const owner = this.owner(cname);
      if (owner !== null && owner !== name) throw new Error(`container ${cname} belongs to agent ${owner}, not ${name}; nothing destroyed`);
      await this.run('destroy', [cname]);
      fs.rmSync(this.nixFile(cname), { force: true });
      fs.rmSync(this.ownerFile(cname), { force: true });
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
    const owner = this.owner(cname);
    if (owner !== null && owner !== name) {
      throw new Error(`agent ${name} maps to container ${cname}, which already belongs to agent ${owner}; choose another name for ${name}`);
    }
    const binds = this.binds(name);
    const problem = bindMountProblem(binds);
    if (problem) throw new Error(problem);
    const text = renderContainerNix(this.spec(name), this.templatePath);
    const nixFile = this.nixFile(cname);
    const written = readText(nixFile);
    let state = await this.containerState(cname);
    if (state !== 'gone' && owner === null) {
      if (written === null || parseContainerNix(written)?.agent !== name) {
        throw new Error(`a container named ${cname} already exists and was not created by hyperhive; remove it (nixos-container destroy ${cname}) or choose another name for ${name}`);
      }
      // Our own create, cut short (a crash): start over.
      await this.run('destroy', [cname]);
      state = 'gone';
    }
    if (state === 'gone') {
      await this.createNow(name, cname, text, binds);
      state = 'down';
    } else {
      if (written !== text) await this.applyUpdate(name, cname, written ?? '');
      this.writeBinds(cname, binds);
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
    fs.rmSync(this.ownerFile(cname), { force: true });
    writeAtomic(this.nixFile(cname), text);
    try {
      await this.run('create', [cname, '--config-file', this.nixFile(cname), ...this.nixosPathArgs()]);
      this.writeBinds(cname, binds);
    } catch (err) {
      // Leave nothing half-made: the container (if any part of it exists) and our file go.
      await this.run('destroy', [cname]).catch((cleanup: Error) => this.host.log(`could not clean up ${cname} after a failed create: ${cleanup.message}`));
      fs.rmSync(this.nixFile(cname), { force: true });
      throw err;
    }
    writeAtomic(this.ownerFile(cname), `${name}\n`);
  }

  /** Write the agent's current Nix file and `nixos-container update`; on failure the previous file is put back. */
  private async applyUpdate(name: string, cname: string, previous: string): Promise<void> {
    const binds = this.binds(name);
    const problem = bindMountProblem(binds);
    if (problem) throw new Error(problem);
    writeAtomic(this.nixFile(cname), renderContainerNix(this.spec(name), this.templatePath));
    try {
      await this.run('update', [cname, '--config-file', this.nixFile(cname), ...this.nixosPathArgs()]);
    } catch (err) {
      writeAtomic(this.nixFile(cname), previous);
      throw err;
    }
    this.writeBinds(cname, binds);
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
      await this.run('start', [containerName(name)]);
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
    const state = await this.containerState(cname);
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
    await this.run('stop', [cname]);
    Object.assign(t, { state: 'down', failed: false });
    this.host.statusChanged(name);
  }

  /** Ask `nixos-container status` and note what changed (the poller's step). */
  private async refresh(name: string): Promise<void> {
    const t = this.tracked.get(name);
    if (!t || this.closed) return;
    const state = await this.containerState(containerName(name));
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

  private async containerState(cname: string): Promise<ContainerState> {
    const outcome = await runBounded(this.settings.command, ['status', cname], { timeoutMs: this.settings.timeouts.status_seconds * 1000 });
    if (outcome.kind === 'exited') {
      const word = outcome.stdout.trim().split('\n')[0];
      if (word === 'up' || word === 'down' || word === 'gone') return word;
    }
    throw new Error(this.failure('status', cname, outcome));
  }

  /** Run one `nixos-container` action; rejects with a sentence when it fails or hangs. */
  private async run(action: Exclude<Action, 'status'>, args: string[]): Promise<void> {
    const outcome = await runBounded(this.settings.command, [action, ...args], { timeoutMs: this.settings.timeouts[`${action}_seconds`] * 1000 });
    if (outcome.kind === 'exited' && outcome.code === 0) return;
    throw new Error(this.failure(action, args[0]!, outcome));
  }

  private failure(action: Action, cname: string, outcome: Awaited<ReturnType<typeof runBounded>>): string {
    const what = `nixos-container ${action} ${cname}`;
    switch (outcome.kind) {
      case 'not-started':
        return `cannot run ${what}: ${outcome.error} (install nixos-container, or set nixos_container.command in the hive config)`;
      case 'timed-out':
        return `${what} did not finish within ${this.settings.timeouts[`${action}_seconds`]} s and was stopped${action === 'create' ? '' : `; ${cname} was left as it was`} (raise nixos_container.timeouts.${action}_seconds if it is only slow)`;
      case 'exited': {
        const how = outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.code}`;
        const said = lastLines(outcome.stderr) || lastLines(outcome.stdout);
        return action === 'status' && outcome.code === 0
          ? `${what} answered ${JSON.stringify(lastLines(outcome.stdout))}, not up, down or gone`
          : `${what} failed (${how})${said ? `: ${said}` : ''}`;
      }
    }
  }

  private spec(name: string): AgentContainerSpec {
    const config = this.configOf(name);
    const instructions = this.host.instructionsFile(name) ? `${CONTAINER_PATHS.applied}/CLAUDE.md` : undefined;
    const paths = { entry: this.host.agentEntry, socket: CONTAINER_PATHS.socket, stateDir: CONTAINER_PATHS.state, instructions };
    return {
      agent: name,
      container: containerName(name),
      argv: [process.execPath, ...harnessArgs(name, config, paths, this.host.config.manager === name)],
      environment: { ...config.env, HOME: CONTAINER_PATHS.home },
      extra_module: this.settings.agent_module ?? null,
    };
  }

  /**
   * The agent's socket dir, state dir and claude credentials; its applied
   * config repo read-only (the approved CLAUDE.md); and for the manager every
   * agent's proposed config repo at `/hive/config/<agent>` (those that exist
   * when its container is made or updated: an agent spawned later is bound
   * at the manager's next update).
   */
  private binds(name: string): BindMount[] {
    const stateDir = this.host.agentStateDir(name);
    const binds: BindMount[] = [
      { host: path.dirname(this.host.agentSocketPath(name)), container: CONTAINER_PATHS.socketDir },
      { host: stateDir, container: CONTAINER_PATHS.state },
      { host: path.join(stateDir, 'claude'), container: CONTAINER_PATHS.claude },
    ];
    const instructions = this.host.instructionsFile(name);
    if (instructions) binds.push({ host: path.dirname(instructions), container: CONTAINER_PATHS.applied, readOnly: true });
    if (this.host.config.manager === name) {
      for (const agent of this.host.agentNames()) {
        const repo = this.host.proposedRepoDir(agent);
        if (fs.existsSync(repo)) binds.push({ host: repo, container: this.proposedRepoPath(agent) });
      }
    }
    return binds;
  }

  /** Where the manager's container sees `agent`'s proposed config repo. */
  proposedRepoPath(agent: string): string {
    return `${CONTAINER_PATHS.configRepos}/${agent}`;
  }

  private writeBinds(cname: string, binds: BindMount[]): void {
    const conf = path.join(this.settings.conf_dir, `${cname}.conf`);
    const text = readText(conf);
    if (text === null) throw new Error(`nixos-container did not write ${conf}; is nixos_container.conf_dir right?`);
    const next = confWithBinds(text, binds);
    if (next !== text) writeAtomic(conf, next, 0o644);
  }

  private nixosPathArgs(): string[] {
    return this.settings.nixos_path ? ['--nixos-path', this.settings.nixos_path] : [];
  }

  private nixFile(cname: string): string {
    return path.join(this.host.stateDir, 'containers', `${cname}.nix`);
  }

  /** Written once a create succeeded: the agent the container belongs to. */
  private ownerFile(cname: string): string {
    return path.join(this.host.stateDir, 'containers', `${cname}.agent`);
  }

  private owner(cname: string): string | null {
    return readText(this.ownerFile(cname))?.trim() || null;
  }

  private configOf(name: string) {
    const config = this.host.agentConfig(name);
    if (!config) throw new Error(`no agent named ${JSON.stringify(name)} in this hive`);
    return config;
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

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Replace `file` whole or not at all. */
function writeAtomic(file: string, text: string, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text, { mode });
  fs.renameSync(temp, file);
}

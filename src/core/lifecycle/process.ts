/**
 * The `process` lifecycle backend: each agent's harness is a supervised
 * child process. Crash → restart with exponential backoff; too many crashes
 * in a window → `failed` (systemd's start limit). Graceful stop asks the
 * harness over its control connection to finish its turn and exit, then
 * escalates to SIGTERM and SIGKILL. A harness never outlives its core: it
 * holds a pipe from the core (fd 3) and exits when that closes, and its pid
 * file lets the next core stop one that did not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BackendStatus, LifecycleBackend, LifecycleHost } from './backend.js';
import { removeHarnessPidFile, stopLeftoverHarness, writeHarnessPidFile } from './harness-pid-file.js';
import { ensurePrivateDir } from '../disk/index.js';
import { harnessArgs } from './harness-command.js';
import { claudeConfigDirOf } from '../../protocol/index.js';

/** Tuning of the supervisor. */
export interface ProcessBackendOptions {
  /** First restart delay after a crash; doubles per crash in the window, capped at 30 s. */
  backoffMs?: number;
  /** Crashes within `windowMs` that mark the agent failed. */
  startLimit?: number;
  windowMs?: number;
  /** How long a graceful stop waits for the turn to end before SIGTERM. */
  stopTimeoutMs?: number;
  /** How long SIGTERM gets before SIGKILL. */
  killGraceMs?: number;
  /** How long an updated agent's new harness has to take its session before the update counts as failed. */
  updateTimeoutMs?: number;
}

/** Exit code a harness uses to ask for a restart (control `restart`). */
const EXIT_RESTART = 75;
/** Exit code of a harness whose command cannot be started: failed at once, a restart cannot help. */
const EXIT_CANNOT_RUN = 78;
const MAX_BACKOFF_MS = 30_000;
const MAX_LOG_BYTES = 10 * 1024 * 1024;

interface Supervised {
  child: ChildProcess | null;
  exited: Promise<void> | null;
  /** Set while we are the reason it exits, so the exit is not a crash. */
  stopping: boolean;
  failed: boolean;
  crashes: number[];
  restartTimer: NodeJS.Timeout | null;
}

/** Supervises one child process per agent. */
export class ProcessBackend implements LifecycleBackend {
  readonly kind = 'process' as const;
  private readonly agents = new Map<string, Supervised>();
  private readonly backoffMs: number;
  private readonly startLimit: number;
  private readonly windowMs: number;
  private readonly stopTimeoutMs: number;
  private readonly killGraceMs: number;
  private readonly updateTimeoutMs: number;
  private closed = false;

  constructor(
    private readonly host: LifecycleHost,
    options: ProcessBackendOptions = {},
  ) {
    this.backoffMs = options.backoffMs ?? 1000;
    this.startLimit = options.startLimit ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
    this.killGraceMs = options.killGraceMs ?? 5000;
    this.updateTimeoutMs = options.updateTimeoutMs ?? 30_000;
  }

  async create(name: string): Promise<void> {
    this.configOf(name);
    ensurePrivateDir(this.host.agentStateDir(name), 0o750, { parents: true });
  }

  /**
   * Stop every harness a previous core started and left running (its pid
   * file, checked by start time, in each agent state dir). Runs at start,
   * before any agent socket opens, so a leftover can never take a session.
   */
  async stopLeftovers(): Promise<void> {
    const agentsDir = path.join(this.host.stateDir, 'agents');
    let names: string[];
    try {
      names = fs.readdirSync(agentsDir);
    } catch {
      return;
    }
    await Promise.all(
      names.map(async (name) => {
        const stopped = await stopLeftoverHarness(path.join(agentsDir, name), this.killGraceMs);
        if (stopped !== null) this.host.log(`stopped the harness of ${name} (pid ${stopped}) that a previous core left running`);
      }),
    );
  }

  async start(name: string): Promise<void> {
    this.configOf(name);
    const s = this.entry(name);
    if (s.child) return;
    if (s.restartTimer) {
      clearTimeout(s.restartTimer);
      s.restartTimer = null;
    }
    // An explicit start clears a failed state, like `systemctl reset-failed` + start.
    s.failed = false;
    s.crashes = [];
    this.launch(name, s, 'start');
  }

  async stop(name: string, options: { graceful: boolean }): Promise<void> {
    const s = this.agents.get(name);
    if (!s) return;
    if (s.restartTimer) {
      clearTimeout(s.restartTimer);
      s.restartTimer = null;
      this.host.statusChanged(name);
    }
    const child = s.child;
    if (!child || !s.exited) return;
    s.stopping = true;
    const exited = s.exited;
    if (options.graceful && this.host.sendControl(name, { action: 'stop', graceful: true })) {
      if (await within(exited, this.stopTimeoutMs)) return;
      this.host.log(`agent ${name} did not finish its turn within ${this.stopTimeoutMs} ms; sending SIGTERM`);
    }
    child.kill('SIGTERM');
    if (await within(exited, this.killGraceMs)) return;
    this.host.log(`agent ${name} ignored SIGTERM for ${this.killGraceMs} ms; sending SIGKILL`);
    child.kill('SIGKILL');
    await exited;
  }

  /** The agent's command with `auth login`, with the agent's environment and its own claude config dir (as its turns have). */
  loginCommand(name: string): { argv: string[]; env: NodeJS.ProcessEnv; cwd: string } {
    const config = this.configOf(name);
    const stateDir = this.host.agentStateDir(name);
    const claudeDir = claudeConfigDirOf(stateDir);
    ensurePrivateDir(stateDir, 0o750, { parents: true });
    fs.mkdirSync(claudeDir, { recursive: true, mode: 0o700 });
    return { argv: [...config.command, 'auth', 'login'], env: { ...process.env, ...config.env, CLAUDE_CONFIG_DIR: claudeDir }, cwd: stateDir };
  }

  async restart(name: string): Promise<void> {
    this.configOf(name);
    await this.stop(name, { graceful: true });
    const s = this.entry(name);
    s.failed = false;
    s.crashes = [];
    if (!s.child) this.launch(name, s, 'restart');
  }

  /**
   * Run an agent on its current config: a running (or failed) agent is
   * restarted and counts as updated once its new harness has taken its
   * session; one that exits first, or takes too long, fails the update with
   * what it said. A stopped agent stays stopped (it starts on the new config).
   */
  async update(name: string): Promise<void> {
    this.configOf(name);
    const before = this.status(name);
    if (!before.running && !before.failed) return;
    const generation = this.host.controlGeneration(name);
    await this.restart(name);
    const s = this.entry(name);
    const child = s.child;
    if (!child || !s.exited) throw new Error(`${name}'s harness did not start`);
    const exited = s.exited;
    const deadline = Date.now() + this.updateTimeoutMs;
    let gone = false;
    void exited.then(() => (gone = true));
    while (!(this.host.controlGeneration(name) > generation && this.host.controlConnected(name))) {
      if (gone || s.child !== child) throw new Error(`its harness exited at start (${child.exitCode !== null ? `exit code ${child.exitCode}` : `killed by ${child.signalCode}`})${harnessSaid(this.host.agentStateDir(name))}`);
      if (Date.now() > deadline) throw new Error(`its harness did not connect within ${Math.round(this.updateTimeoutMs / 1000)} s${harnessSaid(this.host.agentStateDir(name))}`);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 50))]);
    }
  }

  status(name: string): BackendStatus {
    const s = this.agents.get(name);
    if (!s) return { running: false, failed: false };
    const pid = s.child?.pid;
    return pid !== undefined && s.child ? { running: true, failed: false, pid } : { running: false, failed: s.failed };
  }

  async destroy(name: string, options: { purge: boolean }): Promise<void> {
    await this.stop(name, { graceful: false });
    this.agents.delete(name);
    if (options.purge) fs.rmSync(this.host.agentStateDir(name), { recursive: true, force: true });
    this.host.statusChanged(name);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.agents.keys()].map((name) => this.stop(name, { graceful: false })));
  }

  private configOf(name: string) {
    const config = this.host.agentConfig(name);
    if (!config) throw new Error(`no agent named ${JSON.stringify(name)} in this hive`);
    return config;
  }

  private entry(name: string): Supervised {
    let s = this.agents.get(name);
    if (!s) {
      s = { child: null, exited: null, stopping: false, failed: false, crashes: [], restartTimer: null };
      this.agents.set(name, s);
    }
    return s;
  }

  private launch(name: string, s: Supervised, reason: string): void {
    const config = this.configOf(name);
    const stateDir = this.host.agentStateDir(name);
    ensurePrivateDir(stateDir, 0o750, { parents: true });
    const instructions = this.host.instructionsFile(name) ?? undefined;
    const args = harnessArgs(name, config, { entry: this.host.agentEntry, socket: this.host.agentSocketPath(name), stateDir, instructions }, this.host.config.manager === name);
    // fd 3 is a pipe only this core holds the other end of: the harness exits when it closes.
    args.push('--parent-fd', '3');
    const logFd = openLog(path.join(stateDir, 'harness.log'));
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, args, { env: { ...process.env, ...config.env }, stdio: ['ignore', logFd, logFd, 'pipe'] });
    } finally {
      fs.closeSync(logFd);
    }
    child.stdio[3]?.on('error', () => {});
    if (child.pid !== undefined) {
      try {
        writeHarnessPidFile(stateDir, child.pid);
      } catch (err) {
        this.host.log(`agent ${name}: ${(err as Error).message}; a core started after a crash of this one cannot find this harness`);
      }
    }
    s.child = child;
    s.stopping = false;
    s.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        if (child.pid !== undefined) removeHarnessPidFile(stateDir, child.pid);
        if (s.child === child) {
          s.child = null;
          s.exited = null;
        }
        this.onExit(name, s, code, signal, s.stopping);
        resolve();
      });
    });
    child.once('error', (err) => this.host.log(`agent ${name}: cannot start the harness: ${err.message}`));
    this.host.statusChanged(name);
    this.host.agentStarted(name, reason);
  }

  private onExit(name: string, s: Supervised, code: number | null, signal: NodeJS.Signals | null, intended: boolean): void {
    s.stopping = false;
    if (intended || this.closed || !this.agents.has(name)) {
      this.host.statusChanged(name);
      return;
    }
    if (code === EXIT_RESTART) {
      this.launch(name, s, 'restart requested by the agent');
      return;
    }
    if (code === 0) {
      // A clean exit nobody asked for (e.g. a `stop` from elsewhere): leave it stopped.
      this.host.statusChanged(name);
      return;
    }
    if (code === EXIT_CANNOT_RUN) {
      s.failed = true;
      this.host.log(`agent ${name} cannot start its command (see its stream or harness.log); marked failed — fix its "command" and start it again`);
      this.host.statusChanged(name);
      return;
    }
    const now = Date.now();
    s.crashes = [...s.crashes.filter((t) => now - t < this.windowMs), now];
    const how = signal ? `killed by ${signal}` : `exit code ${code}`;
    if (s.crashes.length >= this.startLimit) {
      s.failed = true;
      this.host.log(`agent ${name} crashed ${s.crashes.length} times within ${Math.round(this.windowMs / 1000)} s (last: ${how}); marked failed — start it again once fixed`);
      this.host.statusChanged(name);
      return;
    }
    const delay = Math.min(this.backoffMs * 2 ** (s.crashes.length - 1), MAX_BACKOFF_MS);
    this.host.log(`agent ${name} crashed (${how}); restarting in ${delay} ms`);
    this.host.statusChanged(name);
    s.restartTimer = setTimeout(() => {
      s.restartTimer = null;
      if (!s.child && !this.closed && this.agents.has(name)) this.launch(name, s, `crash (${how})`);
    }, delay);
  }
}

/** The last lines the harness wrote to its log, as the tail of a sentence. */
function harnessSaid(stateDir: string): string {
  let text: string;
  try {
    const fd = fs.openSync(path.join(stateDir, 'harness.log'), 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buffer = Buffer.alloc(Math.min(size, 4096));
      fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);
      text = buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
  const said = text.split('\n').map((l) => l.trim()).filter(Boolean).slice(-2).join(' / ');
  return said ? `: ${said.slice(-400)}` : '';
}

function openLog(file: string): number {
  try {
    if (fs.statSync(file).size > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
  return fs.openSync(file, 'a');
}

/** True when `p` settles within `ms`. */
async function within(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([p.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}

/**
 * Test helpers: start the real hyperhive-core (compiled JS) on a config in a
 * temp dir, talk to its sockets, wait for conditions. Used by end-to-end tests
 * and benchmarks only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonlConnection, agentSocketPath, hostSocketPath, readOnlyHostSocketPath, requestOnce } from '../protocol/index.js';

/** Root of the checkout (…/dist/src/testing → …). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Compiled program entries. */
export const entries = {
  core: path.join(repoRoot, 'dist', 'src', 'core', 'main.js'),
  agent: path.join(repoRoot, 'dist', 'src', 'agent', 'main.js'),
  tui: path.join(repoRoot, 'dist', 'src', 'tui', 'main.js'),
  ctl: path.join(repoRoot, 'dist', 'src', 'cli', 'main.js'),
};

/** Poll `check` until it returns a truthy value (returned) or the deadline passes (throws). */
export async function waitFor<T>(check: () => T | Promise<T>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${options.what ?? 'a condition'}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 20));
  }
}

export interface RunningCore {
  dir: string;
  configPath: string;
  stateDir: string;
  runtimeDir: string;
  hostSocket: string;
  readOnlySocket: string;
  /** `http://HOST:PORT` of the core's HTTP API as it said at start, or null when off. */
  httpUrl: string | null;
  proc: ChildProcess;
  /** Everything the core wrote to stderr so far. */
  stderr(): string;
  agentSocket(name: string): string;
  /** One request on a fresh host-socket connection. */
  request<T extends Record<string, unknown> = Record<string, unknown>>(message: object): Promise<T>;
  /** One request on a fresh connection to `name`'s agent socket. */
  agentRequest<T extends Record<string, unknown> = Record<string, unknown>>(name: string, message: object): Promise<T>;
  connect(socket?: string): Promise<JsonlConnection>;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** Stop and remove the temp dir. */
  cleanup(): Promise<void>;
}

export interface StartCoreOptions {
  /** The hive config (written to <dir>/hive.json). Defaults: name "test", backend "external". */
  config?: Record<string, unknown>;
  /** Reuse a directory (to restart a core on the same state). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** `--http`: off unless a test asks (tests use port 0, so parallel runs never collide). */
  http?: string;
  /** Extra CLI args. */
  args?: string[];
  /** Extra node flags (e.g. --cpu-prof) for the core process. */
  nodeArgs?: string[];
  /** Run the core with this open-file limit (soft and hard, through the shell's `ulimit -n`). */
  openFileLimit?: number;
}

/** Start hyperhive-core in a temp dir and wait until host.sock answers. */
export async function startCore(options: StartCoreOptions = {}): Promise<RunningCore> {
  // Unix socket paths are limited to ~107 bytes: keep the temp dir short.
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hh-'));
  const configPath = path.join(dir, 'hive.json');
  const stateDir = path.join(dir, 'state');
  const runtimeDir = path.join(dir, 'run');
  if (options.config || !fs.existsSync(configPath)) {
    fs.writeFileSync(configPath, JSON.stringify({ name: 'test', backend: 'external', ...options.config }, null, 2));
  }
  const argv = [...(options.nodeArgs ?? []), entries.core, '--config', configPath, '--state-dir', stateDir, '--runtime-dir', runtimeDir, '--http', options.http ?? 'off', ...(options.args ?? [])];
  const [command, commandArgs] = options.openFileLimit
    ? ['/bin/sh', ['-c', `ulimit -n ${options.openFileLimit} && exec "$0" "$@"`, process.execPath, ...argv]]
    : [process.execPath, argv];
  const proc = spawn(command, commandArgs, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.stdout!.on('data', () => {});
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const hostSocket = hostSocketPath(runtimeDir);
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  await waitFor(
    async () => {
      if (exitCode !== undefined) throw new Error(`hyperhive-core exited with ${exitCode}: ${stderr}`);
      await requestOnce(hostSocket, { cmd: 'list' }, { timeoutMs: 1000 });
      return / ready on /.test(stderr);
    },
    { timeoutMs: 15_000, what: `hyperhive-core to answer on ${hostSocket}` },
  ).catch((err: Error) => {
    proc.kill('SIGKILL');
    throw new Error(`${err.message}\n${stderr}`);
  });
  const core: RunningCore = {
    dir,
    configPath,
    stateDir,
    runtimeDir,
    hostSocket,
    readOnlySocket: readOnlyHostSocketPath(runtimeDir),
    httpUrl: / http (http:\/\/\S+)/.exec(stderr)?.[1] ?? null,
    proc,
    stderr: () => stderr,
    agentSocket: (name) => agentSocketPath(runtimeDir, name),
    request: (message) => requestOnce(hostSocket, message),
    agentRequest: (name, message) => requestOnce(agentSocketPath(runtimeDir, name), message),
    connect: (socket) => JsonlConnection.connect(socket ?? hostSocket),
    stop: async () => {
      if (exitCode === undefined) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    cleanup: async () => {
      await core.stop();
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return core;
}

/** Collect lines arriving on a subscribed connection. */
export function collectLines(conn: JsonlConnection): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  conn.on('line', (line) => lines.push(line));
  return lines;
}

/** What a program run to its end printed, and how it exited. */
export interface ProgramRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a compiled program (an `entries` script) to its end, with `stdin` (default empty) and extra environment. */
export function runProgram(entry: string, args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A program that answers without reading stdin may exit before the (empty) input is written.
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.stdin ?? '');
  });
}

/**
 * Take `socket`'s control subscription as a harness would, retrying while an
 * earlier session (one just closed, say) is still attached. Resolves with the
 * subscribed connection and its ack.
 */
export async function attachControl(socket: string, timeoutMs = 10_000): Promise<{ conn: JsonlConnection; ack: Record<string, unknown> }> {
  return waitFor(
    async () => {
      const conn = await JsonlConnection.connect(socket);
      const ack = await conn.request<Record<string, unknown>>({ cmd: 'control' });
      if (ack.ok === true) return { conn, ack };
      conn.close();
      if (ack.code !== 'conflict') throw new Error(`control refused: ${String(ack.error)}`);
      return undefined;
    },
    { timeoutMs, what: `the control subscription on ${socket}` },
  );
}

/** A live process as /proc shows it. */
export interface ProcessInfo {
  pid: number;
  argv: string[];
  cwd: string | null;
}

/** Every live (non-zombie) process, read from /proc (Linux). */
/** The parent of `pid` (undefined once it is gone). */
export function parentPid(pid: number): number | undefined {
  try {
    // The command name in parentheses may hold spaces: the fields after its closing one are fixed.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

export function listProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
      if (argv.length === 0) continue; // a zombie or a kernel thread
      let cwd: string | null = null;
      try {
        cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        // not ours to read
      }
      out.push({ pid: Number(entry), argv, cwd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * The harness processes (`hyperhive-agent run`) of the hive whose runtime dir
 * is `runtimeDir`, by agent: a harness is known by the agent socket in its argv.
 */
export function harnessPids(runtimeDir: string): Map<string, number[]> {
  const byAgent = new Map<string, number[]>();
  const prefix = path.join(runtimeDir, 'agents') + path.sep;
  for (const p of listProcesses()) {
    if (p.argv[2] !== 'run') continue;
    const socket = p.argv[p.argv.indexOf('--socket') + 1];
    if (!socket?.startsWith(prefix)) continue;
    const name = socket.slice(prefix.length).split(path.sep)[0]!;
    byAgent.set(name, [...(byAgent.get(name) ?? []), p.pid]);
  }
  // A child the harness has forked but not yet exec'd (claude starting) still shows the harness's argv: not a second harness.
  for (const [name, pids] of byAgent) byAgent.set(name, pids.filter((pid) => !pids.includes(parentPid(pid) ?? -1)));
  return byAgent;
}

/** Starts a real hyperhive-core (external backend, HTTP off unless asked) in a temp dir for a benchmark, and stops it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled core entry, beside this file in dist/. */
export const CORE_ENTRY = fileURLToPath(new URL('../../src/core/main.js', import.meta.url));

/** A running core and where its sockets are. */
export interface BenchCore {
  dir: string;
  stateDir: string;
  runtimeDir: string;
  hostSocket: string;
  agentSocket(name: string): string;
  child: ChildProcess;
  /** `http://HOST:PORT` of its HTTP API when one was asked for. */
  httpUrl: string | null;
  /** The tail of the core's stderr (for failure reports). */
  stderr(): string;
  stop(): Promise<void>;
}

/** Start a core whose config lists `agents` (external backend: the bench acts as the agents). */
export async function startBenchCore(agents: readonly string[], options: { http?: string; config?: Record<string, unknown> } = {}): Promise<BenchCore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hyperhive-bench-'));
  const stateDir = path.join(dir, 'state');
  const runtimeDir = path.join(dir, 'run');
  const configFile = path.join(dir, 'hive.json');
  writeFileSync(
    configFile,
    JSON.stringify({ name: 'bench', backend: 'external', http: { listen: 'off' }, agents: Object.fromEntries(agents.map((a) => [a, {}])), ...options.config }),
  );
  // HYPERHIVE_BENCH_CORE_FLAGS passes node flags to the core, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeFlags = (process.env.HYPERHIVE_BENCH_CORE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeFlags, CORE_ENTRY, '--config', configFile, '--state-dir', stateDir, '--runtime-dir', runtimeDir, '--http', options.http ?? 'off'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let httpUrl: string | null = null;
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    httpUrl ??= / http (http:\/\/\S+)/.exec(stderr)?.[1] ?? null;
  });
  const hostSocket = path.join(runtimeDir, 'host.sock');
  const core: BenchCore = {
    dir,
    stateDir,
    runtimeDir,
    hostSocket,
    agentSocket: (name) => path.join(runtimeDir, 'agents', name, 'mcp.sock'),
    child,
    get httpUrl() {
      return httpUrl;
    },
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 15_000;
  while (!(await answers(hostSocket)) || (options.http !== undefined && options.http !== 'off' && httpUrl === null)) {
    if (child.exitCode !== null) {
      await core.stop();
      throw new Error(`hyperhive-core exited with ${child.exitCode} before serving ${hostSocket}:\n${stderr}`);
    }
    if (Date.now() > deadline) {
      await core.stop();
      throw new Error(`hyperhive-core did not serve ${hostSocket} within 15 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return core;
}

/** One raw request line; resolves with the first response line (or rejects). */
export function rawRequest(socketPath: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(line));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl !== -1) {
        socket.destroy();
        resolve(buffer.slice(0, nl));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed before a response')));
  });
}

async function answers(socketPath: string): Promise<boolean> {
  try {
    const line = await rawRequest(socketPath, '{"cmd":"list"}\n');
    return (JSON.parse(line) as { ok?: boolean }).ok === true;
  } catch {
    return false;
  }
}

/** Percentile (0–100) of sorted numbers, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Integer value of `--name N` in argv, or `fallback`. */
export function numberFlag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive integer`);
  return value;
}

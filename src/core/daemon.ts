/**
 * The daemon shell: directories, the single-instance lock, the store, the
 * hive, and its sockets (host.sock, host-ro.sock, one per agent).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openDatabase, type Db } from './store/database.js';
import { Hive } from './hive.js';
import { loadBackendFactory } from './lifecycle/index.js';
import { createLineServer, type Connection } from './servers/line-server.js';
import { handleHostLine } from './servers/host-api.js';
import { handleAgentLine } from './servers/agent-api.js';
import { agentSocketPath, hostSocketPath, readOnlyHostSocketPath, type HiveConfig } from '../protocol/index.js';

export interface DaemonOptions {
  config: HiveConfig;
  stateDir: string;
  runtimeDir: string;
  /** Where the hyperhive-agent entry script is (the process backend runs it). */
  agentEntry: string;
  log?: (message: string) => void;
}

/** A running core. */
export interface Daemon {
  hive: Hive;
  hostSocket: string;
  close(): Promise<void>;
}

/** Start the core; rejects with a sentence for a person when it cannot. */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const log = options.log ?? ((m: string) => process.stderr.write(`hyperhive-core: ${m}\n`));
  const { stateDir, runtimeDir, config } = options;
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o750 });
  fs.mkdirSync(runtimeDir, { recursive: true, mode: 0o751 });
  fs.chmodSync(runtimeDir, 0o751);
  fs.mkdirSync(path.join(runtimeDir, 'agents'), { recursive: true, mode: 0o751 });

  const hostSocket = hostSocketPath(runtimeDir);
  const releaseLock = await acquireLock(runtimeDir, hostSocket);
  let db: Db | undefined;
  try {
    db = openDatabase(path.join(stateDir, 'hyperhive.sqlite'));
    const makeBackend = await loadBackendFactory(config.backend);
    const hive = new Hive({ db, config, stateDir, runtimeDir, agentEntry: options.agentEntry, makeBackend, log });

    const servers: net.Server[] = [];
    const agentServers = new Map<string, { server: net.Server; connections: Set<Connection> }>();
    const allConnections: Set<Connection>[] = [];

    const host = createLineServer((value, conn) => handleHostLine(hive, value, conn, false), { log });
    const hostRo = createLineServer((value, conn) => handleHostLine(hive, value, conn, true), { log });
    await listen(host.server, hostSocket, 0o660);
    if (config.socket_group) chgrp(hostSocket, config.socket_group, log);
    await listen(hostRo.server, readOnlyHostSocketPath(runtimeDir), 0o660);
    if (config.socket_group) chgrp(readOnlyHostSocketPath(runtimeDir), config.socket_group, log);
    servers.push(host.server, hostRo.server);
    allConnections.push(host.connections, hostRo.connections);

    hive.sockets = {
      open: async (name) => {
        if (agentServers.has(name)) return;
        const dir = path.dirname(agentSocketPath(runtimeDir, name));
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const entry = createLineServer((value, conn) => handleAgentLine(hive, name, value, conn), { log });
        await listen(entry.server, agentSocketPath(runtimeDir, name), 0o600);
        agentServers.set(name, entry);
      },
      close: async (name) => {
        const entry = agentServers.get(name);
        if (!entry) return;
        agentServers.delete(name);
        for (const conn of entry.connections) conn.socket.destroy();
        await closeServer(entry.server);
        fs.rmSync(path.dirname(agentSocketPath(runtimeDir, name)), { recursive: true, force: true });
      },
    };
    for (const name of hive.agentNames()) await hive.sockets.open(name);
    hive.startTimers();
    await hive.startAll();

    let closed: Promise<void> | null = null;
    return {
      hive,
      hostSocket,
      close: () =>
        (closed ??= (async () => {
          for (const server of servers) server.close();
          for (const entry of agentServers.values()) entry.server.close();
          await hive.close();
          for (const set of [...allConnections, ...[...agentServers.values()].map((e) => e.connections)]) {
            for (const conn of set) conn.socket.destroy();
          }
          fs.rmSync(hostSocket, { force: true });
          fs.rmSync(readOnlyHostSocketPath(runtimeDir), { force: true });
          for (const name of agentServers.keys()) fs.rmSync(agentSocketPath(runtimeDir, name), { force: true });
          db!.close();
          releaseLock();
        })()),
    };
  } catch (err) {
    db?.close();
    releaseLock();
    throw err;
  }
}

/** Listen on a Unix socket, replacing a stale socket file only after a connect attempt fails. */
async function listen(server: net.Server, socketPath: string, mode: number): Promise<void> {
  if (fs.existsSync(socketPath)) {
    if (await isAlive(socketPath)) throw new Error(`${socketPath} is in use by another process`);
    fs.rmSync(socketPath, { force: true });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  fs.chmodSync(socketPath, mode);
}

function isAlive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createConnection(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function chgrp(file: string, group: string, log: (m: string) => void): void {
  try {
    const entry = execFileSync('getent', ['group', group], { encoding: 'utf8' });
    const gid = Number(entry.split(':')[2]);
    fs.chownSync(file, -1, gid);
  } catch (err) {
    log(`could not give ${file} to group ${group}: ${(err as Error).message}`);
  }
}

/**
 * One core per runtime dir: a lock file holding our pid. A lock whose process
 * is gone, with no live host.sock, is stale and taken over.
 */
async function acquireLock(runtimeDir: string, hostSocket: string): Promise<() => void> {
  const lockFile = path.join(runtimeDir, 'core.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid)) fs.rmSync(lockFile, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (pidAlive(pid) || (fs.existsSync(hostSocket) && (await isAlive(hostSocket)))) {
        throw new Error(`another hyperhive-core (pid ${pid}) is already running on ${runtimeDir}; stop it first or use another --runtime-dir`);
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not take the lock ${lockFile}`);
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

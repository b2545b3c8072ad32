/**
 * The daemon shell: directories, the single-instance lock, the store, the
 * hive, and its sockets (host.sock, host-ro.sock, one per agent).
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from './store/index.js';
import { Hive } from './hive.js';
import { loadBackendFactory } from './lifecycle/index.js';
import { AgentSockets, chgrp, createHostApi, createLineServer, handleAgentLine, isAlive, listen } from './servers/index.js';
import { hostSocketPath, readOnlyHostSocketPath, type HiveConfig } from '../protocol/index.js';

export interface DaemonOptions {
  config: HiveConfig;
  stateDir: string;
  runtimeDir: string;
  /** Where the hyperhive-agent entry script is (the process backend runs it). */
  agentEntry: string;
  /** The core's version, reported in the snapshot. */
  version?: string;
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
    // The agent sockets answer through the hive, which opens them: the handler reaches it once it exists.
    const agentSockets = new AgentSockets(runtimeDir, (name, value, conn) => handleAgentLine(hive, name, value, conn), log);
    const hive: Hive = new Hive({ db, config, stateDir, runtimeDir, agentEntry: options.agentEntry, makeBackend, sockets: agentSockets, version: options.version, log });

    const hostApi = createHostApi(hive);
    const host = createLineServer((value, conn) => hostApi(value, conn, false), { log });
    const hostRo = createLineServer((value, conn) => hostApi(value, conn, true), { log });
    await listen(host.server, hostSocket, 0o660);
    if (config.socket_group) chgrp(hostSocket, config.socket_group, log);
    await listen(hostRo.server, readOnlyHostSocketPath(runtimeDir), 0o660);
    if (config.socket_group) chgrp(readOnlyHostSocketPath(runtimeDir), config.socket_group, log);

    for (const name of hive.agents.agentNames()) await agentSockets.open(name);
    hive.startTimers();
    await hive.lifecycle.startAll();

    let closed: Promise<void> | null = null;
    return {
      hive,
      hostSocket,
      close: () =>
        (closed ??= (async () => {
          host.server.close();
          hostRo.server.close();
          agentSockets.stopListening();
          await hive.close();
          for (const conn of [...host.connections, ...hostRo.connections]) conn.socket.destroy();
          agentSockets.closeAll();
          fs.rmSync(hostSocket, { force: true });
          fs.rmSync(readOnlyHostSocketPath(runtimeDir), { force: true });
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

/**
 * The daemon shell: its directories (checked), the locks on them, the store,
 * the hive, and its sockets (host.sock, host-ro.sock, one per agent).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Checkpointer, FALLBACK_AUTOCHECKPOINT_PAGES, openDatabase, type Db } from './store/index.js';
import { Hive } from './hive.js';
import { loadBackendFactory } from './lifecycle/index.js';
import { AgentSockets, chgrp, createHostApi, createLineServer, handleAgentLine, listen, httpAccess, startHttpServer, type HttpServer } from './servers/index.js';
import { describeFsError, describeStoreError, lockHiveDirs, prepareHiveDirs } from './disk/index.js';
import { hostSocketPath, readOnlyHostSocketPath, type HiveConfig } from '../protocol/index.js';
import type { Clock } from './clock.js';

export interface DaemonOptions {
  config: HiveConfig;
  stateDir: string;
  runtimeDir: string;
  /** Where the hyperhive-agent entry script is (the process backend runs it). */
  agentEntry: string;
  /** The core's version, reported in the snapshot. */
  version?: string;
  /** The HTTP API: where it listens (`HOST:PORT`, `off` for none), the token file that allows writes, and (for tests) the keepalive period. */
  http?: { listen: string; tokenFile?: string; keepaliveMs?: number };
  log?: (message: string) => void;
  /** Wall-clock time for scheduled prompts (tests pass a clock they move). */
  clock?: Clock;
}

/** A running core. */
export interface Daemon {
  hive: Hive;
  hostSocket: string;
  /** `http://HOST:PORT` of the HTTP API, or null when it is off. */
  httpUrl: string | null;
  close(): Promise<void>;
}

/** Start the core; rejects with a sentence for a person when it cannot. */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const log = options.log ?? ((m: string) => process.stderr.write(`hyperhive-core: ${m}\n`));
  const { stateDir, runtimeDir, config } = options;
  // Refuse an unsafe or unreadable HTTP setup before anything is created.
  const httpSetup = options.http && options.http.listen !== 'off' ? httpAccess(options.http.listen, options.http.tokenFile) : null;
  prepareHiveDirs({ stateDir, runtimeDir });
  const releaseLocks = lockHiveDirs({ stateDir, runtimeDir });

  const hostSocket = hostSocketPath(runtimeDir);
  let db: Db | undefined;
  let checkpointer: Checkpointer | null = null;
  let http: HttpServer | null = null;
  try {
    const storeFile = path.join(stateDir, 'hyperhive.sqlite');
    db = openStore(storeFile);
    db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    checkpointer = new Checkpointer(storeFile, log);
    checkpointer.start();
    const makeBackend = await loadBackendFactory(config.backend);
    // The agent sockets answer through the hive, which opens them: the handler reaches it once it exists.
    const agentSockets = new AgentSockets(runtimeDir, (name, value, conn) => handleAgentLine(hive, name, value, conn), log);
    const hive: Hive = new Hive({ db, storeFile, config, stateDir, runtimeDir, agentEntry: options.agentEntry, makeBackend, sockets: agentSockets, version: options.version, log, clock: options.clock });

    await hive.recoverInterruptedApprovals(log);
    await hive.prepareConfigRepos();

    const hostApi = createHostApi(hive);
    const host = createLineServer((value, conn) => hostApi(value, conn, false), { log });
    const hostRo = createLineServer((value, conn) => hostApi(value, conn, true), { log });
    await listenOn(host.server, hostSocket, 0o660);
    if (config.socket_group) chgrp(hostSocket, config.socket_group, log);
    await listenOn(hostRo.server, readOnlyHostSocketPath(runtimeDir), 0o660);
    if (config.socket_group) chgrp(readOnlyHostSocketPath(runtimeDir), config.socket_group, log);
    if (httpSetup) {
      try {
        http = await startHttpServer({
          hive,
          hostApi,
          listen: httpSetup.listen,
          token: httpSetup.token,
          maxStreams: config.http.max_streams,
          ...(options.http?.keepaliveMs !== undefined && { keepaliveMs: options.http.keepaliveMs }),
          log,
        });
      } catch (err) {
        host.server.close();
        hostRo.server.close();
        fs.rmSync(hostSocket, { force: true });
        fs.rmSync(readOnlyHostSocketPath(runtimeDir), { force: true });
        throw err;
      }
    }

    await hive.lifecycle.stopLeftovers();
    for (const name of hive.agents.agentNames()) await agentSockets.open(name);
    hive.startTimers();
    await hive.lifecycle.startAll();

    let closed: Promise<void> | null = null;
    return {
      hive,
      hostSocket,
      httpUrl: http?.url ?? null,
      close: () =>
        (closed ??= (async () => {
          const httpClosed = http?.close();
          host.server.close();
          hostRo.server.close();
          agentSockets.stopListening();
          await hive.close();
          await httpClosed;
          for (const conn of [...host.connections, ...hostRo.connections]) conn.socket.destroy();
          agentSockets.closeAll();
          fs.rmSync(hostSocket, { force: true });
          fs.rmSync(readOnlyHostSocketPath(runtimeDir), { force: true });
          await checkpointer!.close();
          db!.close();
          releaseLocks();
        })()),
    };
  } catch (err) {
    await http?.close();
    await checkpointer?.close();
    db?.close();
    releaseLocks();
    throw err;
  }
}

/** Open the store; a failure names the file and the cause ("no space left on device at …"). */
function openStore(file: string): Db {
  try {
    return openDatabase(file);
  } catch (err) {
    throw new Error(`cannot open the store: ${describeStoreError(err, file)}`, { cause: err });
  }
}

/** Listen on a socket file; a failure names the file and the cause. */
async function listenOn(server: Parameters<typeof listen>[0], socketPath: string, mode: number): Promise<void> {
  try {
    await listen(server, socketPath, mode);
  } catch (err) {
    if (!(err as NodeJS.ErrnoException).code) throw err;
    throw new Error(`cannot listen on ${describeFsError(err, socketPath)}`, { cause: err });
  }
}

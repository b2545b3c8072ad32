/** One socket per agent, `<runtime>/agents/<name>/mcp.sock` (0600): opened when the agent comes, closed when it goes. */
import fs from 'node:fs';
import path from 'node:path';
import type net from 'node:net';
import { agentSocketPath } from '../../protocol/index.js';
import type { AgentSocketRegistry } from '../ports.js';
import { createLineServer, type Connection, type HandlerResult } from './line-server.js';
import { closeServer, listen } from './unix-socket.js';
import { AGENT_SOCKET_CONNECTIONS, ConnectionBudget, agentConnectionBudget } from './connection-limits.js';
import { ensurePrivateDir } from '../disk/index.js';

/** Answers one line that came in on `agent`'s socket. */
export type AgentLineHandler = (agent: string, value: unknown, conn: Connection) => Promise<HandlerResult>;

export class AgentSockets implements AgentSocketRegistry {
  private readonly servers = new Map<string, { server: net.Server; connections: Set<Connection> }>();
  /** All agent sockets together hold at most half the process's descriptors; each at most a few dozen. */
  private readonly budget = new ConnectionBudget(agentConnectionBudget());

  constructor(
    private readonly runtimeDir: string,
    private readonly handle: AgentLineHandler,
    private readonly log: (message: string) => void,
  ) {}

  /** Listen on `name`'s socket; on failure nothing is left behind (no listener, no socket dir) and the error says why. */
  async open(name: string): Promise<void> {
    if (this.servers.has(name)) return;
    const socketPath = agentSocketPath(this.runtimeDir, name);
    const dir = path.dirname(socketPath);
    const dirExisted = fs.existsSync(dir);
    const entry = createLineServer((value, conn) => this.handle(name, value, conn), {
      log: this.log,
      maxConnections: AGENT_SOCKET_CONNECTIONS,
      budget: this.budget,
      label: `${name}'s socket`,
    });
    try {
      // Never bind through a link: a swapped-in dir would put the socket where someone else chose.
      ensurePrivateDir(dir, 0o700);
      await listen(entry.server, socketPath, 0o600);
    } catch (err) {
      entry.server.close();
      if (!dirExisted) fs.rmSync(dir, { recursive: true, force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EMFILE' || code === 'ENFILE') {
        throw new Error(`cannot open ${socketPath}: the core is out of file descriptors (${code}); close some connections and try again`);
      }
      throw err;
    }
    this.servers.set(name, entry);
  }

  async close(name: string): Promise<void> {
    const entry = this.servers.get(name);
    if (!entry) return;
    this.servers.delete(name);
    for (const conn of entry.connections) conn.socket.destroy();
    await closeServer(entry.server);
    fs.rmSync(path.dirname(agentSocketPath(this.runtimeDir, name)), { recursive: true, force: true });
  }

  /** Stop accepting on every agent socket (shutdown, first step). */
  stopListening(): void {
    for (const entry of this.servers.values()) entry.server.close();
  }

  /** Drop every connection and socket file (shutdown, last step). */
  closeAll(): void {
    for (const [name, entry] of this.servers) {
      for (const conn of entry.connections) conn.socket.destroy();
      fs.rmSync(agentSocketPath(this.runtimeDir, name), { force: true });
    }
  }
}

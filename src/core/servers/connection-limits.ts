/**
 * How many connections the core accepts, so no client can take the file
 * descriptors the rest of the hive needs: every socket has a cap, all agent
 * sockets together share half the process's descriptors, and the rest stays
 * for the operator's sockets, the store, listeners and the agents' pipes.
 */
import fs from 'node:fs';

/** Connections one agent's socket takes at once (its harness needs a handful; its MCP server one per claude run). */
export const AGENT_SOCKET_CONNECTIONS = 48;
/** A connection that has not sent a whole request within this long is closed. */
export const FIRST_REQUEST_TIMEOUT_MS = 10_000;

/** The process's open-file limit (soft RLIMIT_NOFILE, which Node raises to the hard limit at start). */
export function openFileLimit(): number {
  try {
    const limits = fs.readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
    if (soft === 'unlimited') return 1 << 20;
    if (soft) return Number(soft);
  } catch {
    // not Linux: assume the common default
  }
  return 1024;
}

/** Connections all agent sockets together may hold: half the descriptors. */
export function agentConnectionBudget(limit: number = openFileLimit()): number {
  return Math.max(AGENT_SOCKET_CONNECTIONS, Math.floor(limit / 2));
}

/** Connections one operator socket (host.sock, host-ro.sock) may hold: 15% of the descriptors, 16 to 1024. */
export function operatorSocketConnections(limit: number = openFileLimit()): number {
  return Math.min(1024, Math.max(16, Math.floor(limit * 0.15)));
}

/** A count of connections shared by several sockets. */
export class ConnectionBudget {
  private used = 0;

  constructor(readonly max: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Take one; false when none is left. */
  take(): boolean {
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }

  give(): void {
    this.used = Math.max(0, this.used - 1);
  }
}

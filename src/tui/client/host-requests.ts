/**
 * The console's requests to the core: one shared connection, answers in
 * request order, mutations stamped with who is acting, and every failure
 * returned as a sentence for the operator (never thrown).
 */
import os from 'node:os';
import fs from 'node:fs';
import { CLIENT_PROTOCOL_VERSION, JsonlConnection } from '../../protocol/light.js';
import type { HostRequest } from '../../protocol/index.js';
import { loadSchemas } from './schemas.js';

/** What a request to the core came back with, for the operator. */
export type RequestOutcome = { ok: true; response: Record<string, unknown> } | { ok: false; error: string };

/** Who is acting, stored by the core with each mutation (audit). */
export function describeActor(): string {
  let tty = process.env.SSH_TTY ?? '';
  if (!tty) {
    try {
      tty = fs.readlinkSync('/proc/self/fd/0');
    } catch {
      tty = 'notty';
    }
  }
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `${user}@${os.hostname()} ${tty}`.slice(0, 256);
}

/** Where the console's requests go: the host socket, or the HTTP API. */
export interface RequestChannel {
  request(request: HostRequest): Promise<RequestOutcome>;
  close(): void;
}

/** A response from the core as an outcome for the operator. */
export function outcomeOf(response: Record<string, unknown>): RequestOutcome {
  if (response.version !== CLIENT_PROTOCOL_VERSION) return { ok: false, error: `incompatible core (protocol ${String(response.version)})` };
  if (response.ok !== true) return { ok: false, error: typeof response.error === 'string' ? response.error : 'the core refused the request' };
  return { ok: true, response };
}

/** Requests over one connection to the host socket, opened on first use and again after it drops. */
export class HostRequests implements RequestChannel {
  private conn: Promise<JsonlConnection> | null = null;
  private readonly actor = describeActor();

  constructor(private readonly socketPath: string) {}

  /** Send one request; mutations carry the actor. */
  async request(request: HostRequest): Promise<RequestOutcome> {
    const { READ_ONLY_HOST_CMDS } = await loadSchemas();
    // A recap is read for someone: whose last look it starts from.
    const stamped = !READ_ONLY_HOST_CMDS.has(request.cmd) || request.cmd === 'recap';
    const message = stamped ? { ...request, actor: this.actor } : request;
    let conn: JsonlConnection;
    try {
      this.conn ??= JsonlConnection.connect(this.socketPath, { timeoutMs: 3000 }).then((c) => {
        c.on('close', () => {
          this.conn = null;
        });
        return c;
      });
      conn = await this.conn;
    } catch (err) {
      this.conn = null;
      return { ok: false, error: (err as Error).message };
    }
    try {
      return outcomeOf(await withTimeout(conn.request(message), 15_000, `no answer from the core within 15 s`));
    } catch (err) {
      conn.close();
      this.conn = null;
      return { ok: false, error: (err as Error).message };
    }
  }

  close(): void {
    void this.conn?.then((c) => c.close()).catch(() => undefined);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

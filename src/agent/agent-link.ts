/**
 * The harness's side of its agent socket: a request connection, a separate
 * long-poll connection for `recv` (a pending recv would hold up every other
 * answer on a shared connection), and the `control` subscription.
 */
import { JsonlConnection, type AgentRequest, type ControlMessage } from '../protocol/index.js';
import { ControlAck, ControlMessage as ControlMessageSchema, InboxMessage } from '../protocol/index.js';

/** A decoded response: `ok` plus whatever fields the verb answers with. */
export type AgentResponse = { ok: boolean; error?: string; code?: string } & Record<string, unknown>;

/** Sends one request to the agent socket. */
export type AgentCall = (request: AgentRequest) => Promise<AgentResponse>;

/** Lazily connected, reconnect-on-use connections to one agent socket. */
export class AgentLink {
  private rpc: JsonlConnection | null = null;
  private poll: JsonlConnection | null = null;
  private control: JsonlConnection | null = null;
  private closed = false;

  constructor(readonly socketPath: string) {}

  /** Send one request on the request connection. Rejects only when the socket cannot be reached. */
  async call(request: AgentRequest, timeoutMs = 15_000): Promise<AgentResponse> {
    const conn = await this.connection('rpc');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Answers come back in order: after a lost one, the connection cannot be trusted.
        conn.close();
        reject(new Error(`no answer to ${request.cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return (await Promise.race([conn.request(request), timeout])) as AgentResponse;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Long-poll the inbox. */
  async recv(waitMs: number, max = 1): Promise<InboxMessage[]> {
    const conn = await this.connection('poll');
    const res = (await conn.request({ cmd: 'recv', wait_ms: waitMs, max })) as AgentResponse;
    if (!res.ok) throw new Error(`recv refused: ${res.error ?? 'unknown error'}`);
    const raw = Array.isArray(res.messages) ? res.messages : [];
    const out: InboxMessage[] = [];
    for (const m of raw) {
      const parsed = InboxMessage.safeParse(m);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  /**
   * Open the control subscription. Resolves with the ack once the core took
   * it; `onMessage` gets each control line, `onClose` fires once when it drops.
   */
  async subscribeControl(onMessage: (m: ControlMessage) => void, onClose: () => void): Promise<ControlAck> {
    const conn = await JsonlConnection.connect(this.socketPath, { timeoutMs: 5000 });
    const ack = await conn.request({ cmd: 'control' });
    const parsed = ControlAck.safeParse(ack);
    if (!parsed.success) {
      conn.close();
      throw new Error(`control subscription refused: ${(ack as AgentResponse).error ?? 'unexpected answer'}`);
    }
    this.control = conn;
    conn.on('line', (line) => {
      const m = ControlMessageSchema.safeParse(line);
      if (m.success) onMessage(m.data);
    });
    conn.once('close', () => {
      if (this.control === conn) this.control = null;
      onClose();
    });
    return parsed.data;
  }

  /** Drop every connection (a pending recv rejects). */
  close(): void {
    this.closed = true;
    for (const c of [this.rpc, this.poll, this.control]) c?.close();
    this.rpc = this.poll = this.control = null;
  }

  private async connection(which: 'rpc' | 'poll'): Promise<JsonlConnection> {
    if (this.closed) throw new Error('agent link is closed');
    const existing = this[which];
    if (existing && !existing.isClosed) return existing;
    const conn = await JsonlConnection.connect(this.socketPath, { timeoutMs: 5000 });
    this[which] = conn;
    return conn;
  }
}

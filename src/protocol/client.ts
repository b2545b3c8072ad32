/**
 * A JSON-lines client over a Unix socket: in-order request/response, and
 * subscriptions (an ack, then a stream of event lines). Used by the ctl, the
 * TUI, the harness, the MCP server and the tests.
 */
import net from 'node:net';
import { EventEmitter } from 'node:events';
import { LineSplitter, MAX_LINE_BYTES, decodeLine, encodeLine } from './jsonl.js';

/** Why a connection could not be made, as a sentence for a person. */
export function describeConnectError(socketPath: string, err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return `no hive at ${socketPath} — is hyperhive-core running?`;
    case 'ECONNREFUSED':
      return `nothing is listening on ${socketPath} — hyperhive-core may have stopped`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${socketPath} — are you in the socket's group?`;
    default:
      return `cannot connect to ${socketPath}: ${err.message}`;
  }
}

/** A connect failure carrying the person-readable sentence. */
export class ConnectError extends Error {
  constructor(
    readonly socketPath: string,
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(describeConnectError(socketPath, cause));
    this.name = 'ConnectError';
  }
}

/**
 * The answer to a request could not be read: a line over the cap (skipped
 * whole) or not a JSON object. The connection stays in step: the next line
 * answers the next request.
 */
export class UnreadableAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableAnswerError';
  }
}

type Waiter = { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void };

/**
 * One connection. `request()` sends a line and resolves with the next
 * response (responses come back in request order). After a subscription's
 * ack, every further line is emitted as `'line'`. `'close'` fires once. A
 * line over the cap or not a JSON object is skipped and said on `'bad_line'`;
 * when a request was waiting, it was that request's answer, and the request
 * rejects with an `UnreadableAnswerError` (never with the following line).
 */
export class JsonlConnection extends EventEmitter<{ line: [Record<string, unknown>]; close: [Error | null]; bad_line: [string] }> {
  private readonly splitter: LineSplitter;
  private readonly maxLineBytes: number;
  private readonly waiters: Waiter[] = [];
  private closed = false;
  private closeError: Error | null = null;
  /** Lines that arrived before anyone listened (e.g. events right behind a subscription's ack). */
  private backlog: Record<string, unknown>[] = [];

  private constructor(
    readonly socket: net.Socket,
    maxLineBytes: number,
  ) {
    super();
    this.maxLineBytes = maxLineBytes;
    this.splitter = new LineSplitter(maxLineBytes);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.closeError = err;
    });
    socket.on('close', () => this.onClose());
    (this as EventEmitter).on('newListener', (event: string | symbol) => {
      if (event !== 'line' || this.backlog.length === 0) return;
      queueMicrotask(() => {
        const held = this.backlog;
        this.backlog = [];
        for (const line of held) this.emit('line', line);
      });
    });
  }

  /** Connect to `socketPath`; rejects with a `ConnectError` whose message is for a person. */
  static connect(socketPath: string, options: { maxLineBytes?: number; timeoutMs?: number } = {}): Promise<JsonlConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath);
      const timer = options.timeoutMs
        ? setTimeout(() => {
            socket.destroy();
            reject(new ConnectError(socketPath, Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })));
          }, options.timeoutMs)
        : null;
      socket.once('connect', () => {
        if (timer) clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new JsonlConnection(socket, options.maxLineBytes ?? MAX_LINE_BYTES));
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        reject(new ConnectError(socketPath, err));
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Send one request; resolves with its response (whatever `ok` says). */
  request<T extends Record<string, unknown> = Record<string, unknown>>(message: object): Promise<T> {
    if (this.closed) return Promise.reject(this.closeError ?? new Error('connection is closed'));
    return new Promise<T>((resolve, reject) => {
      this.waiters.push({ resolve: resolve as Waiter['resolve'], reject });
      this.socket.write(encodeLine(message));
    });
  }

  /** Send a line without waiting for anything. */
  send(message: object): void {
    if (!this.closed) this.socket.write(encodeLine(message));
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    for (const piece of this.splitter.push(chunk)) {
      if (piece.kind === 'overflow') {
        this.skip(`a line from the core is larger than the ${this.maxLineBytes} byte limit; it was skipped`);
        continue;
      }
      const decoded = decodeLine(piece.line);
      if (!decoded.ok || typeof decoded.value !== 'object' || decoded.value === null || Array.isArray(decoded.value)) {
        this.skip(`a line from the core is not a JSON object; it was skipped: ${JSON.stringify(piece.line.slice(0, 120))}`);
        continue;
      }
      const value = decoded.value as Record<string, unknown>;
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve(value);
      else if (this.listenerCount('line') === 0 || this.backlog.length > 0) this.backlog.push(value);
      else this.emit('line', value);
    }
  }

  /** A line that cannot be used: said on `bad_line`, and the waiting request (whose answer it was) fails. */
  private skip(reason: string): void {
    this.emit('bad_line', reason);
    this.waiters.shift()?.reject(new UnreadableAnswerError(reason));
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    const err = this.closeError ?? new Error('connection closed by the core');
    for (const w of this.waiters.splice(0)) w.reject(err);
    this.emit('close', this.closeError);
  }
}

/** One-shot request: connect, send, read one response, close (hivectl's model). */
export async function requestOnce<T extends Record<string, unknown> = Record<string, unknown>>(
  socketPath: string,
  message: object,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  const conn = await JsonlConnection.connect(socketPath, { timeoutMs: options.timeoutMs ?? 5000 });
  try {
    const timeoutMs = options.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from ${socketPath} within ${timeoutMs} ms`)), timeoutMs);
    });
    return await Promise.race([conn.request<T>(message), timeout]).finally(() => clearTimeout(timer));
  } finally {
    conn.close();
  }
}

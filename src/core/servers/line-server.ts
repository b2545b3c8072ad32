/**
 * JSON-lines request server over a Unix socket: a hard line cap (an oversize
 * line is answered and the connection closed), a bad line answered while the
 * connection stays usable, requests handled one at a time so responses keep
 * request order, and reading paused while responses are not being read.
 * Connections are capped per socket (and optionally against a budget shared
 * with other sockets); one that sends no whole request within 10 s is closed.
 */
import net from 'node:net';
import { LineSplitter, MAX_LINE_BYTES, decodeLine, encodeLine, errorResponse } from '../../protocol/index.js';
import { FIRST_REQUEST_TIMEOUT_MS, operatorSocketConnections, type ConnectionBudget } from './connection-limits.js';

/** A pre-serialized JSON response: a string without its newline, or a Buffer holding the whole line. */
export class RawJson {
  constructor(readonly json: string | Buffer) {}
}

/** What a handler returns: a response, raw JSON, or null when it took the connection over (a subscription). */
export type HandlerResult = object | RawJson | null;

/** One client connection. */
export class Connection {
  /** Set by a handler that turned this connection into a subscription: no further requests are read. */
  subscribed = false;
  private closedFlag = false;
  private readonly queue: string[] = [];
  private busy = false;
  private readonly splitter: LineSplitter;
  private readonly maxLineBytes: number;
  /** Closes a connection that never sends a whole request; cleared by the first one. */
  private firstRequestTimer: NodeJS.Timeout | null;

  constructor(
    readonly socket: net.Socket,
    private readonly handle: (value: unknown, conn: Connection) => Promise<HandlerResult> | HandlerResult,
    maxLineBytes: number,
    private readonly log: (message: string) => void,
    firstRequestTimeoutMs: number = FIRST_REQUEST_TIMEOUT_MS,
  ) {
    this.maxLineBytes = maxLineBytes;
    this.splitter = new LineSplitter(maxLineBytes);
    this.firstRequestTimer = setTimeout(() => {
      this.socket.end(encodeLine(errorResponse(`no request within ${firstRequestTimeoutMs / 1000} s of connecting; closing the connection`, 'bad_request')));
      this.subscribed = true; // read nothing more
      setTimeout(() => this.socket.destroy(), 1000).unref();
    }, firstRequestTimeoutMs);
    this.firstRequestTimer.unref();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closedFlag = true;
      this.queue.length = 0;
      this.clearFirstRequestTimer();
    });
  }

  private clearFirstRequestTimer(): void {
    if (this.firstRequestTimer) clearTimeout(this.firstRequestTimer);
    this.firstRequestTimer = null;
  }

  get closed(): boolean {
    return this.closedFlag || this.socket.destroyed;
  }

  /** Write one response object. */
  write(value: object): void {
    if (!this.closed) this.socket.write(encodeLine(value));
  }

  private onData(chunk: Buffer): void {
    if (this.subscribed) return; // a subscribed connection reads no further requests
    for (const piece of this.splitter.push(chunk)) {
      if (piece.kind === 'overflow') {
        this.queue.length = 0;
        this.socket.end(encodeLine(errorResponse(`request line is larger than the ${this.maxLineBytes} byte limit; closing the connection`, 'too_large')));
        this.subscribed = true; // read nothing more
        setTimeout(() => this.socket.destroy(), 1000).unref();
        return;
      }
      this.queue.push(piece.line);
      this.clearFirstRequestTimer();
    }
    if (this.queue.length > 64) this.socket.pause();
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.closed && !this.subscribed) {
        const line = this.queue.shift()!;
        await this.handleLine(line);
        if (this.socket.writableLength > 4 * 1024 * 1024 && !this.closed) {
          await new Promise<void>((resolve) => {
            const done = () => {
              this.socket.off('drain', done);
              this.socket.off('close', done);
              resolve();
            };
            this.socket.on('drain', done);
            this.socket.on('close', done);
          });
        }
        if (this.queue.length < 16 && this.socket.isPaused()) this.socket.resume();
      }
    } finally {
      this.busy = false;
      if (this.socket.isPaused() && !this.closed) this.socket.resume();
    }
  }

  private async handleLine(line: string): Promise<void> {
    const decoded = decodeLine(line);
    if (!decoded.ok) {
      this.write(errorResponse(decoded.error, 'bad_request'));
      return;
    }
    let result: HandlerResult;
    try {
      result = await this.handle(decoded.value, this);
    } catch (err) {
      this.log(`internal error handling a request: ${(err as Error).stack ?? err}`);
      result = errorResponse(`internal error: ${(err as Error).message}`, 'unavailable');
    }
    if (result === null || this.closed) return;
    const answer = result instanceof RawJson ? (typeof result.json === 'string' ? result.json + '\n' : result.json) : encodeLine(result);
    // No line leaves the core over the cap: an answer that would is refused instead (lists page with before/limit).
    const bytes = typeof answer === 'string' ? Buffer.byteLength(answer) : answer.length;
    if (bytes - 1 > this.maxLineBytes) {
      const cmd = typeof (decoded.value as { cmd?: unknown }).cmd === 'string' ? (decoded.value as { cmd: string }).cmd.slice(0, 64) : 'this request';
      this.log(`an answer to ${cmd} of ${bytes} bytes was over the line cap and was refused`);
      this.write(errorResponse(`the answer to ${cmd} would be ${bytes} bytes, over the ${this.maxLineBytes} byte line limit; ask for less (a smaller limit, or page with before)`, 'too_large'));
      return;
    }
    this.socket.write(answer);
  }
}

/** Options of a line server. */
export interface LineServerOptions {
  log: (message: string) => void;
  maxLineBytes?: number;
  /** Connections this socket holds at once (default: a share of the process's descriptors for an operator socket). */
  maxConnections?: number;
  /** A budget shared with other sockets, taken once per connection. */
  budget?: ConnectionBudget;
  /** What the socket is called in refusals and logs. */
  label?: string;
  firstRequestTimeoutMs?: number;
}

/** A server that hands every line to `handle`; the caller listens on it. */
export function createLineServer(
  handle: (value: unknown, conn: Connection) => Promise<HandlerResult> | HandlerResult,
  options: LineServerOptions,
): { server: net.Server; connections: Set<Connection> } {
  const connections = new Set<Connection>();
  const maxConnections = options.maxConnections ?? operatorSocketConnections();
  const label = options.label ?? 'this socket';
  let refusalsLogged = 0;
  const server = net.createServer((socket) => {
    const full = connections.size >= maxConnections;
    if (full || (options.budget && !options.budget.take())) {
      // Refused at once, with a sentence: the descriptor is given back right away.
      const why = full ? `${label} already has ${maxConnections} connections` : `the core's connections for agents are all in use (${options.budget!.max})`;
      if (refusalsLogged++ % 1000 === 0) options.log(`refused a connection to ${label}: ${why}`);
      socket.on('error', () => {});
      socket.end(encodeLine(errorResponse(`${why}; close some and try again`, 'unavailable')), () => socket.destroy());
      return;
    }
    const conn = new Connection(socket, handle, options.maxLineBytes ?? MAX_LINE_BYTES, options.log, options.firstRequestTimeoutMs);
    connections.add(conn);
    socket.once('close', () => {
      connections.delete(conn);
      options.budget?.give();
    });
  });
  // Accepting can fail (EMFILE when the process is out of descriptors): that one connection is lost, the server goes on.
  let errorsLogged = 0;
  server.on('error', (err) => {
    if (errorsLogged++ % 1000 === 0) options.log(`${label}: ${(err as Error).message}`);
  });
  return { server, connections };
}

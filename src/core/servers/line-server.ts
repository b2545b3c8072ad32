/**
 * JSON-lines request server over a Unix socket: a hard line cap (an oversize
 * line is answered and the connection closed), a bad line answered while the
 * connection stays usable, requests handled one at a time so responses keep
 * request order, and reading paused while responses are not being read.
 */
import net from 'node:net';
import { LineSplitter, MAX_LINE_BYTES, decodeLine, encodeLine, errorResponse } from '../../protocol/index.js';

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

  constructor(
    readonly socket: net.Socket,
    private readonly handle: (value: unknown, conn: Connection) => Promise<HandlerResult> | HandlerResult,
    maxLineBytes: number,
    private readonly log: (message: string) => void,
  ) {
    this.maxLineBytes = maxLineBytes;
    this.splitter = new LineSplitter(maxLineBytes);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closedFlag = true;
      this.queue.length = 0;
    });
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

/** Listen on `socketPath` and hand every line to `handle`. */
export function createLineServer(
  handle: (value: unknown, conn: Connection) => Promise<HandlerResult> | HandlerResult,
  options: { maxLineBytes?: number; log: (message: string) => void },
): { server: net.Server; connections: Set<Connection> } {
  const connections = new Set<Connection>();
  const server = net.createServer((socket) => {
    const conn = new Connection(socket, handle, options.maxLineBytes ?? MAX_LINE_BYTES, options.log);
    connections.add(conn);
    socket.on('close', () => connections.delete(conn));
  });
  return { server, connections };
}

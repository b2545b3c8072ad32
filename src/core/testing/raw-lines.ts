/** Test support: raw lines from a socket, to measure what the core really sends. */
import net from 'node:net';

/** A connection that collects every line the peer sends, as raw strings. */
export interface RawConnection {
  socket: net.Socket;
  /** Complete lines so far (without their newline). */
  lines: string[];
  /** Bytes of an unfinished line still held. */
  pendingBytes(): number;
  closed(): boolean;
  send(line: string): void;
  close(): void;
}

/** Connect to `socketPath` and collect every line it sends. */
export function rawConnect(socketPath: string): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const lines: string[] = [];
    let held: Buffer[] = [];
    let heldBytes = 0;
    let closed = false;
    socket.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        held.push(chunk.subarray(start, nl));
        lines.push(Buffer.concat(held).toString('utf8'));
        held = [];
        heldBytes = 0;
        start = nl + 1;
      }
      if (start < chunk.length) {
        held.push(chunk.subarray(start));
        heldBytes += chunk.length - start;
      }
    });
    socket.on('close', () => (closed = true));
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        lines,
        pendingBytes: () => heldBytes,
        closed: () => closed,
        send: (line) => void socket.write(line.endsWith('\n') ? line : `${line}\n`),
        close: () => socket.destroy(),
      }),
    );
  });
}

/** One request line on a fresh connection; resolves with the raw answer line. */
export async function rawRequest(socketPath: string, request: object): Promise<string> {
  const conn = await rawConnect(socketPath);
  try {
    conn.send(JSON.stringify(request));
    const deadline = Date.now() + 30_000;
    while (conn.lines.length === 0) {
      if (conn.closed()) throw new Error(`the core closed the connection without answering ${JSON.stringify(request).slice(0, 80)}`);
      if (Date.now() > deadline) throw new Error('no answer within 30 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    return conn.lines[0]!;
  } finally {
    conn.close();
  }
}

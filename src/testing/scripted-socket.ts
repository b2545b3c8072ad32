/**
 * Test helper: a Unix-socket server speaking JSON lines whose answers a test
 * scripts, for client behaviour the real core does not produce on demand
 * (a line in the same chunk as the ack, another protocol version, a resync).
 */
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One client connection as the script sees it. */
export interface ScriptedConnection {
  /** The request lines received so far on this connection. */
  readonly requests: Record<string, unknown>[];
  /** Write these values as lines in one chunk. */
  write(...values: object[]): void;
  /** Close the connection from the server's side. */
  end(): void;
}

/** A running scripted server. */
export interface ScriptedSocket {
  path: string;
  /** Every request line received, across connections, in order. */
  readonly requests: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Listen on a fresh socket in a temp dir; `onRequest` answers each request line. */
export async function scriptedSocket(onRequest: (request: Record<string, unknown>, conn: ScriptedConnection, index: number) => void): Promise<ScriptedSocket> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-scripted-'));
  const socketPath = path.join(dir, 'host.sock');
  const all: Record<string, unknown>[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const conn: ScriptedConnection = {
      requests: [],
      write: (...values) => {
        if (!socket.destroyed) socket.write(values.map((v) => `${JSON.stringify(v)}\n`).join(''));
      },
      end: () => socket.end(),
    };
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const request = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>;
        buffered = buffered.slice(nl + 1);
        conn.requests.push(request);
        all.push(request);
        onRequest(request, conn, all.length - 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    path: socketPath,
    requests: all,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The HTTP API (Node's `http`): snapshots and history as JSON, the event
 * channels as server-sent events, and token-authorised decisions. Every
 * route is a host-socket verb underneath (`http-routes.ts`), answered by the
 * same handler and in the same envelope. Safe by default: the `Host` header
 * is checked, no CORS headers are sent, bodies are capped, slow or idle
 * clients are timed out and open streams are capped.
 */
import http from 'node:http';
import type { Hive } from '../hive.js';
import type { HostLineHandler } from './host-api.js';
import { RawJson } from './line-server.js';
import { HttpProblem, routeRequest, statusOf, type RouteAction } from './http-routes.js';
import { bearerToken, hostAllowed, isLoopback, tokenMatches, type ListenAddress } from './http-access.js';
import { EventStreams } from './http-streams.js';
import { errorResponse, MAX_BODY_BYTES } from '../../protocol/index.js';

/** Largest request body (a deny note, an answer) the server reads. */
export const MAX_HTTP_BODY_BYTES = MAX_BODY_BYTES;

/** Settings of the HTTP server. */
export interface HttpServerOptions {
  hive: Hive;
  hostApi: HostLineHandler;
  listen: ListenAddress;
  /** The bearer token that allows writes; null = read-only over HTTP. */
  token: string | null;
  log(message: string): void;
  /** Between `: keepalive` comments on open streams (15 s). */
  keepaliveMs?: number;
  /** Open streams at most (256); more are refused with 503. */
  maxStreams?: number;
}

/** A listening HTTP server. */
export interface HttpServer {
  /** `http://HOST:PORT` as bound (the port filled in when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  /** Streams open now. */
  streamCount(): number;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

/** Start listening; rejects with a sentence when the address cannot be taken. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { hive, hostApi, token, log } = options;
  const loopback = isLoopback(options.listen.host);
  let bound: ListenAddress = options.listen;
  const maxStreams = options.maxStreams ?? 256;
  const streams = new EventStreams(hive, { keepaliveMs: options.keepaliveMs ?? 15_000, maxStreams });

  const server = http.createServer({ noDelay: true }, (req, res) => {
    void handle(req, res).catch((err: unknown) => {
      log(`internal error answering ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) sendJson(res, 500, errorResponse(`internal error: ${(err as Error).message}`, 'unavailable'));
      else res.destroy();
    });
  });
  // Slow or idle clients: headers within 10 s, a whole request within 30 s, idle keep-alive for 5 s, no socket silent for 2 min.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.timeout = 120_000;
  server.maxConnections = maxStreams + 64;
  server.maxHeadersCount = 64;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      if (!hostAllowed(req.headers.host, bound, hive.config.domain)) {
        throw new HttpProblem(403, `the Host header ${JSON.stringify((req.headers.host ?? '').slice(0, 100))} does not name this server (${hostPort(bound)})`);
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const lastEventId = header(req, 'last-event-id');
      const action = routeRequest(req.method ?? 'GET', url.pathname, url.searchParams, lastEventId);
      authorize(req, action);
      switch (action.kind) {
        case 'read':
          return answer(res, await hostApi(action.request, null, true));
        case 'write': {
          const fields = parseBody(await readBody(req), action.bodyFields, url.pathname);
          return answer(res, await hostApi({ ...action.request, ...fields, actor: actorOf(req) }, null, false));
        }
        case 'dashboard_stream':
        case 'agent_stream':
          return streams.open(res, action);
      }
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      const headers: Record<string, string> = { ...err.headers };
      if (err.status === 413) headers.Connection = 'close';
      sendJson(res, err.status, errorResponse(err.message, err.code), headers);
      if (err.status === 413) res.once('finish', () => req.socket.destroy());
    }
  }

  /** Writes need the token (and a token file at all); off loopback every request does. A wrong token is refused wherever it is shown. */
  function authorize(req: http.IncomingMessage, action: RouteAction): void {
    const write = action.kind === 'write';
    if (write && token === null) {
      throw new HttpProblem(405, 'this core takes no decisions over HTTP: start it with a token file (http.token_file in the config, or --http-token-file) to approve and answer here', 'forbidden');
    }
    const presented = bearerToken(header(req, 'authorization'));
    if (presented === undefined) throw new HttpProblem(401, 'the Authorization header must read "Bearer <token>"', 'forbidden', { 'WWW-Authenticate': 'Bearer' });
    if (presented !== null && token !== null && !tokenMatches(presented, token)) throw new HttpProblem(403, 'the bearer token is not this core\'s', 'forbidden');
    if (presented === null && (write || !loopback)) {
      throw new HttpProblem(401, write ? 'approving and answering need "Authorization: Bearer <token>"' : 'this core listens beyond loopback: every request needs "Authorization: Bearer <token>"', 'forbidden', {
        'WWW-Authenticate': 'Bearer',
      });
    }
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the address is in use (another core, or another program)' : err.code === 'EACCES' ? 'permission denied (a port below 1024 needs privileges)' : err.code === 'EADDRNOTAVAIL' ? 'this machine has no such address' : err.message;
      reject(new Error(`cannot serve HTTP on ${hostPort(options.listen)}: ${why}; change http.listen or --http (off disables it)`));
    };
    server.once('error', onError);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => log(`http: ${err.message}`));
  const address = server.address();
  if (address && typeof address === 'object') bound = { host: options.listen.host, port: address.port };

  let closed: Promise<void> | null = null;
  return {
    url: `http://${hostPort(bound)}`,
    port: bound.port,
    streamCount: () => streams.count,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        streams.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function hostPort(address: ListenAddress): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Who acted, for the audit: the client's address (never a field of the request). */
function actorOf(req: http.IncomingMessage): string {
  return `http:${(req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '')}`;
}

function sendJson(res: http.ServerResponse, status: number, body: object | string | Buffer, headers: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { ...JSON_HEADERS, 'Content-Length': String(Buffer.byteLength(bytes)), ...headers });
  res.end(bytes);
}

/** Send a host-socket answer with the HTTP status its code maps to. */
function answer(res: http.ServerResponse, result: object | RawJson | null): void {
  if (result === null) throw new Error('a host request took a connection over HTTP');
  if (result instanceof RawJson) return sendJson(res, 200, result.json);
  sendJson(res, statusOf(result as { ok?: unknown; code?: unknown }), result);
}

/** The request body, at most MAX_HTTP_BODY_BYTES. */
async function readBody(req: http.IncomingMessage): Promise<string> {
  const tooLarge = () => new HttpProblem(413, `the request body is larger than ${MAX_HTTP_BODY_BYTES / 1024} KiB`);
  if (Number(req.headers['content-length']) > MAX_HTTP_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_HTTP_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON object with at most `fields` (an empty body is `{}`); anything else is a 400 with a sentence. */
function parseBody(text: string, fields: readonly string[], path: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpProblem(400, `the request body is not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpProblem(400, 'the request body must be a JSON object');
  const extra = Object.keys(value).filter((k) => !fields.includes(k));
  if (extra.length) {
    throw new HttpProblem(400, `POST ${path.slice(0, 200)} takes ${fields.length ? fields.map((f) => `"${f}"`).join(', ') : 'no fields'}, not ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`);
  }
  return value as Record<string, unknown>;
}

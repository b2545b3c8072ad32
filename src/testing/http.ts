/**
 * Test helpers for the core's HTTP API at the level of a person with curl:
 * one request with any headers (the Host header included) and its status,
 * headers and JSON; an event stream read frame by frame.
 */
import http from 'node:http';

/** One HTTP exchange as seen on the wire. */
export interface HttpExchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body as JSON, or undefined when it is not. */
  json: Record<string, unknown> | undefined;
}

/** Send one request to `base` + `path`; `headers` may set Host, Authorization, anything. */
export function httpCall(base: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<HttpExchange> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: { ...options.headers, ...(options.body !== undefined && { 'Content-Length': String(Buffer.byteLength(options.body)) }) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** One server-sent event (or comment) as parsed from the stream. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  /** `: keepalive` and other comment lines. */
  comment?: string;
}

/** Split stream text into frames (blank-line separated); the unfinished tail is left out. */
export function parseSseFrames(text: string): SseFrame[] {
  const blocks = text.split('\n\n');
  blocks.pop();
  return blocks.map((block) => {
    const frame: SseFrame = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) frame.comment = line.slice(1).trim();
      else {
        const i = line.indexOf(':');
        const field = i === -1 ? line : line.slice(0, i);
        const value = i === -1 ? '' : line.slice(i + 1).replace(/^ /, '');
        if (field === 'id' || field === 'event' || field === 'data' || field === 'retry') frame[field] = value;
      }
    }
    return frame;
  });
}

/** An open event stream read as raw text. */
export interface SseReader {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Everything received so far. */
  text(): string;
  frames(): SseFrame[];
  /** Event frames (not comments) whose `data` is JSON, parsed. */
  events(): Array<{ id?: string; event?: string; data: Record<string, unknown> }>;
  /** Stop reading (the socket stays open, so the core's buffer for it fills). */
  pause(): void;
  resume(): void;
  /** Resolves when the core ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Open `path` as an event stream; resolves once the status line arrived. */
export function openSse(base: string, path: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { Accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
      });
      res.on('error', () => undefined);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => text,
        frames: () => parseSseFrames(text),
        events: () =>
          parseSseFrames(text)
            .filter((f) => f.data !== undefined)
            .map((f) => ({ ...(f.id !== undefined && { id: f.id }), ...(f.event !== undefined && { event: f.event }), data: JSON.parse(f.data!) as Record<string, unknown> })),
        pause: () => res.pause(),
        resume: () => res.resume(),
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

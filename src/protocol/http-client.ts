/**
 * The core's HTTP API from a client's side: where a hive is (`HttpTarget`),
 * the host-socket requests it answers and their routes, and one request over
 * it answered in the socket's envelope. Zod-free, like the subscription, so
 * the console can use it before its schemas load.
 */
import fs from 'node:fs';

/** A hive reached over HTTP: its base URL and, for decisions, the bearer token. */
export interface HttpTarget {
  /** `http://HOST:PORT` (a trailing slash or path prefix is kept). */
  url: string;
  token?: string;
}

/** The host-socket verbs the HTTP API answers; the rest need the socket. */
export const HTTP_READ_CMDS: ReadonlySet<string> = new Set(['state', 'agent_status', 'pending', 'approval', 'questions', 'turn_stats', 'agent_events', 'config_diff', 'kept', 'search', 'messages', 'schedules', 'resources']);
/** The decisions the HTTP API takes (with the token). */
export const HTTP_WRITE_CMDS: ReadonlySet<string> = new Set(['approve', 'deny', 'answer', 'cancel_question']);

/** Read a bearer token file: its first line, trimmed. Throws a sentence for a person. */
export function readTokenFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the token file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const token = text.split(/\r?\n/, 1)[0]!.trim();
  if (!token) throw new Error(`the token file ${file} is empty`);
  return token;
}

/** Check a `--url`: an http(s) URL without credentials or query, as the base of the API. Throws a sentence. */
export function checkHttpUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${JSON.stringify(url)} is not a URL; expected http://HOST:PORT`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${url}: expected an http:// or https:// URL`);
  if (parsed.username || parsed.password) throw new Error(`${url}: put the token in a file (--token-file), not in the URL`);
  if (parsed.search || parsed.hash) throw new Error(`${url}: expected the hive's base URL, without ?query or #fragment`);
  return parsed.href.replace(/\/$/, '');
}

/** `base` + `path` + query (undefined values left out). */
export function apiUrl(base: string, path: string, query: Record<string, string | number | undefined> = {}): string {
  const url = new URL(base.replace(/\/$/, '') + path);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  return url.href;
}

type Route = { method: 'GET' | 'POST'; path: string; query?: Record<string, string | number | undefined>; body?: Record<string, unknown> };

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? v : undefined);
const seg = (v: unknown) => encodeURIComponent(String(v));

/** The route of a host request, or null when HTTP does not serve it. */
export function httpRoute(request: Record<string, unknown>): Route | null {
  const r = request;
  switch (r.cmd) {
    case 'state':
      return { method: 'GET', path: '/api/state' };
    case 'agent_status':
      return { method: 'GET', path: '/api/agents' };
    case 'pending':
      return { method: 'GET', path: '/api/approvals' };
    case 'approval':
      return { method: 'GET', path: `/api/approvals/${seg(r.id)}`, query: { diff_from: str(r.diff_from), against: str(r.against) } };
    case 'config_diff':
      return { method: 'GET', path: `/api/agents/${seg(r.name)}/config-diff`, query: { diff_from: str(r.diff_from) } };
    case 'kept':
      return { method: 'GET', path: '/api/kept' };
    case 'questions':
      return { method: 'GET', path: '/api/questions' };
    case 'turn_stats':
      return { method: 'GET', path: '/api/turn-stats', query: { agent: str(r.agent), limit: str(r.limit), before: str(r.before) } };
    case 'agent_events':
      return { method: 'GET', path: `/api/agents/${seg(r.name)}/events`, query: { limit: str(r.limit), before: str(r.before) } };
    case 'search':
      return { method: 'GET', path: '/api/search', query: { q: str(r.query), agent: str(r.agent), limit: str(r.limit), before: str(r.before) } };
    case 'messages':
      return { method: 'GET', path: '/api/messages', query: { agent: str(r.agent), limit: str(r.limit), before: str(r.before) } };
    case 'schedules':
      return { method: 'GET', path: '/api/schedules', query: { all: r.all === true ? 1 : undefined } };
    case 'resources':
      return { method: 'GET', path: '/api/resources' };
    case 'approve':
      return { method: 'POST', path: `/api/approvals/${seg(r.id)}/approve` };
    case 'deny':
      return { method: 'POST', path: `/api/approvals/${seg(r.id)}/deny`, body: r.note === undefined ? {} : { note: r.note } };
    case 'answer':
      return { method: 'POST', path: `/api/questions/${seg(r.id)}/answer`, body: { answer: r.answer } };
    case 'cancel_question':
      return { method: 'POST', path: `/api/questions/${seg(r.id)}/cancel` };
    default:
      return null;
  }
}

/** A failure the client says itself, in the socket's envelope. */
function clientError(error: string, code: string): Record<string, unknown> {
  return { version: 1, ok: false, error, code };
}

/**
 * One host request over HTTP, answered in the socket's envelope (the core's
 * JSON errors are that envelope). A verb HTTP does not serve is refused here;
 * an unreachable core or a body that is not the envelope throws a sentence.
 * The actor is the core's to set (`http:<address>`), never the request's.
 */
export async function httpRequest(target: HttpTarget, request: Record<string, unknown>, options: { timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
  const route = httpRoute(request);
  if (!route) return clientError(`${String(request.cmd)} is not served over HTTP; use the host socket`, 'bad_request');
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (target.token) headers.Authorization = `Bearer ${target.token}`;
  if (route.body) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(apiUrl(target.url, route.path, route.query), {
      method: route.method,
      headers,
      ...(route.body && { body: JSON.stringify(route.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (err) {
    throw new Error(unreachableSentence(target.url, err));
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('ok' in body)) {
    throw new Error(`${target.url} answered HTTP ${res.status} without the hive's JSON envelope — is it a hyperhive core?`);
  }
  return body as Record<string, unknown>;
}

/** Why a fetch failed, for a person. */
export function unreachableSentence(url: string, err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { name?: string }).name;
  if (code === 'ECONNREFUSED') return `nothing is listening on ${url} — is hyperhive-core running with --http?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the host of ${url}`;
  if (code === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT') return `no answer from ${url} in time`;
  return `cannot reach ${url}: ${cause?.message ?? (err as Error).message}`;
}

/**
 * The HTTP API's routes: each path and method becomes one host request (the
 * same verbs, checks and answers as host.sock) or an event stream. Pure
 * parsing; the server runs what a route asks for.
 */
import type { ErrorCode } from '../../protocol/index.js';

/** A request the route could not make sense of: an HTTP status and a sentence. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: ErrorCode = status === 404 ? 'not_found' : status === 413 ? 'too_large' : status === 503 ? 'unavailable' : status >= 401 && status <= 405 ? 'forbidden' : 'bad_request',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** What a route asks the server to do. */
export type RouteAction =
  /** Answer one host request read-only (GET). */
  | { kind: 'read'; request: Record<string, unknown> }
  /** Run one mutating host request (POST); `body` fields are merged in after parsing. */
  | { kind: 'write'; request: Record<string, unknown>; bodyFields: readonly string[] }
  /** Open the dashboard's event stream. */
  | { kind: 'dashboard_stream'; kinds?: string[]; since?: number }
  /** Open one agent's event stream. */
  | { kind: 'agent_stream'; name: string; since?: number; history?: number };

interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  action(match: RegExpExecArray, query: URLSearchParams, lastEventId: string | undefined): RouteAction;
}

/** A non-negative integer from a path, query or header; undefined when absent. */
function integer(value: string | null | undefined, what: string): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new HttpProblem(400, `${what} must be a non-negative integer, got ${JSON.stringify(value.slice(0, 40))}`);
  return Number(value);
}

/** Where a stream resumes: `Last-Event-ID` (an EventSource reconnecting) wins over `?since=` (the URL it was opened with). */
function resumePoint(query: URLSearchParams, lastEventId: string | undefined): number | undefined {
  return integer(lastEventId, 'Last-Event-ID') ?? integer(query.get('since'), 'since');
}

const id = (m: RegExpExecArray) => integer(m[1], 'the id')!;

const ROUTES: readonly Route[] = [
  { method: 'GET', path: /^\/api\/state$/, action: () => ({ kind: 'read', request: { cmd: 'state' } }) },
  { method: 'GET', path: /^\/api\/agents$/, action: () => ({ kind: 'read', request: { cmd: 'agent_status' } }) },
  { method: 'GET', path: /^\/api\/approvals$/, action: () => ({ kind: 'read', request: { cmd: 'pending' } }) },
  {
    method: 'GET',
    path: /^\/api\/approvals\/([^/]+)$/,
    action: (m, q) => ({ kind: 'read', request: { cmd: 'approval', id: id(m), ...optional('diff_from', integer(q.get('diff_from'), 'diff_from')), ...optional('against', q.get('against') ?? undefined) } }),
  },
  // config repos and kept agents
  { method: 'GET', path: /^\/api\/agents\/([^/]+)\/config-diff$/, action: (m, q) => ({ kind: 'read', request: { cmd: 'config_diff', name: decode(m[1]!), ...optional('diff_from', integer(q.get('diff_from'), 'diff_from')) } }) },
  { method: 'GET', path: /^\/api\/kept$/, action: () => ({ kind: 'read', request: { cmd: 'kept' } }) },
  { method: 'GET', path: /^\/api\/questions$/, action: () => ({ kind: 'read', request: { cmd: 'questions' } }) },
  {
    method: 'GET',
    path: /^\/api\/turn-stats$/,
    action: (_m, q) => ({
      kind: 'read',
      request: { cmd: 'turn_stats', ...optional('agent', q.get('agent') ?? undefined), ...optional('limit', integer(q.get('limit'), 'limit')), ...optional('before', integer(q.get('before'), 'before')) },
    }),
  },
  {
    method: 'GET',
    path: /^\/api\/agents\/([^/]+)\/events$/,
    action: (m, q) => ({
      kind: 'read',
      request: { cmd: 'agent_events', name: decode(m[1]!), ...optional('limit', integer(q.get('limit'), 'limit')), ...optional('before', integer(q.get('before'), 'before')) },
    }),
  },
  {
    method: 'GET',
    path: /^\/api\/search$/,
    action: (_m, q) => {
      const query = q.get('q');
      if (query === null) throw new HttpProblem(400, 'nothing to search for: /api/search?q=WORDS');
      return { kind: 'read', request: { cmd: 'search', query, ...optional('agent', q.get('agent') ?? undefined), ...paging(q) } };
    },
  },
  { method: 'GET', path: /^\/api\/messages$/, action: (_m, q) => ({ kind: 'read', request: { cmd: 'messages', ...optional('agent', q.get('agent') ?? undefined), ...paging(q) } }) },
  { method: 'GET', path: /^\/api\/schedules$/, action: (_m, q) => ({ kind: 'read', request: { cmd: 'schedules', ...optional('all', q.get('all') === null ? undefined : q.get('all') !== '0') } }) },
  { method: 'GET', path: /^\/api\/resources$/, action: () => ({ kind: 'read', request: { cmd: 'resources' } }) },
  { method: 'GET', path: /^\/(?:api\/)?dashboard\/stream$/, action: (_m, q, last) => ({ kind: 'dashboard_stream', ...optional('kinds', kindsOf(q)), ...optional('since', resumePoint(q, last)) }) },
  {
    method: 'GET',
    path: /^\/api\/agents\/([^/]+)\/stream$/,
    action: (m, q, last) => ({ kind: 'agent_stream', name: decode(m[1]!), ...optional('since', resumePoint(q, last)), ...optional('history', integer(q.get('history'), 'history')) }),
  },
  { method: 'POST', path: /^\/api\/approvals\/([^/]+)\/approve$/, action: (m) => ({ kind: 'write', request: { cmd: 'approve', id: id(m) }, bodyFields: [] }) },
  { method: 'POST', path: /^\/api\/approvals\/([^/]+)\/deny$/, action: (m) => ({ kind: 'write', request: { cmd: 'deny', id: id(m) }, bodyFields: ['note'] }) },
  { method: 'POST', path: /^\/api\/questions\/([^/]+)\/answer$/, action: (m) => ({ kind: 'write', request: { cmd: 'answer', id: id(m) }, bodyFields: ['answer'] }) },
  { method: 'POST', path: /^\/api\/questions\/([^/]+)\/cancel$/, action: (m) => ({ kind: 'write', request: { cmd: 'cancel_question', id: id(m) }, bodyFields: [] }) },
];

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** `?limit=&before=` as a page's fields. */
function paging(q: URLSearchParams): { limit?: number; before?: number } {
  return { ...optional('limit', integer(q.get('limit'), 'limit')), ...optional('before', integer(q.get('before'), 'before')) };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpProblem(400, `the path segment ${JSON.stringify(segment.slice(0, 40))} is not valid percent-encoding`);
  }
}

/** `?kinds=a,b` as a list; the host verb's schema checks each kind. */
function kindsOf(query: URLSearchParams): string[] | undefined {
  const raw = query.get('kinds');
  return raw === null ? undefined : raw.split(',').map((k) => k.trim()).filter(Boolean);
}

/** The action for a method and path, or a problem (404 for an unknown path, 405 for a known one asked the wrong way). */
export function routeRequest(method: string, pathname: string, query: URLSearchParams, lastEventId: string | undefined): RouteAction {
  const matching = ROUTES.map((route) => ({ route, match: route.path.exec(pathname) })).filter((r) => r.match !== null);
  if (matching.length === 0) throw new HttpProblem(404, `no such endpoint: ${pathname.slice(0, 200)}`);
  const hit = matching.find((r) => r.route.method === method);
  if (!hit) {
    const allow = [...new Set(matching.map((r) => r.route.method))].join(', ');
    throw new HttpProblem(405, `${pathname.slice(0, 200)} takes ${allow}, not ${method.slice(0, 10)}`, 'bad_request', { Allow: allow });
  }
  return hit.route.action(hit.match!, query, lastEventId);
}

/** The HTTP status of a host-socket answer. */
export function statusOf(answer: { ok?: unknown; code?: unknown }): number {
  if (answer.ok === true) return 200;
  switch (answer.code) {
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'forbidden':
      return 403;
    case 'unavailable':
      return 503;
    case 'too_large':
      return 413;
    default:
      return 400;
  }
}

// The HTTP API's routes: each path and method maps to one host request or stream; bad paths, methods and numbers are problems with a status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpProblem, routeRequest, statusOf } from './http-routes.js';

const route = (method: string, target: string, lastEventId?: string) => {
  const url = new URL(target, 'http://h');
  return routeRequest(method, url.pathname, url.searchParams, lastEventId);
};

test('every route maps to its host request or stream', () => {
  assert.deepEqual(route('GET', '/api/state'), { kind: 'read', request: { cmd: 'state' } });
  assert.deepEqual(route('GET', '/api/agents'), { kind: 'read', request: { cmd: 'agent_status' } });
  assert.deepEqual(route('GET', '/api/approvals'), { kind: 'read', request: { cmd: 'pending' } });
  assert.deepEqual(route('GET', '/api/approvals/7'), { kind: 'read', request: { cmd: 'approval', id: 7 } });
  assert.deepEqual(route('GET', '/api/questions'), { kind: 'read', request: { cmd: 'questions' } });
  assert.deepEqual(route('GET', '/api/turn-stats?agent=iris&limit=5&before=90'), { kind: 'read', request: { cmd: 'turn_stats', agent: 'iris', limit: 5, before: 90 } });
  assert.deepEqual(route('GET', '/api/agents/iris/events?limit=10'), { kind: 'read', request: { cmd: 'agent_events', name: 'iris', limit: 10 } });
  assert.deepEqual(route('GET', '/api/search?q=flaky%20test&agent=iris&limit=20&before=90'), { kind: 'read', request: { cmd: 'search', query: 'flaky test', agent: 'iris', limit: 20, before: 90 } });
  assert.deepEqual(route('GET', '/api/messages?agent=iris'), { kind: 'read', request: { cmd: 'messages', agent: 'iris' } });
  assert.deepEqual(route('GET', '/api/schedules'), { kind: 'read', request: { cmd: 'schedules' } });
  assert.deepEqual(route('GET', '/api/schedules?all=1'), { kind: 'read', request: { cmd: 'schedules', all: true } });
  assert.deepEqual(route('GET', '/api/resources'), { kind: 'read', request: { cmd: 'resources' } });
  assert.deepEqual(route('GET', '/api/dashboard/stream?kinds=sent,approval_added&since=4'), { kind: 'dashboard_stream', kinds: ['sent', 'approval_added'], since: 4 });
  assert.deepEqual(route('GET', '/dashboard/stream'), { kind: 'dashboard_stream' }, 'the reference path');
  assert.deepEqual(route('GET', '/api/agents/iris/stream?history=20'), { kind: 'agent_stream', name: 'iris', history: 20 });
  assert.deepEqual(route('POST', '/api/approvals/7/approve'), { kind: 'write', request: { cmd: 'approve', id: 7 }, bodyFields: [] });
  assert.deepEqual(route('POST', '/api/approvals/7/deny'), { kind: 'write', request: { cmd: 'deny', id: 7 }, bodyFields: ['note'] });
  assert.deepEqual(route('POST', '/api/questions/3/answer'), { kind: 'write', request: { cmd: 'answer', id: 3 }, bodyFields: ['answer'] });
  assert.deepEqual(route('POST', '/api/questions/3/cancel'), { kind: 'write', request: { cmd: 'cancel_question', id: 3 }, bodyFields: [] });
});

test('Last-Event-ID (an EventSource reconnecting) wins over the ?since= it was opened with', () => {
  assert.deepEqual(route('GET', '/api/dashboard/stream?since=4', '9'), { kind: 'dashboard_stream', since: 9 });
  assert.deepEqual(route('GET', '/api/agents/iris/stream?since=4', '12'), { kind: 'agent_stream', name: 'iris', since: 12 });
});

test('unknown paths are 404, wrong methods 405 with Allow, bad numbers 400', () => {
  const problem = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof HttpProblem);
      return { status: err.status, message: err.message, headers: err.headers };
    }
    assert.fail('expected a problem');
  };
  assert.deepEqual(problem(() => route('GET', '/api/nope')).status, 404);
  assert.deepEqual(problem(() => route('GET', '/')).status, 404);
  const wrong = problem(() => route('POST', '/api/state'));
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.Allow, 'GET');
  assert.equal(problem(() => route('DELETE', '/api/approvals/7/approve')).headers.Allow, 'POST');
  assert.match(problem(() => route('GET', '/api/approvals/x')).message, /the id must be a non-negative integer, got "x"/);
  assert.match(problem(() => route('GET', '/api/turn-stats?limit=-1')).message, /limit must be a non-negative integer/);
  assert.match(problem(() => route('GET', '/api/dashboard/stream', 'abc')).message, /Last-Event-ID must be a non-negative integer/);
  assert.match(problem(() => route('GET', '/api/agents/%E0%A4%A/stream')).message, /not valid percent-encoding/);
});

test('host-socket codes map to HTTP statuses', () => {
  assert.deepEqual(
    [{ ok: true }, { code: 'bad_request' }, { code: 'not_found' }, { code: 'conflict' }, { code: 'forbidden' }, { code: 'unavailable' }, { code: 'too_large' }].map(statusOf),
    [200, 400, 404, 409, 403, 503, 413],
  );
});

test('a search without q is a 400 that says how to ask', () => {
  assert.throws(() => route('GET', '/api/search?agent=iris'), (err: unknown) => err instanceof HttpProblem && err.status === 400 && err.message === 'nothing to search for: /api/search?q=WORDS');
});

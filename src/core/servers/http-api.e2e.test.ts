// End-to-end: the real core's HTTP API as curl sees it — every endpoint's status, JSON and headers, the token rules, the Host check, body caps, event streams and their resume, the stream cap and keepalives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startCore, waitFor, entries, type RunningCore } from '../../testing/hive.js';
import { httpCall, openSse, type HttpExchange } from '../../testing/http.js';
import { startDaemon } from '../daemon.js';
import { parseHiveConfig } from '../../protocol/index.js';

const TOKEN = 'a3f1c9e07b2d4e6f8091a2b3c4d5e6f7';
let dir: string;
let core: RunningCore;
let base: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-http-'));
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  core = await startCore({ http: '127.0.0.1:0', args: ['--http-token-file', tokenFile], config: { manager: 'boss', agents: { boss: {}, iris: { parent: 'boss' } } } });
  base = core.httpUrl!;
});
after(async () => {
  await core.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const auth = { Authorization: `Bearer ${TOKEN}` };
const get = (p: string, headers: Record<string, string> = {}) => httpCall(base, 'GET', p, { headers });
const post = (p: string, body?: unknown, headers: Record<string, string> = auth) =>
  httpCall(base, 'POST', p, { headers: { 'Content-Type': 'application/json', ...headers }, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }) });

/** A JSON answer in the socket's envelope, with the headers every JSON answer has and no CORS. */
function assertJson(res: HttpExchange, status: number, ok: boolean): Record<string, unknown> {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(Object.keys(res.headers).some((h) => h.startsWith('access-control-')), false, 'no CORS headers');
  assert.equal(res.json?.version, 1);
  assert.equal(res.json?.ok, ok);
  if (!ok) assert.equal(typeof res.json?.error, 'string');
  return res.json!;
}

const auditRows = (target: string) => {
  const db = new Database(path.join(core.stateDir, 'hyperhive.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT actor, action FROM audit WHERE target = ? ORDER BY id').all(target) as { actor: string; action: string }[];
  } finally {
    db.close();
  }
};

test('every read endpoint answers the host verb\'s JSON in its envelope', async () => {
  const spawn = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'scout', description: 'reads the forums' });
  await core.agentRequest('iris', { cmd: 'emit', events: [{ kind: 'note', text: 'one' }, { kind: 'note', text: 'two' }] });
  await core.agentRequest('iris', {
    cmd: 'turn_stat',
    row: { model: 'haiku', wake_from: 'operator', result_kind: 'ok', started_at: 1, ended_at: 2, duration_ms: 1000, input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, tool_call_count: 0, tool_calls: {}, open_threads_count: 0, open_reminders_count: 0 },
  });
  const asked = await core.agentRequest<{ id: number }>('iris', { cmd: 'ask', question: 'Ship it?', options: ['yes', 'no'] });

  const state = assertJson(await get('/api/state'), 200, true);
  assert.equal(typeof state.seq, 'number');
  assert.deepEqual((state.agents as { name: string }[]).map((a) => a.name), ['boss', 'iris']);
  assert.deepEqual(state, { ...(await core.request({ cmd: 'state' })), seq: state.seq }, 'the same snapshot as host state');
  assert.deepEqual((assertJson(await get('/api/agents'), 200, true).agent_statuses as { name: string }[]).map((a) => a.name), ['boss', 'iris']);
  assert.ok((assertJson(await get('/api/approvals'), 200, true).approvals as { id: number }[]).some((a) => a.id === spawn.id));
  const approval = assertJson(await get(`/api/approvals/${spawn.id}`), 200, true).approval as { id: number; kind: string; description: string };
  assert.deepEqual([approval.id, approval.kind, approval.description], [spawn.id, 'spawn', 'reads the forums']);
  assert.ok((assertJson(await get('/api/questions'), 200, true).questions as { id: number }[]).some((q) => q.id === asked.id));
  const stats = assertJson(await get('/api/turn-stats?agent=iris&limit=5'), 200, true).turn_stats as { agent: string }[];
  assert.deepEqual(stats.map((s) => s.agent), ['iris']);
  const events = assertJson(await get('/api/agents/iris/events?limit=1'), 200, true).events as { kind: string; text: string; seq: number }[];
  assert.deepEqual(events.map((e) => e.text), ['two'], 'newest first, limited');
  const older = assertJson(await get(`/api/agents/iris/events?before=${events[0]!.seq}`), 200, true).events as { text: string }[];
  assert.deepEqual(older.map((e) => e.text), ['one']);
});

test('unknown things are 404, wrong methods 405, bad parameters 400 — all in the envelope', async () => {
  assert.equal(assertJson(await get('/api/approvals/99999'), 404, false).code, 'not_found');
  assert.match(String(assertJson(await get('/api/agents/ghost/events'), 404, false).error), /no agent named "ghost"/);
  assert.equal(assertJson(await get('/api/agents/Bad..Name/events'), 400, false).code, 'bad_request');
  assert.equal(assertJson(await get('/api/nothing-here'), 404, false).code, 'not_found');
  assert.match(String(assertJson(await get('/api/turn-stats?limit=lots'), 400, false).error), /limit must be a non-negative integer/);
  assert.equal(assertJson(await get('/api/turn-stats?limit=999999'), 400, false).code, 'bad_request', 'the verb\'s own limit holds');
  const wrong = await post('/api/state', {});
  assertJson(wrong, 405, false);
  assert.equal(wrong.headers.allow, 'GET');
  const preflight = await httpCall(base, 'OPTIONS', '/api/state', { headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } });
  assertJson(preflight, 405, false);
});

test('decisions need the bearer token: none → 401, wrong → 403, right → done once, audited as http:<address>', async () => {
  const spawn = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'helper' });
  const none = await post(`/api/approvals/${spawn.id}/approve`, undefined, {});
  assertJson(none, 401, false);
  assert.equal(none.headers['www-authenticate'], 'Bearer');
  assertJson(await post(`/api/approvals/${spawn.id}/approve`, undefined, { Authorization: 'Basic eDp5' }), 401, false);
  assertJson(await post(`/api/approvals/${spawn.id}/approve`, undefined, { Authorization: `Bearer ${TOKEN}x` }), 403, false);
  assert.equal((await core.request<{ approval: { status: string } }>({ cmd: 'approval', id: spawn.id })).approval.status, 'pending', 'nothing changed');
  assert.deepEqual(auditRows(String(spawn.id)).filter((r) => r.action === 'approve'), []);

  assertJson(await post(`/api/approvals/${spawn.id}/approve`), 200, true);
  const approved = (await core.request<{ approval: { status: string; resolved_by: string } }>({ cmd: 'approval', id: spawn.id })).approval;
  assert.deepEqual([approved.status, approved.resolved_by], ['approved', 'http:127.0.0.1']);
  assert.equal(assertJson(await post(`/api/approvals/${spawn.id}/approve`), 409, false).code, 'conflict');
  assert.deepEqual(auditRows(String(spawn.id)).filter((r) => r.action === 'approve'), [{ actor: 'http:127.0.0.1', action: 'approve' }], 'one resolution, one audit row');

  const denied = await core.request<{ id: number }>({ cmd: 'request_spawn', name: 'other' });
  assertJson(await post(`/api/approvals/${denied.id}/deny`, { note: 'not this week' }), 200, true);
  const deniedRow = (await core.request<{ approval: { status: string; note: string } }>({ cmd: 'approval', id: denied.id })).approval;
  assert.deepEqual([deniedRow.status, deniedRow.note], ['denied', 'not this week']);

  const q = await core.agentRequest<{ id: number }>('iris', { cmd: 'ask', question: 'Which db?' });
  assertJson(await post(`/api/questions/${q.id}/answer`, { answer: 'sqlite' }, {}), 401, false);
  assertJson(await post(`/api/questions/${q.id}/answer`, { answer: 'sqlite' }), 200, true);
  assert.deepEqual(auditRows(String(q.id)).filter((r) => r.action === 'answer'), [{ actor: 'http:127.0.0.1', action: 'answer' }]);
  const inbox = await core.agentRequest<{ messages: { body: string }[] }>('iris', { cmd: 'recv', wait_ms: 0, max: 50 });
  assert.ok(inbox.messages.some((m) => m.body.includes('"answer":"sqlite"')), 'the asker is told');
  assert.equal(assertJson(await post(`/api/questions/${q.id}/cancel`), 409, false).code, 'conflict');
  const q2 = await core.agentRequest<{ id: number }>('iris', { cmd: 'ask', question: 'Still needed?' });
  assertJson(await post(`/api/questions/${q2.id}/cancel`), 200, true);
});

test('bad bodies change nothing: not JSON, unknown keys (an actor among them), over 64 KiB', async () => {
  const q = await core.agentRequest<{ id: number }>('iris', { cmd: 'ask', question: 'Body?' });
  assert.match(String(assertJson(await post(`/api/questions/${q.id}/answer`, '{nope'), 400, false).error), /not JSON/);
  assert.match(String(assertJson(await post(`/api/questions/${q.id}/answer`, '[1]'), 400, false).error), /must be a JSON object/);
  assert.match(String(assertJson(await post(`/api/questions/${q.id}/answer`, { answer: 'x', actor: 'alice' }), 400, false).error), /takes "answer", not "actor"/);
  assert.equal(assertJson(await post(`/api/questions/${q.id}/answer`, { answer: 7 }), 400, false).code, 'bad_request');
  const big = await post(`/api/questions/${q.id}/answer`, { answer: 'x'.repeat(64 * 1024) });
  assert.equal(assertJson(big, 413, false).code, 'too_large');
  const questions = (await core.request<{ questions: { id: number; answer?: string }[] }>({ cmd: 'questions' })).questions;
  assert.equal(questions.find((x) => x.id === q.id)!.answer, undefined, 'still open');
});

test('a Host header that does not name this server is refused (DNS rebinding), on every endpoint', async () => {
  for (const badHost of ['evil.example', `evil.example:${new URL(base).port}`, '127.0.0.1.nip.io']) {
    const res = await get('/api/state', { Host: badHost });
    assert.match(String(assertJson(res, 403, false).error), /Host header .* does not name this server/);
  }
  assertJson(await post('/api/approvals/1/approve', undefined, { ...auth, Host: 'evil.example' }), 403, false);
  const stream = await openSse(base, '/api/dashboard/stream', { Host: 'evil.example' });
  assert.equal(stream.status, 403);
  stream.close();
  assertJson(await get('/api/state', { Host: `localhost:${new URL(base).port}` }), 200, true);
});

test('the dashboard stream: an ack with the snapshot cut at its id, then every event as id/event/data', async () => {
  const stream = await openSse(base, '/api/dashboard/stream');
  try {
    assert.equal(stream.status, 200);
    assert.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal(stream.headers['cache-control'], 'no-store');
    assert.deepEqual([stream.headers['transfer-encoding'], stream.headers.connection], [undefined, 'close'], 'no chunked framing: the stream ends with its connection');
    const ack = await waitFor(() => stream.frames().find((f) => f.event === 'ack'), { what: 'the ack' });
    const ackData = JSON.parse(ack.data!) as { version: number; ok: boolean; seq: number; snapshot: { seq: number } };
    assert.deepEqual([ackData.version, ackData.ok, ack.id], [1, true, String(ackData.seq)]);
    assert.equal(ackData.snapshot.seq, ackData.seq);
    const sent = await core.request<{ id: number }>({ cmd: 'send', to: 'iris', body: 'over sse' });
    const frame = await waitFor(() => stream.events().find((e) => e.event === 'sent' && e.data.id === sent.id), { what: 'the sent event' });
    assert.equal(frame.id, String(frame.data.seq));
    assert.deepEqual([frame.data.from, frame.data.to, frame.data.body], ['operator', 'iris', 'over sse']);
    assert.ok(Number(frame.id) > ackData.seq);
  } finally {
    stream.close();
  }
});

test('resume with Last-Event-ID or ?since= replays exactly the missed events; too old a point sends resync first', async () => {
  const first = await openSse(base, '/dashboard/stream?kinds=sent');
  const ack = await waitFor(() => first.frames().find((f) => f.event === 'ack'), { what: 'the ack' });
  first.close();
  const ids: number[] = [];
  for (let i = 0; i < 3; i++) ids.push((await core.request<{ id: number }>({ cmd: 'send', to: 'iris', body: `missed ${i}` })).id);
  for (const headers of [{ 'Last-Event-ID': ack.id! }, {}] as Record<string, string>[]) {
    const resumed = await openSse(base, `/api/dashboard/stream?kinds=sent${'Last-Event-ID' in headers ? '&since=0' : `&since=${ack.id}`}`, headers);
    try {
      await waitFor(() => resumed.events().filter((e) => e.event === 'sent').length >= 3, { what: 'the replay' });
      const frames = resumed.frames().filter((f) => f.event);
      assert.equal(frames[0]!.event, 'ack');
      assert.equal(frames[0]!.id, undefined, 'a resume\'s ack moves no resume point');
      assert.equal(JSON.parse(frames[0]!.data!).snapshot, undefined);
      assert.deepEqual(resumed.events().filter((e) => e.event === 'sent').map((e) => e.data.id), ids);
    } finally {
      resumed.close();
    }
  }
  const tooNew = await openSse(base, '/api/dashboard/stream', { 'Last-Event-ID': '999999999' });
  try {
    const resync = await waitFor(() => tooNew.frames().find((f) => f.event), { what: 'the first frame' });
    assert.equal(resync.event, 'resync');
    const data = JSON.parse(resync.data!) as { resync: boolean; seq: number; snapshot: object };
    assert.deepEqual([data.resync, resync.id, typeof data.snapshot], [true, String(data.seq), 'object']);
  } finally {
    tooNew.close();
  }
});

test('an agent stream opens with its history in the ack, then live events; bad requests get JSON errors', async () => {
  await core.agentRequest('iris', { cmd: 'emit', events: [{ kind: 'note', text: 'before' }] });
  const stream = await openSse(base, '/api/agents/iris/stream?history=1');
  try {
    const ack = await waitFor(() => stream.frames().find((f) => f.event === 'ack'), { what: 'the ack' });
    const data = JSON.parse(ack.data!) as { seq: number; events: { text: string }[] };
    assert.deepEqual(data.events.map((e) => e.text), ['before']);
    assert.equal(ack.id, String(data.seq), 'the ack carries every event up to its seq');
    await core.agentRequest('iris', { cmd: 'emit', events: [{ kind: 'note', text: 'live' }] });
    const live = await waitFor(() => stream.events().find((e) => e.event === 'note' && e.data.text === 'live'), { what: 'the live note' });
    assert.equal(live.data.agent, 'iris');
  } finally {
    stream.close();
  }
  for (const [p, status] of [['/api/agents/ghost/stream', 404], ['/api/agents/iris/stream?history=99999', 400], ['/api/dashboard/stream?kinds=sent,bogus', 400]] as const) {
    const res = await get(p);
    assert.equal(assertJson(res, status, false).ok, false, p);
  }
});

test('a core without a token file takes no decisions (405); a non-loopback address without one does not start; streams are capped', async () => {
  const plain = await startCore({ http: '127.0.0.1:0', config: { agents: { iris: {} }, http: { max_streams: 2 } } });
  try {
    const url = plain.httpUrl!;
    const refused = await httpCall(url, 'POST', '/api/approvals/1/approve', { headers: auth });
    assert.equal(refused.status, 405);
    assert.match(String(refused.json?.error), /no decisions over HTTP: start it with a token file/);
    assert.equal((await httpCall(url, 'GET', '/api/state')).status, 200, 'reads need no token on loopback');
    const open = [await openSse(url, '/api/dashboard/stream'), await openSse(url, '/api/agents/iris/stream')];
    const third = await httpCall(url, 'GET', '/api/dashboard/stream');
    assert.equal(third.status, 503);
    assert.equal(third.headers['retry-after'], '5');
    assert.match(String(third.json?.error), /already serves 2 event streams/);
    open[0]!.close();
    await waitFor(async () => (await openSse(url, '/api/dashboard/stream').then((s) => (s.close(), s.status))) === 200, { what: 'a slot to free up' });
    open[1]!.close();
  } finally {
    await plain.cleanup();
  }
  await assert.rejects(startCore({ http: '0.0.0.0:0', config: { agents: {} } }), /http.listen 0.0.0.0:0 is not a loopback address: set http.token_file/);
});

test('off loopback every request needs the token', async () => {
  const tokenFile = path.join(dir, 'token');
  const wide = await startCore({ http: '0.0.0.0:0', args: ['--http-token-file', tokenFile], config: { agents: {} } });
  try {
    const url = wide.httpUrl!.replace('0.0.0.0', '127.0.0.1');
    assert.equal((await httpCall(url, 'GET', '/api/state')).status, 401);
    assert.equal((await httpCall(url, 'GET', '/api/state', { headers: { Authorization: 'Bearer nope-nope-nope-nope' } })).status, 403);
    assert.equal((await httpCall(url, 'GET', '/api/state', { headers: auth })).status, 200);
  } finally {
    await wide.cleanup();
  }
});

test('an idle stream gets a keepalive comment', async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-ka-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const parsed = parseHiveConfig({ name: 'ka', backend: 'external' });
  assert.ok(parsed.ok);
  const daemon = await startDaemon({
    config: parsed.config,
    stateDir: path.join(tmp, 'state'),
    runtimeDir: path.join(tmp, 'run'),
    agentEntry: entries.agent,
    http: { listen: '127.0.0.1:0', keepaliveMs: 50 },
    log: () => undefined,
  });
  try {
    const stream = await openSse(daemon.httpUrl!, '/api/dashboard/stream');
    await waitFor(() => stream.frames().some((f) => f.comment === 'keepalive'), { what: 'a keepalive' });
    stream.close();
  } finally {
    await daemon.close();
  }
});

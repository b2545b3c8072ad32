// The search index on real sqlite files: built from the store a slice at a time, following its retention and purges, resumed after a crash, rebuilt when unusable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentToken } from './search-indexer.js';
import { openSearchStore } from './search-store.js';
import { eventTextPieces, indexedText, MAX_INDEXED_CHARS } from './event-text.js';
import type { LiveEventInput } from '../../protocol/index.js';
import { searchFixture as fixture, type SearchFixture as Fixture } from '../testing/search-fixture.js';

const assistant = (...content: object[]): LiveEventInput => ({ kind: 'stream', data: { type: 'assistant', message: { role: 'assistant', content } } });
const indexRows = (f: Fixture) => (f.index.prepare('SELECT COUNT(*) AS n FROM event_text').get() as { n: number }).n;

test('the text of assistant messages, tool calls and results, notes and turn starts is what search sees', () => {
  const pieces = (e: LiveEventInput) => eventTextPieces(e as Record<string, unknown>).map((p) => `${p.source}:${p.text}`);
  assert.deepEqual(pieces(assistant({ type: 'text', text: 'hello' }, { type: 'thinking', thinking: 'hmm' }, { type: 'tool_use', name: 'Bash', input: { command: 'npm test', timeout: 5 } })), [
    'text:hello',
    'thinking:hmm',
    'tool_use:Bash npm test 5',
  ]);
  assert.deepEqual(pieces({ kind: 'stream', data: { type: 'user', message: { content: [{ type: 'tool_result', content: [{ type: 'text', text: 'ok 42' }] }, { type: 'tool_result', content: 'plain' }] } } }), [
    'tool_result:ok 42',
    'tool_result:plain',
  ]);
  assert.deepEqual(pieces({ kind: 'note', text: 'stderr: boom' }), ['note:stderr: boom']);
  assert.deepEqual(pieces({ kind: 'turn_start', from: 'operator', body: 'fix the flaky test', unread: 0 }), ['turn_start:fix the flaky test']);
  assert.deepEqual(pieces({ kind: 'turn_end', ok: false, note: 'exit 1' }), ['turn_end:exit 1']);
  for (const silent of [
    { kind: 'heartbeat', elapsed_secs: 1, stdout_bytes: 0, stdout_delta_bytes: 0, stagnant_heartbeats: 0, pid: 1, pid_alive: true },
    { kind: 'stream', data: { type: 'system', subtype: 'init', tools: ['Bash'] } },
    { kind: 'stream', data: { type: 'result', result: 'done' } },
    { kind: 'stream', data: { type: 'assistant', message: 'not an object' } },
  ] as LiveEventInput[]) {
    assert.deepEqual(pieces(silent), []);
  }
});

test('a long text is indexed by its head and its tail, within the cap', () => {
  const text = `start ${'a '.repeat(10_000)} middle ${'b '.repeat(10_000)} the end`;
  const indexed = indexedText([{ source: 'tool_result', text }]);
  assert.ok(indexed.length <= MAX_INDEXED_CHARS + 1);
  assert.ok(indexed.startsWith('start '));
  assert.ok(indexed.endsWith(' the end'));
  assert.ok(!indexed.includes('middle'));
});

test('agent names are single tokens no other name shares, and the agent is not searched as text', () => {
  const names = ['iris', 'web-dev', 'webxdev', 'web', 'dev', 'x', 'xx', 'x-', 'a1-b2'];
  const tokens = names.map(agentToken);
  assert.equal(new Set(tokens).size, names.length);
  for (const t of tokens) assert.match(t, /^[a-z0-9]+$/);
  const f = fixture();
  try {
    for (const name of names) f.log.append(name, [{ kind: 'note', text: `flaky from ${name}` }]);
    f.catchUp();
    for (const [i, name] of names.entries()) assert.deepEqual(f.find('flaky', name), [i + 1], name);
    assert.equal(f.find('flaky').length, names.length);
    assert.deepEqual(f.find('iris'), [1], 'only the note that says "iris" is found');
  } finally {
    f.close();
  }
});

test('events are indexed in slices, and a new indexer on the same files goes on where the last one stopped', () => {
  const f = fixture();
  try {
    for (let i = 0; i < 1000; i++) f.log.append('iris', [{ kind: 'note', text: `flaky ${i}` }, { kind: 'turn_state_changed', state: 'idle', since_unix: 1 }]);
    assert.equal(f.indexer.indexSlice(), true, 'one slice does not take 2000 events');
    const partway = f.indexer.indexedThrough;
    assert.ok(partway > 0 && partway < 2000);
    f.reopenIndex(); // the worker died here
    assert.equal(f.indexer.indexedThrough, partway);
    f.catchUp();
    assert.equal(f.indexer.indexedThrough, 2000);
    assert.equal(indexRows(f), 1000, 'every note once, nothing twice');
  } finally {
    f.close();
  }
});

test('retention cuts the index with the events, a purge takes all of an agent\'s, and a cut event is indexed as stored', () => {
  const f = fixture({ maxEvents: 100, maxBytes: 64 * 1024 * 1024, maxAgeSeconds: 86_400 });
  try {
    for (let i = 0; i < 150; i++) f.log.append('iris', [{ kind: 'note', text: `flaky ${i}` }]);
    f.log.append('damo', [{ kind: 'note', text: 'flaky too' }]);
    f.catchUp();
    const kept = (f.store.prepare("SELECT seq FROM agent_events WHERE agent = 'iris' ORDER BY seq DESC").all() as { seq: number }[]).map((r) => r.seq);
    assert.ok(kept.length < 150, 'retention cut the stream');
    assert.deepEqual(f.find('flaky', 'iris'), kept, 'the index finds exactly the events kept');
    assert.equal(indexRows(f), kept.length + 1, 'and holds no more rows than that');
    f.log.sweep(Math.floor(Date.now() / 1000) + 2 * 86_400);
    f.catchUp();
    assert.equal(indexRows(f), 0, 'by age everything went, from the index too');
    f.log.append('iris', [{ kind: 'note', text: `early ${'x'.repeat(200_000)} late` }]);
    f.catchUp();
    assert.equal(f.find('early').length, 1);
    assert.deepEqual(f.find('late'), [], 'the cut end was never stored, so it is not found');
    f.log.purge('iris');
    f.catchUp();
    assert.equal(indexRows(f), 0, 'a purge leaves nothing of the agent in the index');
  } finally {
    f.close();
  }
});

test('an index file this core cannot use is set aside and built anew', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-fts-'));
  try {
    const file = path.join(dir, 'search.sqlite');
    fs.writeFileSync(file, 'this is not a database, but it is long enough to look like one might be '.repeat(100));
    const fresh = openSearchStore(file);
    assert.equal((fresh.prepare('SELECT indexed_through AS t FROM index_state').get() as { t: number }).t, 0);
    fresh.pragma('user_version = 99');
    fresh.close();
    const again = openSearchStore(file);
    assert.equal(again.pragma('user_version', { simple: true }), 1, 'a newer schema is rebuilt, not refused');
    again.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Search results: newest first, a snippet around the word, the turn each hit belongs to, pages by count and bytes, a sentence for a bad query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchFixture } from '../testing/search-fixture.js';
import { snippetOf, wordFinder } from './event-search.js';
import { isRefusal } from '../refusal.js';
import type { LiveEventInput } from '../../protocol/index.js';
import { seededRandom } from '../../testing/seeded-random.js';

const toolResult = (text: string): LiveEventInput => ({ kind: 'stream', data: { type: 'user', message: { content: [{ type: 'tool_result', content: text }] } } });
const say = (text: string): LiveEventInput => ({ kind: 'stream', data: { type: 'assistant', message: { content: [{ type: 'text', text }] } } });

test('hits carry where the words were, a snippet around them, and their turn; turns come once each', () => {
  const f = searchFixture();
  try {
    f.log.append('iris', [say('before any turn: flaky')]); // 1
    f.log.append('iris', [{ kind: 'turn_start', from: 'operator', body: 'look at the flaky test please', unread: 0 }]); // 2
    f.log.append('damo', [{ kind: 'turn_start', from: 'manager', body: 'unrelated', unread: 0 }]); // 3
    f.log.append('iris', [say('Running it now.'), toolResult(`${'x '.repeat(200)}FAIL the Flaky test timed out after 5s ${'y '.repeat(200)}`)]); // 4, 5
    f.log.append('damo', [{ kind: 'note', text: 'flaky network' }]); // 6
    f.catchUp();
    const page = f.search.search('flaky', { limit: 100 });
    assert.ok(!isRefusal(page));
    assert.deepEqual(page.hits.map((h) => [h.seq, h.agent, h.source, h.turn]), [
      [6, 'damo', 'note', 3],
      [5, 'iris', 'tool_result', 2],
      [2, 'iris', 'turn_start', 2],
      [1, 'iris', 'text', null],
    ]);
    const result = page.hits[1]!;
    assert.match(result.snippet, /^….*FAIL the Flaky test timed out.*…$/);
    assert.ok(result.snippet.length <= 210);
    assert.doesNotMatch(result.snippet, / {2}|\n/, 'one line');
    assert.deepEqual(page.turns.map((t) => [t.seq, t.agent, t.from, t.body]), [
      [3, 'damo', 'manager', 'unrelated'],
      [2, 'iris', 'operator', 'look at the flaky test please'],
    ]);
    assert.deepEqual(page.words, ['flaky']);
    assert.equal(page.more, false);
  } finally {
    f.close();
  }
});

test('pages go on below `before`, stop at the limit and say more; an agent filter keeps to that agent', () => {
  const f = searchFixture();
  try {
    for (let i = 0; i < 30; i++) f.log.append(i % 3 === 0 ? 'damo' : 'iris', [{ kind: 'note', text: `build ${i} failed` }]);
    f.catchUp();
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = f.search.search('failed build', { limit: 7, ...(before !== undefined && { before }) });
      assert.ok(!isRefusal(page));
      seen.push(...page.hits.map((h) => h.seq));
      if (!page.more) break;
      assert.equal(page.hits.length, 7);
      before = page.hits.at(-1)!.seq;
    }
    assert.deepEqual(seen, Array.from({ length: 30 }, (_, i) => 30 - i), 'every hit once, newest first');
    assert.equal(f.find('failed', 'damo').length, 10);
    assert.deepEqual(f.find('"failed build"'), [], 'a phrase keeps its order');
  } finally {
    f.close();
  }
});

test('a page stops before its bytes run out, however large the events', () => {
  const f = searchFixture();
  try {
    const body = `flaky ${'long words '.repeat(5000)}`;
    for (let i = 0; i < 50; i++) f.log.append('iris', [{ kind: 'turn_start', from: 'operator', body, unread: 0 }]);
    f.catchUp();
    const page = f.search.search('flaky', { limit: 1000, bytes: 8 * 1024 });
    assert.ok(!isRefusal(page));
    assert.ok(page.hits.length > 0 && page.hits.length < 50);
    assert.equal(page.more, true);
    assert.ok(Buffer.byteLength(JSON.stringify({ hits: page.hits, turns: page.turns })) <= 8 * 1024 + 64);
  } finally {
    f.close();
  }
});

test('a prefix finds the words it starts; one that stands for too many words says so', () => {
  const f = searchFixture();
  try {
    f.log.append('iris', [{ kind: 'note', text: 'flaky' }, { kind: 'note', text: 'Flakes everywhere' }, { kind: 'note', text: 'flat' }]);
    f.log.append('iris', Array.from({ length: 70 }, (_, i) => ({ kind: 'note' as const, text: `zap${String(i).padStart(2, '0')} here` })));
    f.catchUp();
    assert.deepEqual(f.find('flak*'), [2, 1]);
    assert.deepEqual(f.find('fla* everywhere'), [2]);
    const page = f.search.search('zap*', { limit: 1000 });
    assert.ok(!isRefusal(page));
    assert.equal(page.hits.length, 64, 'the first 64 words the prefix stands for');
    assert.match(page.note!, /zap\* stands for more than 64 words/);
    assert.equal((f.search.search('flak*', { limit: 10 }) as { note?: string }).note, undefined);
    assert.deepEqual(f.find('nothingstartslikethis*'), []);
  } finally {
    f.close();
  }
});

test('no typed input, however hostile, makes the search fail: a page or a sentence', () => {
  const f = searchFixture();
  try {
    f.log.append('iris', [{ kind: 'note', text: 'flaky fla flat AND OR NOT near text agent é 😀 x' }]);
    f.catchUp();
    const random = seededRandom(1414);
    const alphabet = ['"', "'", '*', '(', ')', ':', '^', '+', '-', '{', '}', ' ', ' ', 'AND', 'OR', 'NOT', 'NEAR', 'fla', 'é', '\u0000', '\u202e', '😀', 'text', 'agent', '\\', '.', ','];
    for (let i = 0; i < 1500; i++) {
      let input = '';
      for (let n = 1 + Math.floor(random() * 10); n > 0; n--) input += alphabet[Math.floor(random() * alphabet.length)];
      const page = f.search.search(input, { limit: 5, ...(i % 3 === 0 && { agent: 'iris' }) });
      if (isRefusal(page)) assert.equal(page.code, 'bad_request', input);
    }
  } finally {
    f.close();
  }
});

test('a query with nothing to search for is a sentence, and changes nothing', () => {
  const f = searchFixture();
  try {
    const page = f.search.search('"" ()', { limit: 10 });
    assert.ok(isRefusal(page));
    assert.equal(page.code, 'bad_request');
    assert.match(page.error, /search looks for words/);
  } finally {
    f.close();
  }
});

test('a snippet starts at the word as a word, case aside, in the first piece that has one', () => {
  const event = { kind: 'stream', data: { type: 'assistant', message: { content: [{ type: 'text', text: 'nothing here' }, { type: 'tool_use', name: 'Bash', input: { command: 'grep untested; run the Test suite' } }] } } };
  const { source, snippet } = snippetOf(event, wordFinder(['test']));
  assert.equal(source, 'tool_use');
  assert.equal(snippet, 'Bash grep untested; run the Test suite');
  assert.deepEqual(snippetOf({ kind: 'note', text: 'abc' }, wordFinder(['zzz'])), { source: 'note', snippet: 'abc' }, 'no word found: the start');
});

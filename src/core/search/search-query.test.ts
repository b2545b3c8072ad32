// What an operator types into search: words and phrases become FTS5 strings, never syntax; garbage is a sentence or a literal search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { parseSearchQuery, wordsOf, MAX_QUERY_TERMS } from './search-query.js';
import { seededRandom } from '../../testing/seeded-random.js';

function parsed(input: string) {
  const r = parseSearchQuery(input);
  assert.ok(r.ok, `expected ${JSON.stringify(input)} to parse`);
  return r.query;
}

test('plain words are each a quoted string, ANDed; a quoted phrase stays together', () => {
  assert.equal(parsed('flaky test').match, 'text : ("flaky" AND "test")');
  assert.equal(parsed('"flaky test" again').match, 'text : ("flaky test" AND "again")');
  assert.deepEqual(parsed('"flaky test" again').words, ['flaky', 'test', 'again']);
});

test('operators, column filters and punctuation are text, not syntax', () => {
  assert.equal(parsed('a OR b NOT c').match, 'text : ("a" AND "or" AND "b" AND "not" AND "c")');
  assert.equal(parsed('agent:iris NEAR(x y)').match, 'text : ("agent iris" AND "near x" AND "y")', 'a word with punctuation inside is the phrase of its parts, as the text would be');
  assert.equal(parsed('say "foo bar').match, 'text : ("say" AND "foo bar")', 'an unclosed quote runs to the end');
  assert.equal(parsed('foo"bar').match, 'text : ("foo bar")');
  assert.equal(parsed('!!! (build)').match, 'text : ("build")', 'a term of only punctuation is dropped');
});

test('a trailing * asks for a prefix, but not inside quotes or alone', () => {
  assert.equal(parsed('flak*').match, 'text : ("flak"*)');
  assert.equal(parsed('"flak*"').match, 'text : ("flak")');
  assert.equal(parsed('* build').match, 'text : ("build")');
});

test('nothing to search for, too long, too many terms: a sentence', () => {
  for (const [input, pattern] of [
    ['', /give a word/],
    ['   ', /give a word/],
    ['"" *** ()', /search looks for words/],
    ['x'.repeat(1001), /at most 1000 characters/],
    [Array.from({ length: MAX_QUERY_TERMS + 1 }, (_, i) => `w${i}`).join(' '), /at most 32 words/],
  ] as const) {
    const r = parseSearchQuery(input);
    assert.equal(r.ok, false, input);
    if (!r.ok) assert.match(r.error, pattern);
  }
});

test('words are what the tokenizer keeps: letters and digits, lower-cased', () => {
  assert.deepEqual(wordsOf('Café-au_lait $100 ½ x=y'), ['café', 'au', 'lait', '100', '½', 'x', 'y']);
});

test('no input, however hostile, makes sqlite fail: every parsed query runs', () => {
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE t USING fts5(text, agent, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')");
  db.prepare('INSERT INTO t (rowid, text, agent) VALUES (1, ?, ?)').run('the flaky test failed again', 'iris');
  const run = db.prepare('SELECT rowid FROM t WHERE t MATCH ?');
  const random = seededRandom(14);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const alphabet = ['"', "'", '*', '(', ')', ':', '^', '+', '-', '{', '}', ' ', 'AND', 'OR', 'NOT', 'NEAR', 'a', 'é', '\u0000', '\u202e', '😀', 'text', 'agent', '\\', '.', ','];
  for (let i = 0; i < 2000; i++) {
    let input = '';
    const n = int(1, 12);
    for (let j = 0; j < n; j++) input += alphabet[int(0, alphabet.length - 1)];
    const r = parseSearchQuery(input);
    if (r.ok) assert.doesNotThrow(() => run.all(r.query.match), JSON.stringify(input));
  }
  assert.deepEqual(run.all(parsed('FLAKY "test failed"').match), [{ rowid: 1 }]);
  db.close();
});

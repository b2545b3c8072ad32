// Paging back through search results: pages appended newest first, each hit held once, one older page asked at a time, and no more than MAX_SEARCH_HITS held.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SearchAnswer } from '../protocol/index.js';
import { appendSearchPage, askingOlder, firstSearchPage, MAX_SEARCH_HITS, olderFailed, olderPageBefore } from './search-pages.js';
import { searchNote, searchPagesRows } from './reports.js';

const NOW = 1_763_702_500;

/** A page of hits with seqs `from` down to `from - count + 1`, a turn every 10 seqs. */
function page(from: number, count: number, more: boolean): SearchAnswer {
  const hits = Array.from({ length: count }, (_, i) => {
    const seq = from - i;
    return { seq, agent: 'iris', kind: 'note', ts_ms: NOW * 1000, source: 'note' as const, snippet: `flaky ${seq}`, turn: seq - (seq % 10) };
  });
  const turnSeqs = [...new Set(hits.map((h) => h.turn))];
  return { query: 'flaky', words: ['flaky'], hits, turns: turnSeqs.map((seq) => ({ seq, agent: 'iris', ts_ms: NOW * 1000, from: 'operator', body: `turn ${seq}` })), more, index_behind: 0 };
}

const seqs = (s: ReturnType<typeof firstSearchPage>) => s.pages.flatMap((p) => p.hits.map((h) => h.seq));
const texts = (rows: ReturnType<typeof searchPagesRows>) => rows.map((r) => r.segments.map((s) => s.text).join('').trim());

test('an older page is asked before the oldest hit held and appended after the pages held', () => {
  let s = firstSearchPage('flaky', page(1000, 200, true));
  assert.equal(searchNote(s), '200 hits, more older');
  assert.equal(olderPageBefore(s), 801);
  s = askingOlder(s, 801);
  assert.equal(olderPageBefore(s), undefined, 'one older page in flight at a time');
  assert.equal(texts(searchPagesRows(s, NOW)).at(-1), 'loading older hits…');
  s = appendSearchPage(s, page(800, 100, true));
  assert.equal(s.loadingBefore, undefined);
  assert.deepEqual(seqs(s).slice(198, 202), [802, 801, 800, 799]);
  assert.equal(s.held, 300);
  assert.equal(searchNote(s), '300 hits, more older');
  const rows = texts(searchPagesRows(s, NOW));
  const older = rows.indexOf('older hits (100 hits)');
  assert.ok(older > 0, 'the older page under a heading of its own');
  assert.equal(rows[older + 1], 'iris — 100 hits in 11 turns', 'grouped by agent and turn on its own');
  assert.match(rows[older + 2]!, /^turn #800 /, "the turn split by the page boundary shows again with the older page's hits");
  assert.equal(rows.at(-1), 'older hits load as the cursor reaches the end');
  s = appendSearchPage(askingOlder(s, 701), page(700, 50, false));
  assert.equal(searchNote(s), '350 hits');
  assert.equal(olderPageBefore(s), undefined, 'nothing older to ask for');
  assert.match(rows.at(-1)!, /older hits load/);
  assert.match(texts(searchPagesRows(s, NOW)).at(-1)!, /^note +flaky 659$/, "the list ends on the oldest turn's hits, in stream order");
});

test('hits already held are dropped; a page adding nothing stops the paging', () => {
  let s = firstSearchPage('flaky', page(1000, 200, true));
  s = appendSearchPage(askingOlder(s, 801), page(810, 30, true));
  assert.equal(s.held, 220, 'the ten seqs held already are not held twice');
  assert.equal(new Set(seqs(s)).size, seqs(s).length);
  assert.deepEqual(s.pages[1]!.hits.map((h) => h.seq).slice(0, 2), [800, 799]);
  const again = appendSearchPage(askingOlder(s, 781), page(790, 10, true));
  assert.equal(again.held, 220);
  assert.equal(again.pages.length, 2, 'no empty page');
  assert.equal(again.more, false, 'an answer with nothing new cannot lead further back');
});

test(`no more than ${MAX_SEARCH_HITS} hits are held: the list ends with the ctl command that goes on`, () => {
  let s = firstSearchPage('flaky', page(5000, 200, true));
  let asked = 0;
  for (let before = olderPageBefore(s); before !== undefined && asked < 10; before = olderPageBefore(s), asked++) {
    s = appendSearchPage(askingOlder(s, before), page(before - 1, 250, true));
  }
  assert.equal(asked, 4, 'pages are asked for until the cap is reached');
  assert.equal(s.held, MAX_SEARCH_HITS, 'the page reaching the cap is cut to it');
  assert.equal(s.more, true);
  assert.equal(olderPageBefore(s), undefined, 'nothing more is asked for');
  const oldest = seqs(s).at(-1);
  assert.equal(texts(searchPagesRows(s, NOW)).at(-1), `${MAX_SEARCH_HITS} hits is the most the console holds for a search; older: hyperhive search flaky --before ${oldest}`);
  assert.equal(searchNote(s), `${MAX_SEARCH_HITS} hits, more older`);
});

test('an older page that could not be fetched says why; the stale answer of an older ask changes nothing', () => {
  const s = askingOlder(firstSearchPage('flaky', page(1000, 200, true)), 801);
  assert.equal(olderFailed(s, 700, 'gone'), s);
  const failed = olderFailed(s, 801, 'the core is not answering');
  assert.equal(texts(searchPagesRows(failed, NOW)).at(-1), 'older hits could not be fetched: the core is not answering (move to the end again to retry)');
  assert.equal(olderPageBefore(failed), 801, 'asked again from the same place');
});

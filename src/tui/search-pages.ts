/**
 * Search results as the console pages back through them: the pages the core
 * answered, newest first, each hit held once; one older page asked for at a
 * time (`before` the oldest hit held), and no more than MAX_SEARCH_HITS
 * held — past that the list ends with a sentence naming the ctl command that
 * goes on. Pure: the dispatcher asks, the container appends the answer.
 */
import type { SearchAnswer, SearchHit, SearchTurn } from '../protocol/index.js';

/** Hits the console holds for one search (five pages): older ones are for `hyperhive search --before`. */
export const MAX_SEARCH_HITS = 1000;

/** One answered page: its hits newest first, and their turns. */
export interface SearchPage {
  hits: SearchHit[];
  turns: SearchTurn[];
}

/** A search as the console holds it. */
export interface SearchPages {
  query: string;
  /** The words searched for, for highlighting. */
  words: string[];
  /** Newest page first; no seq in two pages. */
  pages: SearchPage[];
  /** Hits held, over every page. */
  held: number;
  /** The core has older hits than those held. */
  more: boolean;
  indexBehind: number;
  note?: string;
  /** The `before` of the older page asked for and not answered yet. */
  loadingBefore?: number;
  /** Why the last older page was not had (asked again when the cursor reaches the end again). */
  olderError?: string;
}

/** The search after its first answer. */
export function firstSearchPage(query: string, answer: SearchAnswer): SearchPages {
  return appendSearchPage({ query, words: answer.words, pages: [], held: 0, more: false, indexBehind: answer.index_behind, ...(answer.note !== undefined && { note: answer.note }) }, answer);
}

/** `state` with `answer`'s hits after those held: seqs already held are dropped, and hits past MAX_SEARCH_HITS (leaving `more` set). */
export function appendSearchPage(state: SearchPages, answer: SearchAnswer): SearchPages {
  const seen = new Set(state.pages.flatMap((p) => p.hits.map((h) => h.seq)));
  const hits: SearchHit[] = [];
  let cut = false;
  for (const hit of answer.hits) {
    if (seen.has(hit.seq)) continue;
    seen.add(hit.seq);
    if (state.held + hits.length >= MAX_SEARCH_HITS) cut = true;
    else hits.push(hit);
  }
  const { loadingBefore: _answered, olderError: _cleared, ...rest } = state;
  const pages = hits.length > 0 ? [...state.pages, { hits, turns: answer.turns }] : state.pages;
  // An answer adding nothing new cannot lead further back: stop rather than ask for it again.
  const more = cut || (answer.more && hits.length > 0);
  return { ...rest, pages, held: state.held + hits.length, more, indexBehind: state.pages.length === 0 ? answer.index_behind : state.indexBehind };
}

/** The seq the next older page starts below; undefined when there is none to ask for (none older, one in flight, or the console holds its most). */
export function olderPageBefore(state: SearchPages): number | undefined {
  if (!state.more || state.loadingBefore !== undefined || state.held >= MAX_SEARCH_HITS) return undefined;
  return state.pages.at(-1)?.hits.at(-1)?.seq;
}

/** `state` waiting for the page before `before`. */
export function askingOlder(state: SearchPages, before: number): SearchPages {
  const { olderError: _cleared, ...rest } = state;
  return { ...rest, loadingBefore: before };
}

/** `state` after the older page before `before` was refused or lost; an answer to an older ask changes nothing. */
export function olderFailed(state: SearchPages, before: number, error: string): SearchPages {
  if (state.loadingBefore !== before) return state;
  const { loadingBefore: _answered, ...rest } = state;
  return { ...rest, olderError: error };
}

/** The oldest hit held, for the sentence sending the operator to the ctl. */
export function oldestHeld(state: SearchPages): number | undefined {
  return state.pages.at(-1)?.hits.at(-1)?.seq;
}

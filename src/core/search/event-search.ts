/**
 * Full-text search over every agent's stored stream: the index gives the
 * matching events newest first; each hit is read back from the store with a
 * snippet around the first word found and the turn it belongs to (the
 * agent's last `turn_start` at or before it). Answers are bounded by count
 * and bytes, paged with `before` like every list.
 */
import type { Db } from '../store/index.js';
import { agentMatch } from './search-indexer.js';
import { eventTextPieces, type TextSource } from './event-text.js';
import { matchExpression, parseSearchQuery } from './search-query.js';
import { PAGE_BYTES } from '../paging.js';
import { refuse, type Refusal } from '../refusal.js';
import type { SearchHit, SearchTurn } from '../../protocol/index.js';

/** Characters of context a snippet shows around the word it found. */
const SNIPPET_CHARS = 200;
/** Characters of a turn's wake-up message shown with its hits. */
const TURN_BODY_CHARS = 200;
/** Most words a prefix (`flak*`) stands for in one search. */
export const MAX_PREFIX_WORDS = 64;

/** One page of results. */
export interface SearchPage {
  words: string[];
  hits: SearchHit[];
  turns: SearchTurn[];
  more: boolean;
  /** A sentence when the search was narrower than asked (a prefix that stands for too many words). */
  note?: string;
}

type Obj = Record<string, unknown>;

export class EventSearch {
  private readonly selectMatches;
  private readonly selectPrefixWords;
  private readonly selectEvent;
  private readonly selectTurn;

  /** `store` is the hive's store, `index` a reading connection to the search index. */
  constructor(store: Db, index: Db) {
    this.selectMatches = index.prepare('SELECT rowid AS seq FROM event_text WHERE event_text MATCH ? AND rowid < ? ORDER BY rowid DESC');
    this.selectPrefixWords = index.prepare(`SELECT term FROM event_words WHERE term >= ? AND term < ? LIMIT ${MAX_PREFIX_WORDS + 1}`);
    const db = store;
    this.selectEvent = db.prepare('SELECT agent, line FROM agent_events WHERE seq = ?');
    this.selectTurn = db.prepare("SELECT seq, line FROM agent_events WHERE agent = ? AND kind = 'turn_start' AND seq <= ? ORDER BY seq DESC LIMIT 1");
  }

  /** Events whose words match `input` (of `agent`, when given), seq below `before`, newest first: at most `limit` hits within `bytes`. */
  search(input: string, opts: { agent?: string; before?: number; limit: number; bytes?: number }): SearchPage | Refusal {
    const parsed = parseSearchQuery(input);
    if (!parsed.ok) return refuse('bad_request', parsed.error);
    const { terms, words } = parsed.query;
    const narrowed: string[] = [];
    const match = matchExpression(terms, (prefix) => {
      const found = (this.selectPrefixWords.all(prefix, `${prefix}\u{10FFFF}`) as { term: string }[]).map((r) => r.term);
      if (found.length > MAX_PREFIX_WORDS) narrowed.push(`${prefix}*`);
      return found.slice(0, MAX_PREFIX_WORDS);
    });
    const expression = opts.agent === undefined ? match : `${match} AND ${agentMatch(opts.agent)}`;
    const finder = wordFinder(words);
    const budget = opts.bytes ?? PAGE_BYTES;
    const hits: SearchHit[] = [];
    const turns: SearchTurn[] = [];
    /** Each agent's turn of its last hit: the next (older) hit is in it too when it is not older than its start. */
    const lastTurn = new Map<string, SearchTurn | null>();
    const turnSeqs = new Set<number>();
    let used = 0;
    let more = false;
    // Read lazily: a page stops at its limit however many events match.
    for (const { seq } of this.selectMatches.iterate(expression, opts.before ?? Number.MAX_SAFE_INTEGER) as Iterable<{ seq: number }>) {
      if (hits.length >= opts.limit) {
        more = true;
        break;
      }
      const row = this.selectEvent.get(seq) as { agent: string; line: string } | undefined;
      // Cut by retention, and the index has not followed yet.
      if (!row) continue;
      const event = JSON.parse(row.line) as Obj;
      const cached = lastTurn.get(row.agent);
      const turn = cached !== undefined && cached !== null && cached.seq <= seq && event.kind !== 'turn_start' ? cached : this.turnOf(row.agent, seq, event);
      lastTurn.set(row.agent, turn);
      const { source, snippet } = snippetOf(event, finder);
      const hit: SearchHit = { seq, agent: row.agent, kind: String(event.kind), ts_ms: typeof event.ts_ms === 'number' ? event.ts_ms : 0, source, snippet, turn: turn?.seq ?? null };
      let cost = jsonBytes(hit);
      const newTurn = turn !== null && !turnSeqs.has(turn.seq);
      if (newTurn) cost += jsonBytes(turn);
      if (used + cost > budget) {
        more = true;
        break;
      }
      used += cost;
      hits.push(hit);
      if (newTurn) {
        turnSeqs.add(turn.seq);
        turns.push(turn);
      }
    }
    const page: SearchPage = { words, hits, turns, more };
    if (narrowed.length > 0) {
      page.note = `${narrowed.join(', ')} stand${narrowed.length === 1 ? 's' : ''} for more than ${MAX_PREFIX_WORDS} words; only the first ${MAX_PREFIX_WORDS} (in alphabetical order) were searched — give more letters`;
    }
    return page;
  }

  /** The turn an event of `agent` belongs to: its last turn start at or before `seq` (the event itself when it is one). */
  private turnOf(agent: string, seq: number, event: Obj): SearchTurn | null {
    if (event.kind === 'turn_start') return toTurn(seq, agent, event);
    const row = this.selectTurn.get(agent, seq) as { seq: number; line: string } | undefined;
    return row ? toTurn(row.seq, agent, JSON.parse(row.line) as Obj) : null;
  }
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value)) + 1;
}

function toTurn(seq: number, agent: string, event: Obj): SearchTurn {
  const body = typeof event.body === 'string' ? event.body : '';
  return {
    seq,
    agent,
    ts_ms: typeof event.ts_ms === 'number' ? event.ts_ms : 0,
    from: typeof event.from === 'string' ? event.from : '',
    body: body.length > TURN_BODY_CHARS ? `${body.slice(0, TURN_BODY_CHARS)}…` : body,
  };
}

/** A pattern that finds any of `words` where a word starts, case aside. */
export function wordFinder(words: readonly string[]): RegExp {
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})`, 'iu');
}

/** The piece of `event` where `finder` first finds a word, and up to SNIPPET_CHARS around it on one line. */
export function snippetOf(event: Obj, finder: RegExp): { source: TextSource; snippet: string } {
  const pieces = eventTextPieces(event);
  for (const piece of pieces) {
    const found = finder.exec(piece.text);
    if (found) return { source: piece.source, snippet: around(piece.text, found.index) };
  }
  // The words were in what the index took but the finder cannot place them (a diacritic the tokenizer folded): the start.
  return pieces[0] ? { source: pieces[0].source, snippet: around(pieces[0].text, 0) } : { source: 'note', snippet: '' };
}

/** About SNIPPET_CHARS of `text` around `at`, whitespace runs made single spaces, `…` where it was cut. */
function around(text: string, at: number): string {
  const start = Math.max(0, at - Math.floor(SNIPPET_CHARS / 3));
  const end = Math.min(text.length, start + SNIPPET_CHARS);
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}

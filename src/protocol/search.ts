/** What `search` answers: events whose words match, and the turns they belong to. */
import { z } from 'zod';

/** Hits in a `search` page when the request gives no `limit` (at most 1000). */
export const DEFAULT_SEARCH_HITS = 50;

/** Where in an event the words were found. */
export const SearchSource = z.enum(['turn_start', 'text', 'thinking', 'tool_use', 'tool_result', 'note', 'turn_end']);
export type SearchSource = z.infer<typeof SearchSource>;

/** One matching event. */
export const SearchHit = z.looseObject({
  /** The event's seq in its agent's stream. */
  seq: z.number().int(),
  agent: z.string(),
  /** The live event's kind (`stream`, `note`, `turn_start`, `turn_end`). */
  kind: z.string(),
  ts_ms: z.number(),
  source: SearchSource,
  /** About 200 characters around the first word found, on one line; `…` where cut. */
  snippet: z.string(),
  /** Seq of the `turn_start` of the turn it belongs to; null before the oldest stored turn start. */
  turn: z.number().int().nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;

/** A turn that hits belong to: its `turn_start` event. */
export const SearchTurn = z.looseObject({
  seq: z.number().int(),
  agent: z.string(),
  ts_ms: z.number(),
  /** Who sent the message that woke the agent. */
  from: z.string(),
  /** The message, cut to about 200 characters. */
  body: z.string(),
});
export type SearchTurn = z.infer<typeof SearchTurn>;

/** The `search` answer (besides the envelope). */
export const SearchAnswer = z.looseObject({
  query: z.string(),
  /** The words searched for, lower-case, for highlighting. */
  words: z.array(z.string()),
  /** Newest first. */
  hits: z.array(SearchHit),
  /** The turns of the hits, each once. */
  turns: z.array(SearchTurn),
  more: z.boolean(),
  /** Seqs stored but not yet indexed (the index follows the store a slice behind; events stored before it existed are indexed at start). */
  index_behind: z.number().int(),
  /** A sentence when the search was narrower than asked (a prefix standing for more than 64 words). */
  note: z.string().optional(),
});
export type SearchAnswer = z.infer<typeof SearchAnswer>;

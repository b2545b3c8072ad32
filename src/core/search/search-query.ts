/**
 * What an operator types into search, made into an FTS5 query that can only
 * ever mean "these words": every word and every "quoted phrase" becomes an
 * FTS5 string, so quotes, operators (AND, OR, NOT, NEAR), column filters and
 * punctuation are searched for as text (or ignored when they hold no word),
 * never read as syntax. A word ending in `*` matches as a prefix. Pure.
 */

/** Longest query taken, in characters. */
export const MAX_QUERY_CHARS = 1000;
/** Most words and phrases in one query. */
export const MAX_QUERY_TERMS = 32;

/** A query ready for the index: its terms, their FTS5 expression, and the words a client may highlight. */
export interface SearchQuery {
  terms: SearchTerm[];
  /** The FTS5 expression over the `text` column (prefixes as FTS5 prefix queries). */
  match: string;
  /** The words searched for, lower-case, in order (a phrase gives each of its words). */
  words: string[];
}

/** The characters the index's tokenizer (unicode61) keeps as words: letters, digits, private use; anything else separates words. */
const WORD = /[\p{L}\p{N}\p{Co}]+/gu;

/** The words the index would see in `text`, lower-case. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** One unit of a query as typed: a phrase (quoted or a single word), maybe a prefix. */
export interface SearchTerm {
  words: string[];
  prefix: boolean;
}

/** Split typed input into terms: "quoted phrases" (an unclosed quote runs to the end) and bare words. */
function termsOf(input: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const pattern = /"([^"]*)"?|(\S+)/g;
  for (const m of input.matchAll(pattern)) {
    const quoted = m[1];
    const raw = quoted ?? m[2]!;
    const words = wordsOf(raw);
    if (words.length === 0) continue;
    // `flak*` asks for a prefix; a `*` inside quotes is only text.
    const prefix = quoted === undefined && /[\p{L}\p{N}\p{Co}]\*$/u.test(raw);
    terms.push({ words, prefix });
  }
  return terms;
}

/** The query for `input`, or a sentence saying why there is nothing to search for. */
export function parseSearchQuery(input: string): { ok: true; query: SearchQuery } | { ok: false; error: string } {
  if (input.length > MAX_QUERY_CHARS) return { ok: false, error: `a search is at most ${MAX_QUERY_CHARS} characters` };
  const terms = termsOf(input);
  if (terms.length === 0) {
    return { ok: false, error: input.trim() === '' ? 'nothing to search for: give a word or two' : `nothing to search for in ${JSON.stringify(input.slice(0, 80))}: search looks for words (letters and digits)` };
  }
  if (terms.length > MAX_QUERY_TERMS) return { ok: false, error: `a search takes at most ${MAX_QUERY_TERMS} words or phrases` };
  return { ok: true, query: { terms, match: matchExpression(terms), words: terms.flatMap((t) => t.words) } };
}

/**
 * The FTS5 expression for `terms`: each a string, ANDed (explicitly: FTS5
 * takes no implicit AND beside a parenthesized OR). A one-word prefix
 * is replaced by the words `expand` gives for it (ORed), when it gives any:
 * FTS5 merges every word a prefix stands for before it can answer, where an
 * OR of a few words is read lazily, newest first, like any other query.
 */
export function matchExpression(terms: readonly SearchTerm[], expand?: (prefix: string) => string[] | null): string {
  // The words hold only letters and digits, so a double-quoted string can hold them as they are.
  const parts = terms.map((t) => {
    const words = t.prefix && t.words.length === 1 ? expand?.(t.words[0]!) : null;
    if (words && words.length > 0) return words.length === 1 ? `"${words[0]}"` : `(${words.map((w) => `"${w}"`).join(' OR ')})`;
    return `"${t.words.join(' ')}"${t.prefix ? '*' : ''}`;
  });
  return `text : (${parts.join(' AND ')})`;
}

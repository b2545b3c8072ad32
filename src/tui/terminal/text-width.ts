/**
 * Terminal width of text, fast for the text the console draws. Ink measures
 * every row with string-width, which segments anything beyond ASCII into
 * grapheme clusters and tests each against Unicode property regexes — the
 * largest single cost of a first frame, since every row has a glyph (● › ─ ✉).
 * Text made only of characters that are each a cluster of their own (Latin,
 * Greek, Cyrillic, punctuation, arrows, box drawing, shapes, symbols) is
 * measured here by each character's East Asian Width, which is what
 * string-width computes for such text; anything else (CJK, emoji sequences,
 * combining marks, invisible characters) goes to string-width. The bundle
 * puts this in string-width's place (scripts/bundle-tui.mjs); a test holds the
 * two to the same answer for every character of these ranges.
 */

/** Characters that always stand alone as one cluster, with no zero-width ones among them. */
export const SINGLE_CELL_TEXT =
  /^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u2070-\u209f\u20a0-\u20c0\u2100-\u2bff]*$/;

/** A string-width with the console's text measured directly and the rest by `stringWidth`. */
export function fastStringWidth(
  stringWidth: (text: string, options?: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean }) => number,
  stripAnsi: (text: string) => string,
  eastAsianWidth: (codePoint: number, options?: { ambiguousAsWide?: boolean }) => number,
): typeof stringWidth {
  return (input, options) => {
    // Options other than the defaults are rare: leave them to string-width.
    if (options && (options.ambiguousIsNarrow === false || options.countAnsiEscapeCodes)) return stringWidth(input, options);
    if (typeof input !== 'string' || input.length === 0) return 0;
    const text = input.includes('\u001b') || input.includes('\u009b') ? stripAnsi(input) : input;
    if (!SINGLE_CELL_TEXT.test(text)) return stringWidth(text);
    let width = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      width += code < 0x7f ? 1 : eastAsianWidth(code);
    }
    return width;
  };
}

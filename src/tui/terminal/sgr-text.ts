/**
 * Ink sanitizes the text of every Text on every frame: anything with an
 * escape is tokenized and rebuilt, keeping only SGR (and OSC). The console's
 * rows are already sanitized at ingest and styled with SGR alone, so for them
 * the answer is the text itself; this says so without tokenizing, and hands
 * anything else to Ink's sanitizer. The bundle puts it in front of Ink's
 * (scripts/bundle-tui.mjs); a test holds the two to the same answers.
 */

/** Text whose only escapes are complete SGR sequences (`ESC [ digits/semicolons m`). */
export const PLAIN_SGR_TEXT = /^(?:[^\u001b\u009b]|\u001b\[[0-9;]*m)*$/;

/** Ink's sanitizer with the console's text passed through untouched. */
export function sgrTextFirst(sanitize: (text: string) => string): (text: string) => string {
  return (text) => (PLAIN_SGR_TEXT.test(text) ? text : sanitize(text));
}

/**
 * What every list shares: a filter typed as in k9s (each word must appear,
 * any case), the window of rows around the cursor, and marks.
 */

/** True when every word of `filter` appears in one of `fields` (any case); an empty filter matches all. */
export function matchesFilter(filter: string, fields: readonly (string | undefined)[]): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = fields.filter(Boolean).join('\n').toLowerCase();
  return words.every((w) => text.includes(w));
}

/** The rows a list shows: `start` of `rows` visible ones, the cursor kept near the middle, and whether more lie above or below. */
export function listWindow(cursor: number, length: number, rows: number): { start: number; end: number; cursor: number; above: number; below: number } {
  const visible = Math.max(1, rows);
  const c = Math.max(0, Math.min(cursor, length - 1));
  const start = Math.max(0, Math.min(c - Math.floor(visible / 2), length - visible));
  const end = Math.min(length, start + visible);
  return { start, end, cursor: c, above: start, below: length - end };
}

/** `list` with `key` added, or removed when it is there. */
export function toggled(list: readonly string[], key: string): string[] {
  return list.includes(key) ? list.filter((k) => k !== key) : [...list, key];
}

/** The glyphs before a row: the cursor (›) and a mark (•), so both read without colour. */
export function rowPrefix(selected: boolean, marked: boolean): string {
  return `${selected ? '›' : ' '}${marked ? '•' : ' '} `;
}

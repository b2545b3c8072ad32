/**
 * Lists the core answers are bounded by count and by bytes, so no answer
 * line reaches the 1 MiB cap however large the items an agent wrote. A list
 * that stopped early says `more`; the client pages on with `before`.
 */

/** Most bytes of items in one answer (the rest of the 1 MiB line is envelope and room to spare). */
export const PAGE_BYTES = 900 * 1024;

/** Bytes `value` takes in a JSON array: its serialization and a comma. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value)) + 1;
}

/** A bounded run of items, and whether any were left out. */
export interface Page<T> {
  items: T[];
  more: boolean;
  /** Bytes the items take, as measured. */
  bytes: number;
}

/**
 * Items in order while at most `count` of them take at most `bytes`. Stops
 * reading `items` (an iterator may be a live query) at the first that does
 * not fit; `more` tells whether there was one.
 */
export function takePage<T>(items: Iterable<T>, count: number, bytes: number = PAGE_BYTES, size: (item: T) => number = jsonBytes): Page<T> {
  const page: T[] = [];
  let used = 0;
  for (const item of items) {
    if (page.length >= count) return { items: page, more: true, bytes: used };
    const itemBytes = size(item);
    if (used + itemBytes > bytes) return { items: page, more: true, bytes: used };
    page.push(item);
    used += itemBytes;
  }
  return { items: page, more: false, bytes: used };
}

/** Map a lazy sequence (a live query's rows) without reading it ahead. */
export function* mapRows<R, T>(rows: Iterable<R>, convert: (row: R) => T): Generator<T> {
  for (const row of rows) yield convert(row);
}

/** One lazy sequence after another; the second query starts only once the first is read to its end. */
export function* chainRows<T>(...parts: Iterable<T>[]): Generator<T> {
  for (const part of parts) yield* part;
}

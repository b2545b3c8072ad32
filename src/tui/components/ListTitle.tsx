/** The title row over a list: what it is, how many rows, its sort, its filter, its marks — the keys for each quoted from the keymap. */
import { keyOf } from '../keys/hints.js';
import type { Segment } from './Line.js';

export interface ListTitleFacts {
  name: string;
  shown: number;
  total: number;
  sort?: string;
  filter: string;
  marked?: number;
  /** Anything else the list says (e.g. stale data). */
  note?: Segment;
}

/** The title's segments. */
export function listTitle({ name, shown, total, sort, filter, marked, note }: ListTitleFacts): Segment[] {
  const segments: Segment[] = [{ text: `${name} ${shown === total ? total : `${shown} of ${total}`}`, bold: true }];
  if (sort) segments.push({ text: ` · sort: ${sort} (${keyOf('sort_next')})`, tone: 'muted' });
  if (filter) segments.push({ text: ` · filter /${filter} (${keyOf('back')} clears)`, tone: 'accent' });
  else segments.push({ text: ` · ${keyOf('filter')} filters`, tone: 'muted' });
  if (marked) segments.push({ text: ` · ${marked} marked (${keyOf('back')} clears)`, tone: 'warn', bold: true });
  if (note) segments.push(note);
  return segments;
}

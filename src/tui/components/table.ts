/**
 * Column widths for the list views: each column as wide as its content
 * (title included) up to its cap, the last column gets the rest, and when
 * the rest would be too narrow the least important columns are dropped
 * first. One space separates columns. Widths are terminal cells.
 */
import { textWidth } from '../format.js';

/** One column: its title, its cells, its cap, and how readily it is dropped (higher first; 0 never). */
export interface ColumnSpec {
  title: string;
  cells: readonly string[];
  max: number;
  drop: number;
}

/** Widths for `columns` (0 = dropped) and the width left for the last, free column. */
export function fitColumns(columns: readonly ColumnSpec[], width: number, restMin: number): { widths: number[]; rest: number } {
  const natural = columns.map((c) => Math.min(c.max, Math.max(textWidth(c.title), ...c.cells.map(textWidth))));
  const widths = [...natural];
  const used = () => widths.reduce((n, w) => n + (w > 0 ? w + 1 : 0), 0);
  const order = columns.map((c, i) => ({ drop: c.drop, i })).filter((c) => c.drop > 0).sort((a, b) => b.drop - a.drop || b.i - a.i);
  for (const { i } of order) {
    if (width - used() >= restMin) break;
    widths[i] = 0;
  }
  return { widths, rest: Math.max(0, width - used()) };
}

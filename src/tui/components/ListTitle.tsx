/** The title row over a list: what it is, how many rows, its sort, its filter, its marks — the keys for each quoted from the keymap. */
import type { ReactNode } from 'react';
import { Box } from 'ink';
import { keyOf, type Hint } from '../keys/hints.js';
import type { Theme } from '../theme/theme.js';
import { Line, type Segment } from './Line.js';

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

/** What a filtered list view with a detail pane below it is drawn from, besides its rows. */
export interface ListViewProps {
  /** Rows before the filter. */
  total: number;
  cursor: number;
  filter: string;
  /** The selected row's keys, for the detail pane. */
  hints: Hint[];
  height: number;
  width: number;
  nowMs: number;
  theme: Theme;
}

/** A list with no rows: its title, then why (nothing matches the filter, or nothing yet). */
export function EmptyList({ title, filter, what, none, height, theme }: { title: ReactNode; filter: string; what: string; none: string; height: number; theme: Theme }) {
  return (
    <Box flexDirection="column" height={height}>
      {title}
      <Line theme={theme} segments={[{ text: filter ? `  no ${what} matches /${filter}` : `  ${none}`, tone: 'muted' }]} />
    </Box>
  );
}

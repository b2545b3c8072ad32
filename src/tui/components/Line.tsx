/**
 * One terminal row of styled segments, cut to the width (never wraps). The
 * segments are styled here into one string, so a row is one Ink text node
 * rather than one per segment: frames reconcile and lay out several times faster.
 */
import { memo } from 'react';
import { Text } from 'ink';
import type { Theme } from '../theme/theme.js';

/** A piece of a row with a semantic style. */
export interface Segment {
  text: string;
  tone?: 'ok' | 'warn' | 'error' | 'accent' | 'muted' | 'add' | 'del' | 'hunk';
  bold?: boolean;
  dim?: boolean;
}

type ColorName = 'green' | 'yellow' | 'red' | 'cyan' | 'gray' | 'blue';

/** The row as one string: SGR styling only, and none at all with no colour. */
export function styleSegments(segments: readonly Segment[], theme: Theme, selected = false): string {
  if (!theme.styles) return segments.map((s) => s.text).join('');
  const chalk = theme.chalk;
  let out = '';
  for (const s of segments) {
    let piece = s.text;
    if (!piece) continue;
    const color = s.tone ? (theme[s.tone] as ColorName | undefined) : undefined;
    if (color && color in chalk) piece = chalk[color](piece);
    if (s.bold) piece = chalk.bold(piece);
    if (s.dim) piece = chalk.dim(piece);
    out += piece;
  }
  return selected ? chalk.inverse(out) : out;
}

/** Draw segments on one row; `selected` inverts it (and the caller adds a › glyph). */
export const Line = memo(function Line({ segments, theme, selected = false }: { segments: Segment[]; theme: Theme; selected?: boolean }) {
  return <Text wrap="truncate">{styleSegments(segments, theme, selected)}</Text>;
});

/**
 * Semantic colour tokens, and the chalk instance that draws them at the
 * colour level the console decided (terminal/color-level.ts). With no colour
 * every token is empty and no escape is drawn at all.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { ColorLevel } from '../terminal/color-level.js';

/** Text styles the views use, by meaning rather than by colour. */
export interface Theme {
  noColor: boolean;
  ok?: string;
  warn?: string;
  error?: string;
  accent?: string;
  muted?: string;
  add?: string;
  del?: string;
  hunk?: string;
  selectedBg?: string;
  /** Whether dim/bold/inverse may be used (off with no colour: no escapes at all). */
  styles: boolean;
  /** Styles at this theme's colour level (never chalk's own detection, which reads `CI`). */
  chalk: ChalkInstance;
}

const PALETTE = {
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  accent: 'cyan',
  muted: 'gray',
  add: 'green',
  del: 'red',
  hunk: 'cyan',
  selectedBg: 'blue',
} as const;

/** The theme for a colour level: the palette's basic colour names follow the terminal's own palette at every level. */
export function themeFor(level: ColorLevel): Theme {
  if (level === 0) return noColorTheme;
  return { noColor: false, ...PALETTE, styles: true, chalk: new Chalk({ level }) };
}

/** NO_COLOR / --no-color: state stays readable from glyphs and words. */
export const noColorTheme: Theme = { noColor: true, styles: false, chalk: new Chalk({ level: 0 }) };

/** The default theme (16 colours), for tests and previews. */
export const colorTheme: Theme = themeFor(1);

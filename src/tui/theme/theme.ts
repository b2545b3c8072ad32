/** Semantic colour tokens, with a no-colour theme where every token is empty. */

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
}

/** The default theme. */
export const colorTheme: Theme = {
  noColor: false,
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  accent: 'cyan',
  muted: 'gray',
  add: 'green',
  del: 'red',
  hunk: 'cyan',
  selectedBg: 'blue',
  styles: true,
};

/** NO_COLOR / --no-color: state stays readable from glyphs and words. */
export const noColorTheme: Theme = { noColor: true, styles: false };

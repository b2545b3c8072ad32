/**
 * How many colours the console draws with, decided from the terminal and the
 * operator's wishes only. chalk's own detection (supports-color) answers "no
 * colour" whenever a `CI` variable exists, so a console started from a shell
 * that happens to export `CI` would lose its colour: the console decides here
 * and styles through a chalk instance of this level.
 */

/** 0 none, 1 the 16 basic colours, 2 256 colours, 3 truecolor (chalk's levels). */
export type ColorLevel = 0 | 1 | 2 | 3;

/** What the decision reads. */
export interface ColorInputs {
  env: NodeJS.ProcessEnv;
  /** False with `--no-color`. */
  colorFlag: boolean;
  /** Whether stdout is a terminal. */
  isTTY: boolean;
}

/** TERM values (or prefixes) of terminals that take the 16 basic colours. */
const BASIC_TERMS = /^(xterm|screen|tmux|vt1[0-9]{2}|vt2[0-9]{2}|rxvt|linux|cygwin|ansi|konsole|putty|alacritty|kitty|wezterm|foot|st|eterm|gnome|mlterm|iterm|contour)|color/i;

/**
 * The colour level: `--no-color` and a non-empty `NO_COLOR` (no-color.org)
 * turn colour off whatever else is set; `FORCE_COLOR` (0–3, `true`, `false`,
 * empty = 1) decides next, even off a terminal; otherwise a terminal's
 * `COLORTERM` and `TERM` say what it takes. Nothing else is read — in
 * particular not `CI` or any other CI vendor's variable.
 */
export function colorLevel({ env, colorFlag, isTTY }: ColorInputs): ColorLevel {
  if (!colorFlag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const forced = forcedLevel(env.FORCE_COLOR);
  if (forced !== undefined) return forced;
  if (!isTTY) return 0;
  const term = env.TERM ?? '';
  if (term === 'dumb') return 0;
  const colorterm = (env.COLORTERM ?? '').toLowerCase();
  if (colorterm === 'truecolor' || colorterm === '24bit') return 3;
  if (/-256(colou?r)?$/i.test(term) || /-direct$/i.test(term)) return 2;
  if (BASIC_TERMS.test(term) || colorterm !== '') return 1;
  return 0;
}

function forcedLevel(value: string | undefined): ColorLevel | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value === 'true') return 1;
  if (value === 'false') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) return undefined; // an unreadable value forces nothing
  return Math.min(n, 3) as ColorLevel;
}

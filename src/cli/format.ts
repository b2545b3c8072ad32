/**
 * The ctl's human output, its common pieces: terminal-safe JSON, one-line
 * cells, cuts, relative ages, amounts and aligned tables. Each kind of
 * output has its own `format-*.ts` built from these. Pure functions; every
 * string that came over the wire passes the sanitizer.
 */
import { sanitizeOneLine } from '../protocol/sanitize.js';
import { formatAge, formatCost, formatDuration, formatTokens } from '../protocol/display.js';

// JSON.stringify escapes C0 controls but leaves DEL, C1 (U+0080–U+009F: 8-bit CSI/OSC), bidi
// overrides and line separators raw; written as \uXXXX they are the same JSON value, inert on a terminal.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `value` as one line of JSON that is also safe to print to a terminal. */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One wire string made safe for a single terminal line (missing → empty). */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  return sanitizeOneLine(typeof value === 'string' ? value : JSON.stringify(value));
}

/** Cut `text` to `width` characters, marking the cut with `…`. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join('');
  return chars.slice(0, width - 1).join('') + '…';
}

function displayWidth(text: string): number {
  return [...text].length;
}

/** RFC 3339 (or unix seconds) → unix seconds; NaN when unreadable. */
export function toUnixSeconds(value: string | number | undefined): number {
  if (value === undefined) return NaN;
  if (typeof value === 'number') return value;
  return Date.parse(value) / 1000;
}

/** Compact relative age: `12s`, `5m`, `3h`, `2d`; a future time reads `in 5m`. */
export function age(atSeconds: number, nowSeconds: number): string {
  if (!Number.isFinite(atSeconds)) return '?';
  const delta = nowSeconds - atSeconds;
  const span = compactSpan(Math.abs(delta));
  return delta < -1 ? `in ${span}` : span;
}

function compactSpan(seconds: number): string {
  return formatAge(seconds);
}

/** A duration in milliseconds: `850ms`, `3.2s`, `4m12s`, `1h05m`. */
export const duration = formatDuration;

/** US dollars with sensible precision; missing → `-`. */
export const usd = formatCost;

/** Token counts: `950`, `1.2k`, `45k`, `4.5M`. */
export const tokens = formatTokens;

/**
 * Align `rows` under `header` with two spaces between columns. Cells are
 * already sanitized single lines. When `width` is given, the last column is
 * cut so no line is wider.
 */
export function renderTable(header: string[], rows: string[][], width?: number): string[] {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const lines = [header, ...rows].map((row) => {
    const cells = header.map((_, i) => {
      const text = row[i] ?? '';
      return i === header.length - 1 ? text : text + ' '.repeat(widths[i]! - displayWidth(text));
    });
    let line = cells.join('  ').trimEnd();
    if (width !== undefined && width > 20) line = truncate(line, width);
    return line;
  });
  return lines;
}

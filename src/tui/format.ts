/** Small pure formatters for the views; units and the state word are the protocol's, shared with the ctl. */
import stringWidth from 'string-width';
import type { AgentStatusRow, TransientEntry } from '../protocol/index.js';

export { agentState, formatAge, formatBytes, formatCost, formatDuration, formatPercent, formatTokens, type AgentStateWord } from '../protocol/light.js';

/** "HH:MM:SS" local time of a unix-seconds instant. */
export function formatClock(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Printable ASCII: one cell per character, measured by its length. */
const ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter();

/** Cells `text` takes on a terminal: an emoji or a CJK character takes two, a combining mark none. */
export function textWidth(text: string): number {
  return ASCII.test(text) ? text.length : stringWidth(text);
}

/**
 * Pad or cut `text` to exactly `width` cells, so the columns after it line
 * up whatever an agent's text holds (agent text is sanitized first). A cut
 * never splits a character: a two-cell one that does not fit leaves a space.
 */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (ASCII.test(text)) {
    if (text.length > width) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
    return text.padEnd(width);
  }
  const cells = stringWidth(text);
  if (cells <= width) return text + ' '.repeat(width - cells);
  let cut = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width - 1) break;
    cut += segment;
    used += w;
  }
  return cut + '…' + ' '.repeat(width - 1 - used);
}

/** Words wrapped to `width` columns (a word longer than a row is cut into row-long pieces). */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(8, width);
  const rows: string[] = [];
  let row = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > w) {
      if (row) rows.push(row), (row = '');
      rows.push(word.slice(0, w));
      word = word.slice(w);
    }
    if (!word) continue;
    if (row && row.length + 1 + word.length > w) rows.push(row), (row = '');
    row = row ? `${row} ${word}` : word;
  }
  if (row) rows.push(row);
  return rows;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A spinner frame for a clock tick. */
export function spinnerFrame(tick: number): string {
  return SPINNER[Math.abs(tick) % SPINNER.length]!;
}

/** The transient in progress for an agent (the snapshot's map wins over the row's copy). */
export function transientOf(row: AgentStatusRow, transients: Record<string, TransientEntry>): string | undefined {
  return transients[row.name]?.kind ?? row.transient;
}

/** Seconds since an RFC 3339 timestamp, or undefined when it does not parse. */
export function secondsSinceIso(iso: string | undefined, nowMs: number): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : (nowMs - t) / 1000;
}

/** Order roster rows so each parent is followed by its children (depth for indent). */
export function groupByParent(rows: AgentStatusRow[]): { row: AgentStatusRow; depth: number }[] {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const children = new Map<string, AgentStatusRow[]>();
  const roots: AgentStatusRow[] = [];
  for (const r of rows) {
    if (r.parent && byName.has(r.parent) && r.parent !== r.name) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    } else roots.push(r);
  }
  const byNameOrder = (a: AgentStatusRow, b: AgentStatusRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const out: { row: AgentStatusRow; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (r: AgentStatusRow, depth: number) => {
    if (seen.has(r.name)) return; // parent cycles cannot loop forever
    seen.add(r.name);
    out.push({ row: r, depth });
    for (const c of (children.get(r.name) ?? []).sort(byNameOrder)) visit(c, depth + 1);
  };
  for (const r of roots.sort(byNameOrder)) visit(r, 0);
  for (const r of rows) if (!seen.has(r.name)) visit(r, 0);
  return out;
}

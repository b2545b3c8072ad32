/** Small pure formatters shared by the views: ages, durations, tokens, cost, agent state. */
import type { AgentStatusRow, TransientEntry } from '../protocol/index.js';

/** "4s", "3m", "2h", "5d" for an interval in seconds. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** "850ms", "12.3s", "4m05s", "1h02m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** "950", "12.3k", "1.2M". */
export function formatTokens(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '-';
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** "$0.0123" below a dollar, "$1.23" above. */
export function formatCost(usd: number | undefined): string {
  if (usd === undefined || !Number.isFinite(usd)) return '-';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** "HH:MM:SS" local time of a unix-seconds instant. */
export function formatClock(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Pad or cut `text` to exactly `width` cells (one cell per code unit; agent text is sanitized first). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
  return text.padEnd(width);
}

/** The state words in hyperhive's precedence: failed > needs login > paused > stopped > running. */
export type AgentStateWord = 'failed' | 'needs login' | 'paused' | 'stopped' | 'running';

/** An agent's one state by precedence. */
export function agentState(row: Pick<AgentStatusRow, 'failed' | 'needs_login' | 'paused' | 'running'>): AgentStateWord {
  if (row.failed) return 'failed';
  if (row.needs_login) return 'needs login';
  if (row.paused) return 'paused';
  if (!row.running) return 'stopped';
  return 'running';
}

/** A glyph per state, so the roster stays readable with no colour. */
export const STATE_GLYPH: Record<AgentStateWord, string> = {
  failed: '✗',
  'needs login': '⚿',
  paused: '‖',
  stopped: '■',
  running: '●',
};

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

/**
 * Human units and the agent state word, shared by every operator surface (the
 * console and the ctl) so both say the same thing. Zod-free: the console loads
 * it before its first frame.
 */
import type { AgentStatusRow } from './records.js';

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

/**
 * Whether output to a stream should carry colour: `NO_COLOR` (set, not
 * empty) says no, `FORCE_COLOR` says yes (`0` or `false`: no), a dumb
 * terminal says no; otherwise colour exactly when the stream is a terminal.
 */
export function wantsColor(env: NodeJS.ProcessEnv, isTerminal: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTerminal;
}

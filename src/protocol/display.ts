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

// ---------------------------------------------------------------- resources and schedules

/** "812K", "143M", "1.4G" for a size in bytes (binary units). */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '-';
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)}${units[unit]}`;
}

/** "0%", "7%", "143%" (of one core). */
export function formatPercent(percent: number | undefined): string {
  if (percent === undefined || !Number.isFinite(percent)) return '-';
  return `${Math.round(percent)}%`;
}

/** A moment as the clock on the wall of `timeZone` shows it: "Mon 2026-05-04 09:00 CEST" (unix seconds in). */
export function formatInZone(atSeconds: number, timeZone: string): string {
  if (!Number.isFinite(atSeconds)) return '?';
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
    }).formatToParts(new Date(atSeconds * 1000));
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
  } catch {
    return new Date(atSeconds * 1000).toISOString();
  }
}

/** When a schedule fires, in words: "cron 0 9 * * 1-5 (Europe/Berlin)" or "every 15m". */
export function formatScheduleWhen(s: { cron?: string; every_seconds?: number; tz: string }): string {
  if (s.cron !== undefined) return `cron ${s.cron} (${s.tz})`;
  const every = s.every_seconds ?? 0;
  const units: [number, string][] = [[86_400, 'd'], [3600, 'h'], [60, 'm']];
  const exact = units.find(([n]) => every % n === 0);
  return `every ${exact ? `${every / exact[0]}${exact[1]}` : `${every}s`}`;
}

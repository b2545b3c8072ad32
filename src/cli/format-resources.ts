/** Human output of `hyperhive resources`: each running agent's CPU and memory, heaviest CPU first. Pure. */
import { formatBytes, formatPercent } from '../protocol/display.js';
import type { ResourceSample } from '../protocol/resources.js';
import { cell, renderTable } from './format.js';

/** `resources`: one row per running agent; `note` when the core samples nothing (another backend). */
export function renderResources(samples: ResourceSample[], note: string | undefined, width?: number): string[] {
  if (samples.length === 0) return [note ?? 'no running agents to sample'];
  const rows = [...samples].sort((a, b) => b.cpu_percent - a.cpu_percent || (a.name < b.name ? -1 : 1));
  const body = rows.map((s) => [
    cell(s.name),
    String(s.pid),
    formatPercent(s.cpu_percent),
    formatBytes(s.rss_bytes),
    String(s.processes),
    s.turn_peak_cpu_percent === undefined ? '-' : `${formatPercent(s.turn_peak_cpu_percent)} ${formatBytes(s.turn_peak_rss_bytes)}`,
  ]);
  return renderTable(['NAME', 'PID', 'CPU', 'RSS', 'PROCS', 'TURN PEAK'], body, width);
}

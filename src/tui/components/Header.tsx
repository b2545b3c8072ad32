/** The header row: hive, connection state (always visible), counts, read-only badge. */
import { memo } from 'react';
import { Line, type Segment } from './Line.js';
import type { ConnectionInfo } from '../client/hive-state.js';
import type { Theme } from '../theme/theme.js';
import { formatClock } from '../format.js';

/** Words and tone for a connection state. */
export function describeConnection(c: ConnectionInfo, nowMs: number): Segment[] {
  const next = c.nextTryAt !== undefined ? `next try in ${Math.max(0, Math.ceil((c.nextTryAt - nowMs) / 1000))}s` : '';
  const stale = c.staleSince !== undefined ? [{ text: ` · data stale since ${formatClock(c.staleSince / 1000)}`, tone: 'warn' as const }] : [];
  switch (c.phase) {
    case 'connecting':
      return [{ text: `◌ connecting to ${c.where}`, tone: 'warn' }];
    case 'live':
      return [{ text: '● live', tone: 'ok' }];
    case 'reconnecting':
      return [{ text: `◌ reconnecting (attempt ${c.attempt ?? 1}, ${next})`, tone: 'warn' }, ...stale, { text: c.reason ? ` — ${c.reason}` : '', tone: 'muted' }];
    case 'stale':
      return [{ text: `◌ stale since ${formatClock((c.staleSince ?? nowMs) / 1000)} (attempt ${c.attempt ?? 1}, ${next})`, tone: 'warn' }, { text: c.reason ? ` — ${c.reason}` : '', tone: 'muted' }];
    case 'unreachable':
      return [{ text: `✗ unreachable (${next}): ${c.reason ?? `no answer at ${c.where}`}`, tone: 'error' }];
    case 'incompatible':
      return [{ text: `✗ incompatible: ${c.reason ?? `core protocol ${c.theirVersion}`}`, tone: 'error' }];
  }
}

export interface HeaderProps {
  connection: ConnectionInfo;
  nowMs: number;
  agents: number;
  attention: number;
  view: string;
  theme: Theme;
}

/** The header row. */
export const Header = memo(function Header({ connection, nowMs, agents, attention, view, theme }: HeaderProps) {
  const segments: Segment[] = [
    { text: 'hyperhive', bold: true, tone: 'accent' },
    ...(connection.context !== undefined ? [{ text: ` ⟨${connection.context}⟩`, tone: 'accent' as const }] : []),
    ...(connection.readOnly ? [{ text: ' [READ-ONLY]', tone: 'warn' as const, bold: true }] : []),
    ...(connection.decisionsOnly && !connection.readOnly ? [{ text: ' [DECISIONS ONLY]', tone: 'warn' as const, bold: true }] : []),
    { text: ' ' },
    ...describeConnection(connection, nowMs),
    { text: ` · ${view} · ${agents} agents · ${attention} need attention` },
  ];
  return <Line segments={segments} theme={theme} />;
});

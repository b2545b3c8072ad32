/**
 * The header: the hive's name, the core's version and uptime, the
 * connection state (always), what needs the operator, agents running,
 * turns running and today's cost — fitted to the width by dropping the
 * least important first. While not live, the reason (e.g. "no hive at … —
 * is hyperhive-core running?") is wrapped on rows of its own below, never cut.
 */
import { memo } from 'react';
import { Box } from 'ink';
import { Line, type Segment } from './Line.js';
import type { ConnectionInfo } from '../client/connection-info.js';
import type { HiveInfo } from '../../protocol/index.js';
import type { Theme } from '../theme/theme.js';
import { formatAge, formatClock, formatCost, wrapWords } from '../format.js';
import { spendText } from '../holds.js';
import type { HiveSpend } from '../../protocol/index.js';

/** Words and tone for a connection state (the reason, if any, is told apart). */
export function describeConnection(c: ConnectionInfo, nowMs: number): { state: Segment[]; reason?: string } {
  const next = c.nextTryAt !== undefined ? `next try in ${Math.max(0, Math.ceil((c.nextTryAt - nowMs) / 1000))}s` : '';
  const stale = c.staleSince !== undefined ? [{ text: ` · data stale since ${formatClock(c.staleSince / 1000)}`, tone: 'warn' as const }] : [];
  switch (c.phase) {
    case 'connecting':
      return { state: [{ text: `◌ connecting to ${c.where}`, tone: 'warn' }] };
    case 'live':
      return { state: [{ text: '● live', tone: 'ok' }] };
    case 'reconnecting':
      return { state: [{ text: `◌ reconnecting (attempt ${c.attempt ?? 1}, ${next})`, tone: 'warn' }, ...stale], reason: c.reason };
    case 'stale':
      return { state: [{ text: `◌ stale since ${formatClock((c.staleSince ?? nowMs) / 1000)} (attempt ${c.attempt ?? 1}, ${next})`, tone: 'warn' }], reason: c.reason };
    case 'unreachable':
      return { state: [{ text: `✗ unreachable (${next})`, tone: 'error' }], reason: c.reason ?? `no answer at ${c.where}` };
    case 'incompatible':
      return { state: [{ text: '✗ incompatible', tone: 'error' }], reason: c.reason ?? `core protocol ${c.theirVersion}` };
  }
}

/** Rows the reason takes below the header (none while live); at most `max`. */
export function reasonRows(c: ConnectionInfo, nowMs: number, width: number, max = 4): string[] {
  const reason = describeConnection(c, nowMs).reason;
  return reason ? wrapWords(reason, width - 2).slice(0, max) : [];
}

/** What the header counts. */
export interface HeaderFacts {
  hive?: HiveInfo;
  agentsRunning: number;
  agentsTotal: number;
  turnsRunning: number;
  todayCostUsd?: number;
  /** The hive's spend today and this week against its budget (newer cores); shown instead of todayCostUsd. */
  spend?: HiveSpend;
  approvals: number;
  questions: number;
  messages: number;
  /** Agents failed, waiting for a login, or stalled. */
  agentTrouble: number;
}

/** One piece of the header and how readily it is dropped (higher goes first). */
interface Piece {
  segments: Segment[];
  drop: number;
}

/** The header's segments for `width` columns: pieces dropped, least important first, until it fits. */
export function headerSegments(connection: ConnectionInfo, facts: HeaderFacts, nowMs: number, width: number): Segment[] {
  const needs = [
    facts.approvals ? `⚑${facts.approvals}` : '',
    facts.questions ? `?${facts.questions}` : '',
    facts.messages ? `✉${facts.messages}` : '',
    facts.agentTrouble ? `✗${facts.agentTrouble}` : '',
  ].filter(Boolean);
  const pieces: Piece[] = [
    { segments: [{ text: facts.hive ? `hyperhive ${facts.hive.name}` : 'hyperhive', bold: true, tone: 'accent' }], drop: 2 },
    ...(connection.context !== undefined ? [{ segments: [{ text: ` ⟨${connection.context}⟩`, tone: 'accent' as const }], drop: 1 }] : []),
    ...(facts.hive ? [{ segments: [{ text: ` ${facts.hive.version}`, tone: 'muted' as const }], drop: 6 }] : []),
    ...(facts.hive ? [{ segments: [{ text: ` up ${formatAge(nowMs / 1000 - facts.hive.started_at)}`, tone: 'muted' as const }], drop: 7 }] : []),
    ...(connection.readOnly ? [{ segments: [{ text: ' [READ-ONLY]', tone: 'warn' as const, bold: true }], drop: 0 }] : []),
    ...(connection.decisionsOnly && !connection.readOnly ? [{ segments: [{ text: ' [DECISIONS ONLY]', tone: 'warn' as const, bold: true }], drop: 0 }] : []),
    { segments: [{ text: ' · ' }, ...describeConnection(connection, nowMs).state], drop: 0 },
    { segments: [{ text: ' · ' }, needs.length ? { text: `${needs.join(' ')} need you`, tone: 'warn', bold: true } : { text: 'nothing needs you', tone: 'ok' }], drop: 1 },
    { segments: [{ text: ` · ${facts.agentsRunning}/${facts.agentsTotal} agents running` }], drop: 3 },
    { segments: [{ text: ` · ${facts.turnsRunning} turn${facts.turnsRunning === 1 ? '' : 's'} running` }], drop: 4 },
    ...(facts.spend ? [{ segments: [{ text: ' · ' }, { text: spendText(facts.spend).text, ...(spendText(facts.spend).warn && { tone: 'warn' as const, bold: true }) }], drop: 5 }] : []),
    ...(facts.todayCostUsd !== undefined && !facts.spend ? [{ segments: [{ text: ` · today ${formatCost(facts.todayCostUsd)}` }], drop: 5 }] : []),
  ];
  const length = (ps: Piece[]) => ps.reduce((n, p) => n + p.segments.reduce((m, s) => m + s.text.length, 0), 0);
  let kept = pieces;
  for (let level = 7; level > 0 && length(kept) > width; level--) kept = kept.filter((p) => p.drop < level);
  const segments = kept.flatMap((p) => p.segments);
  // With the name gone, the row does not start with a separator.
  if (segments[0]?.text === ' · ') segments.shift();
  return segments;
}

export interface HeaderProps {
  connection: ConnectionInfo;
  facts: HeaderFacts;
  nowMs: number;
  width: number;
  theme: Theme;
}

/** The header row, and the connection's reason wrapped below it while not live. */
export const Header = memo(function Header({ connection, facts, nowMs, width, theme }: HeaderProps) {
  const reason = reasonRows(connection, nowMs, width);
  return (
    <Box flexDirection="column">
      <Line segments={headerSegments(connection, facts, nowMs, width)} theme={theme} />
      {reason.map((row, i) => (
        <Line key={i} segments={[{ text: `  ${row}`, tone: connection.phase === 'unreachable' || connection.phase === 'incompatible' ? 'error' : 'muted' }]} theme={theme} />
      ))}
    </Box>
  );
});

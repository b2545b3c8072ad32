/** The tool-permission rules: effect, scope, hits and last use, expiry, where each came from, and the rule. */
import { memo } from 'react';
import { Box } from 'ink';
import type { PermissionRule } from '../../protocol/index.js';
import { Line, type Segment } from '../components/Line.js';
import type { Theme } from '../theme/theme.js';
import { fit, formatAge } from '../format.js';
import { keyOf } from '../keys/hints.js';

export interface RulesViewProps {
  /** Null until the core answered. */
  rules: readonly PermissionRule[] | null;
  /** Why they could not be read, if so. */
  error?: string;
  cursor: number;
  height: number;
  width: number;
  nowMs: number;
  theme: Theme;
}

const COLUMNS = '  ID     EFFECT  SCOPE         HITS  LAST USED  EXPIRES    FROM          RULE';

function ago(unix: number | undefined, nowMs: number): string {
  return unix === undefined ? '-' : `${formatAge(Math.max(0, nowMs / 1000 - unix))} ago`;
}

function row(r: PermissionRule, nowMs: number, width: number): Segment[] {
  const expires = r.expires_at === undefined ? '-' : `in ${formatAge(Math.max(0, r.expires_at - nowMs / 1000))}`;
  const from = r.source === 'config' ? 'config' : (r.created_by ?? 'operator');
  const cells = `${fit(`#${r.id}`, 6)} ${fit(r.effect, 7)} ${fit(r.agent ?? 'hive', 13)} ${fit(String(r.hits), 5)} ${fit(ago(r.last_used_at, nowMs), 10)} ${fit(expires, 10)} ${fit(from, 13)} `;
  return [
    { text: cells.slice(0, 7) },
    { text: cells.slice(7, 15), tone: r.effect === 'deny' ? 'error' : 'ok', bold: true },
    { text: cells.slice(15) },
    { text: fit(r.rule, Math.max(8, width - cells.length - 2)), bold: true },
  ];
}

export const RulesView = memo(function RulesView({ rules, error, cursor, height, width, nowMs, theme }: RulesViewProps) {
  if (rules === null) return <Line theme={theme} segments={[error ? { text: `the rules cannot be read: ${error}`, tone: 'error' } : { text: 'loading the rules…', tone: 'muted' }]} />;
  const title: Segment[] = [
    { text: `tool-permission rules (${rules.length})`, bold: true },
    { text: `  deny wins over allow · ${keyOf('remove_rule')} removes · A/D on a tool approval adds one`, tone: 'muted' },
  ];
  if (rules.length === 0) {
    return (
      <Box flexDirection="column">
        <Line theme={theme} segments={title} />
        <Line theme={theme} segments={[{ text: 'no rules: every tool call that needs permission waits for you', tone: 'muted' }]} />
      </Box>
    );
  }
  const rows = Math.max(1, height - 2);
  const at = Math.max(0, Math.min(cursor, rules.length - 1));
  const start = Math.max(0, Math.min(at - Math.floor(rows / 2), rules.length - rows));
  return (
    <Box flexDirection="column" height={height}>
      <Line theme={theme} segments={title} />
      <Line theme={theme} segments={[{ text: COLUMNS, tone: 'muted' }]} />
      {rules.slice(start, start + rows).map((r, i) => (
        <Line key={r.id} theme={theme} selected={start + i === at} segments={[{ text: start + i === at ? '› ' : '  ' }, ...row(r, nowMs, width - 2)]} />
      ))}
    </Box>
  );
});

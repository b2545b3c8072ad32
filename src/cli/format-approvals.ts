/** Approvals and config diffs as the ctl prints them: the `pending` table, one approval whole, a diff's files and lines (coloured on a terminal), `diff` and `kept`. */
import { sanitize } from '../protocol/sanitize.js';
import type { Approval, DiffFileStat, KeptAgent } from '../protocol/records.js';
import { age, cell, renderTable, toUnixSeconds } from './format.js';

function approvalSubject(a: Approval): string {
  if (a.description) return cell(a.description);
  if (a.kind === 'spawn') return `spawn ${cell(a.agent)}`;
  return cell(a.commit_ref);
}

/** `pending`: pending approvals first (oldest first), then recent resolutions. */
export function renderApprovals(approvals: Approval[], nowSeconds: number, width?: number): string[] {
  if (approvals.length === 0) return ['no approvals'];
  const body = approvals.map((a) => {
    const resolvedAt = a.resolved_at ? ` ${age(toUnixSeconds(a.resolved_at), nowSeconds)} ago` : '';
    return [
      `#${a.id}`,
      cell(a.agent),
      cell(a.kind),
      `${cell(a.status)}${a.status === 'pending' ? '' : resolvedAt}`,
      age(toUnixSeconds(a.requested_at), nowSeconds),
      cell(a.commit_ref ? a.commit_ref.slice(0, 12) : ''),
      approvalSubject(a) + (a.note ? ` — ${cell(a.note)}` : ''),
    ];
  });
  return renderTable(['ID', 'AGENT', 'KIND', 'STATUS', 'AGE', 'COMMIT', 'DESCRIPTION'], body, width);
}

/** SGR codes the ctl colours a diff with (only when asked to: a terminal, no NO_COLOR). */
const SGR = { bold: '1', red: '31', green: '32', yellow: '33', cyan: '36', dim: '2' } as const;

function paint(text: string, style: keyof typeof SGR, color: boolean): string {
  return color && text !== '' ? `\u001b[${SGR[style]}m${text}\u001b[0m` : text;
}

/** One line per file a diff touches: status, path, added and removed line counts. */
export function renderDiffFiles(files: readonly DiffFileStat[], total: number | undefined, color: boolean): string[] {
  if (files.length === 0) return [];
  const word = { added: 'new', deleted: 'deleted', modified: 'changed', renamed: 'renamed' } as const;
  const lines = [`${files.length === 1 ? '1 file' : `${total ?? files.length} files`}:`];
  for (const f of files) {
    const counts = f.binary ? 'binary' : `${paint(`+${f.added}`, 'green', color)} ${paint(`−${f.removed}`, 'red', color)}`;
    lines.push(`  ${word[f.status].padEnd(8)}${cell(f.old_path ? `${f.old_path} → ${f.path}` : f.path)}  ${counts}`);
  }
  if (total !== undefined && total > files.length) lines.push(`  … and ${total - files.length} more`);
  return lines;
}

/** A unified diff, sanitized, one terminal line per diff line; coloured when `color`. */
export function renderDiff(diff: string, color: boolean): string[] {
  if (diff === '') return [];
  return sanitize(diff)
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      if (line.startsWith('diff --git') || line.startsWith('+++ ') || line.startsWith('--- ')) return paint(line, 'bold', color);
      if (line.startsWith('@@')) return paint(line, 'cyan', color);
      if (line.startsWith('+')) return paint(line, 'green', color);
      if (line.startsWith('-')) return paint(line, 'red', color);
      if (line.startsWith(' ') || line === '') return line;
      return paint(line, 'dim', color);
    });
}

/** `approval <id>`: the fields, then `details` (a tool call's input), the files, then the diff (sanitized, multi-line, coloured when `color`). */
export function renderApproval(a: Approval, nowSeconds: number, color = false, details: string[] = []): string[] {
  const lines = [`approval #${a.id}  ${cell(a.kind)}${a.revival ? ' (revival)' : ''} for ${cell(a.agent)}  ${cell(a.status)}`];
  const field = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') lines.push(`  ${label.padEnd(13)}${value}`);
  };
  field('requested', `${cell(a.requested_at)} (${age(toUnixSeconds(a.requested_at), nowSeconds)} ago)${a.requested_by ? ` by ${cell(a.requested_by)}` : ''}`);
  field('commit', cell(a.commit_ref));
  field('fetched', a.fetched_sha === undefined ? undefined : cell(a.fetched_sha));
  field('diffed from', a.base_sha === undefined ? undefined : cell(a.base_sha));
  if (a.base_moved) field('base moved', paint(`${cell(a.agent)} now runs ${cell(a.deployed_sha?.slice(0, 12))}; this diff is against ${cell(a.base_sha?.slice(0, 12))}`, 'yellow', color));
  field('description', a.description === undefined ? undefined : cell(a.description));
  if (a.resolved_at) field('resolved', `${cell(a.resolved_at)}${a.resolved_by ? ` by ${cell(a.resolved_by)}` : ''}`);
  field('note', a.note === undefined ? undefined : cell(a.note));
  lines.push(...details);
  if (typeof a.diff === 'string' && a.diff !== '') {
    const files = renderDiffFiles(a.files ?? [], a.files_total, color);
    lines.push('', ...(files.length > 0 ? [...files, ''] : []), ...renderDiff(a.diff, color));
  } else if (details.length === 0) {
    lines.push('', '(no diff)');
  }
  return lines;
}

/** `diff <agent>`: what it runs against its proposed repo's head. */
export function renderConfigDiff(agent: string, response: { deployed_sha?: unknown; head_sha?: unknown; diff?: unknown; files?: unknown; files_total?: unknown }, color: boolean): string[] {
  const deployed = cell(response.deployed_sha).slice(0, 12);
  const head = cell(response.head_sha).slice(0, 12);
  const diff = typeof response.diff === 'string' ? response.diff : '';
  if (diff === '') return [`${cell(agent)} runs ${deployed}, the head of its proposed config repo: nothing to propose`];
  const files = Array.isArray(response.files) ? (response.files as DiffFileStat[]) : [];
  return [
    `${cell(agent)} runs ${deployed}; its proposed config repo is at ${head} (uncommitted edits not shown)`,
    '',
    ...renderDiffFiles(files, typeof response.files_total === 'number' ? response.files_total : undefined, color),
    '',
    ...renderDiff(diff, color),
  ];
}

/** `kept`: agents destroyed without purge. */
export function renderKept(kept: readonly KeptAgent[], nowSeconds: number, width?: number): string[] {
  if (kept.length === 0) return ['no kept agents'];
  const body = kept.map((k) => [cell(k.name), `${age(k.destroyed_at, nowSeconds)} ago`, cell(k.deployed_sha ?? '')]);
  return [...renderTable(['NAME', 'DESTROYED', 'DEPLOYED'], body, width), '', 'hyperhive revive NAME brings one back (an approval); hyperhive purge NAME removes it for good'];
}

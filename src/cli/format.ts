/**
 * Human output of the ctl: aligned tables, relative ages, one line per event.
 * Pure functions; every string that came over the wire passes the sanitizer.
 */
import { sanitize, sanitizeOneLine } from '../protocol/sanitize.js';
import { agentState as sharedAgentState, formatAge, formatBytes, formatCost, formatDuration, formatPercent, formatTokens } from '../protocol/display.js';
import type { AgentStatusRow, Approval, DiffFileStat, KeptAgent, OperatorMessage, Question, TurnStat } from '../protocol/records.js';

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

// ---------------------------------------------------------------- roster

/** The one-word state of an agent: a transient in progress, else the console's precedence word (a stalled turn says so). */
export function agentState(row: AgentStatusRow): string {
  if (row.transient) return `${row.transient}…`;
  const word = sharedAgentState(row);
  return word === 'running' && row.stalled ? 'stalled' : word;
}

/** `status`: the roster table. */
export function renderStatus(rows: AgentStatusRow[], nowSeconds: number, width?: number): string[] {
  if (rows.length === 0) return ['no agents'];
  // needs-login is a flag only when the state word does not already say it (a failed agent may need a login too).
  const flags = (r: AgentStatusRow) =>
    [r.needs_login && agentState(r) !== 'needs login' && 'needs-login', r.needs_update && 'needs-update'].filter(Boolean).join(',');
  const body = rows.map((r) => {
    const turn = r.running ? `${cell(r.turn_state)} ${age(r.turn_state_since, nowSeconds)}` : '-';
    const last = r.last_turn
      ? `${cell(r.last_turn.result_kind)} ${duration(r.last_turn.duration_ms)} ${age(r.last_turn.ended_at, nowSeconds)} ago`
      : '-';
    const state = [agentState(r), flags(r)].filter(Boolean).join(' ');
    return [
      cell(r.name),
      state,
      turn,
      cell(r.active_model ?? '-'),
      String(r.unread ?? 0),
      String(r.pending_reminders ?? 0),
      r.context_tokens === undefined ? '-' : tokens(r.context_tokens),
      last,
      cell(r.status_text ?? ''),
    ];
  });
  return renderTable(['NAME', 'STATE', 'TURN', 'MODEL', 'UNREAD', 'REMIND', 'CONTEXT', 'LAST TURN', 'STATUS'], body, width);
}

// ---------------------------------------------------------------- approvals

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

// ---------------------------------------------------------------- questions

function isResolved(q: Question): boolean {
  return q.answered_at !== undefined || q.answer !== undefined;
}

function resolution(q: Question): string {
  if (q.cancelled) return 'cancelled';
  if (q.answerer === 'ttl-watchdog') return 'expired';
  return 'answered';
}

/**
 * `questions`: open questions, soonest deadline first; with `includeResolved`
 * the recently resolved ones follow with their answers, else only their count.
 */
export function renderQuestions(questions: Question[], nowSeconds: number, width?: number, includeResolved = false): string[] {
  const open = questions.filter((q) => !isResolved(q)).sort((a, b) => (a.deadline_at ?? Infinity) - (b.deadline_at ?? Infinity) || a.id - b.id);
  const resolved = questions.filter(isResolved);
  const shown = includeResolved ? [...open, ...resolved] : open;
  const footer = !includeResolved && resolved.length > 0 ? [`(${resolved.length} recently resolved: hyperhive questions --all)`] : [];
  if (shown.length === 0) return [includeResolved ? 'no questions' : 'no open questions', ...footer];
  const body = shown.map((q) => {
    const options = q.options.length ? ` [${q.options.map(cell).join(q.multi ? ' + ' : ' | ')}]` : '';
    const done = isResolved(q);
    return [
      `#${q.id}`,
      cell(q.asker),
      q.target ? cell(q.target) : 'operator',
      age(q.asked_at, nowSeconds),
      done ? resolution(q) : q.deadline_at === undefined ? '-' : age(q.deadline_at, nowSeconds),
      cell(q.question) + options + (done ? ` → ${cell(q.answer)}${q.answerer ? ` (${cell(q.answerer)})` : ''}` : ''),
    ];
  });
  return [...renderTable(['ID', 'ASKER', 'TO', 'AGE', 'DEADLINE', 'QUESTION'], body, width), ...footer];
}

// ---------------------------------------------------------------- operator inbox

/** `inbox`: messages agents sent to the operator, unread marked `*`. */
export function renderInbox(messages: OperatorMessage[], nowSeconds: number, width?: number): string[] {
  if (messages.length === 0) return ['inbox is empty'];
  const body = messages.map((m) => [
    `${m.read ? ' ' : '*'}#${m.id}`,
    cell(m.from),
    age(m.sent_at, nowSeconds),
    (m.in_reply_to !== undefined ? `(re #${m.in_reply_to}) ` : '') + cell(m.body),
  ]);
  return renderTable([' ID', 'FROM', 'AGE', 'MESSAGE'], body, width);
}

// ---------------------------------------------------------------- stats

/** Per-agent totals over a page of turn stats. */
export interface StatTotals {
  agent: string;
  turns: number;
  failed: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
  toolCalls: number;
}

/** Sum a page of turn stats per agent (in first-seen order). */
export function totalsByAgent(stats: TurnStat[]): StatTotals[] {
  const byAgent = new Map<string, StatTotals>();
  for (const s of stats) {
    let t = byAgent.get(s.agent);
    if (!t) {
      t = { agent: s.agent, turns: 0, failed: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, durationMs: 0, toolCalls: 0 };
      byAgent.set(s.agent, t);
    }
    t.turns += 1;
    if (s.result_kind !== 'ok' && s.result_kind !== 'cancelled') t.failed += 1; // an operator's cancel is not a failure
    t.costUsd += s.cost_usd ?? 0;
    t.inputTokens += s.input_tokens + s.cache_read_input_tokens + s.cache_creation_input_tokens;
    t.outputTokens += s.output_tokens;
    t.durationMs += s.duration_ms;
    t.toolCalls += s.tool_call_count;
  }
  return [...byAgent.values()];
}

/** `stats`: one row per turn (newest first), then totals per agent. */
export function renderStats(rows: TurnStat[], nowSeconds: number, width?: number): string[] {
  // A row missing its id, agent or numbers is left out whole rather than printed as "#undefined" and NaN.
  const stats = rows.filter(isWholeStat);
  const skipped = rows.length - stats.length;
  if (stats.length === 0) return [skipped ? `no readable turns (${skipped} unreadable rows left out)` : 'no turns recorded'];
  const body = stats.map((s) => [
    `#${s.id}`,
    cell(s.agent),
    `${age(s.ended_at, nowSeconds)} ago`,
    cell(s.result_kind),
    duration(s.duration_ms),
    usd(s.cost_usd),
    tokens(s.input_tokens + s.cache_read_input_tokens + s.cache_creation_input_tokens),
    tokens(s.output_tokens),
    String(s.tool_call_count),
    s.peak_cpu_percent === undefined ? '-' : `${formatPercent(s.peak_cpu_percent)} ${formatBytes(s.peak_rss_bytes)}`,
    cell(s.model),
    cell(s.wake_from) + (s.note ? ` — ${cell(s.note)}` : ''),
  ]);
  const lines = renderTable(['ID', 'AGENT', 'ENDED', 'RESULT', 'TOOK', 'COST', 'IN', 'OUT', 'TOOLS', 'PEAK', 'MODEL', 'WOKEN BY'], body, width);
  const totals = totalsByAgent(stats).map((t) => [
    cell(t.agent),
    String(t.turns),
    String(t.failed),
    duration(t.durationMs),
    usd(t.costUsd),
    tokens(t.inputTokens),
    tokens(t.outputTokens),
    String(t.toolCalls),
  ]);
  lines.push('', ...renderTable(['AGENT', 'TURNS', 'NOT OK', 'TIME', 'COST', 'IN', 'OUT', 'TOOLS'], totals, width));
  if (skipped) lines.push('', `${skipped} unreadable rows left out`);
  return lines;
}

const STAT_NUMBERS = ['id', 'ended_at', 'duration_ms', 'input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens', 'tool_call_count'] as const;

function isWholeStat(s: TurnStat): boolean {
  if (typeof s !== 'object' || s === null || typeof s.agent !== 'string') return false;
  if (s.cost_usd !== undefined && !Number.isFinite(s.cost_usd)) return false;
  return STAT_NUMBERS.every((key) => Number.isFinite(s[key]));
}

// ---------------------------------------------------------------- dashboard events

/** Wall-clock `HH:MM:SS` of a unix-seconds time, in the local zone. */
export function clock(atSeconds: number): string {
  if (!Number.isFinite(atSeconds)) return '--:--:--';
  const d = new Date(atSeconds * 1000);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

const BODY_PREVIEW = 160;

function preview(text: unknown): string {
  return truncate(cell(text), BODY_PREVIEW);
}

function describeEvent(ev: Record<string, unknown>): string {
  switch (ev.kind) {
    case 'sent':
      return `#${cell(ev.id)} ${cell(ev.from)} → ${cell(ev.to)}: ${preview(ev.body)}`;
    case 'delivered':
      return `#${cell(ev.id)} ${cell(ev.from)} → ${cell(ev.to)} delivered`;
    case 'approval_added': {
      const subject = ev.description ? cell(ev.description) : ev.approval_kind === 'spawn' ? `spawn ${cell(ev.agent)}` : cell(ev.sha_short ?? ev.commit_ref);
      return `#${cell(ev.id)} ${cell(ev.approval_kind)} for ${cell(ev.agent)}: ${subject}`;
    }
    case 'approval_resolved':
      return `#${cell(ev.id)} ${cell(ev.status)}${ev.resolved_by ? ` by ${cell(ev.resolved_by)}` : ''}${ev.note ? ` — ${preview(ev.note)}` : ''}`;
    case 'question_added':
      return `#${cell(ev.id)} ${cell(ev.asker)} → ${ev.target ? cell(ev.target) : 'operator'}: ${preview(ev.question)}`;
    case 'question_resolved':
      return `#${cell(ev.id)} ${ev.cancelled ? 'cancelled' : 'answered'}${ev.answerer ? ` by ${cell(ev.answerer)}` : ''}: ${preview(ev.answer)}`;
    case 'transient_set':
      return `${cell(ev.name)} ${cell(ev.transient_kind)}…`;
    case 'transient_cleared':
      return `${cell(ev.name)} done`;
    case 'agent_status': {
      const row = ev.row as AgentStatusRow | undefined;
      if (!row) return '';
      const status = row.status_text ? ` "${preview(row.status_text)}"` : '';
      return `${cell(row.name)} ${agentState(row)} ${cell(row.turn_state)} unread=${row.unread}${status}`;
    }
    case 'agent_removed':
      return `${cell(ev.name)} removed`;
    case 'turn_stat': {
      const s = ev.stat as TurnStat | undefined;
      return s ? `${cell(s.agent)} ${cell(s.result_kind)} in ${duration(s.duration_ms)} ${usd(s.cost_usd)} tools=${s.tool_call_count}` : '';
    }
    case 'operator_message': {
      const m = ev.message as OperatorMessage | undefined;
      return m ? `#${m.id} from ${cell(m.from)}: ${preview(m.body)}` : '';
    }
    case 'operator_read':
      return Array.isArray(ev.ids) ? ev.ids.map((id) => `#${id}`).join(' ') : '';
    case 'rule_added':
    case 'rule_removed': {
      const rule = ev.rule as { id?: number; effect?: string; rule?: string; agent?: string | null; hits?: number } | undefined;
      if (!rule) return '';
      const what = `#${rule.id} ${cell(rule.effect)} ${cell(rule.rule)} (${rule.agent ? cell(rule.agent) : 'hive'})`;
      return ev.kind === 'rule_added' ? what : `${what} ${ev.reason === 'expired' ? 'expired' : 'removed'} after ${rule.hits ?? 0} hits`;
    }
    case 'schedule_changed': {
      const s = ev.schedule as { id?: number; target?: string; state?: string; note?: string } | undefined;
      return s ? `#${s.id} → ${cell(s.target)} ${cell(s.state)}${s.note ? ` — ${preview(s.note)}` : ''}` : '';
    }
    default: {
      const { kind: _kind, seq: _seq, at: _at, ...rest } = ev;
      return preview(JSON.stringify(rest));
    }
  }
}

/** One dashboard event as one line: `HH:MM:SS  seq  kind  details`. */
export function renderEvent(ev: Record<string, unknown>): string {
  const at = typeof ev.at === 'number' ? ev.at : NaN;
  return `${clock(at)}  ${String(ev.seq ?? '?').padStart(6)}  ${cell(ev.kind).padEnd(17)}  ${describeEvent(ev)}`.trimEnd();
}

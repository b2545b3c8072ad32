/**
 * What a tool approval shows of the call claude waits to run, per tool
 * (pure): a `Bash` command with its description; an `Edit`, `MultiEdit` or
 * `Write` as the coloured diff the core made against the file in the
 * agent's work dir (a new file all added); any other tool its input as
 * indented JSON. Strings are already sanitized (at ingest).
 */
import type { Approval } from '../protocol/index.js';
import type { Segment } from './components/Line.js';
import { BODY_ROW_TONE, approvalBody } from './approval-body.js';

const DIFF_TOOLS = new Set(['Edit', 'MultiEdit', 'Write']);

/**
 * The body of a tool approval, one row per line (the view scrolls it). An
 * edit's diff is held a page at a time, numbered like a config change's
 * (rows `from` … `from + rows.length - 1` of `total`); any other body is
 * held whole. `loading` until the whole approval came.
 */
export interface ToolCallBody {
  total: number;
  from: number;
  rows: Segment[][];
}

/** A body held whole. */
const whole = (rows: Segment[][]): ToolCallBody => ({ total: rows.length, from: 0, rows });

/** The body of `approval`'s call. */
export function toolCallBody(approval: Approval, loading: boolean): ToolCallBody {
  const tool = approval.tool_name ?? '?';
  const input = approval.tool_input;
  if (tool === 'Bash' && input && typeof input.command === 'string') {
    const rows: Segment[][] = [];
    if (typeof input.description === 'string' && input.description) rows.push([{ text: input.description, tone: 'muted' }]);
    input.command.split('\n').forEach((line, i) => rows.push([{ text: i === 0 ? '$ ' : '  ', tone: 'accent', bold: true }, { text: line || ' ', bold: true }]));
    const flags = [input.run_in_background === true && 'runs in the background', typeof input.timeout === 'number' && `timeout ${input.timeout} ms`].filter(Boolean);
    if (flags.length) rows.push([{ text: `(${flags.join(', ')})`, tone: 'muted' }]);
    return whole(rows);
  }
  if (DIFF_TOOLS.has(tool)) {
    if (approval.diff) {
      // The same paged body a config change has, so the same scrolling loads the page that holds the rows shown.
      const { total, from, rows } = approvalBody(approval);
      return { total, from, rows: rows.map((d) => [{ text: d.text || ' ', tone: BODY_ROW_TONE[d.kind], bold: d.kind === 'file' }]) };
    }
    if (loading) return whole([[{ text: 'loading the diff…', tone: 'muted' }]]);
  }
  if (!input) return whole([[{ text: loading ? 'loading the call…' : `the input of this call is not held (${approval.summary ?? tool})`, tone: 'muted' }]]);
  return whole(
    JSON.stringify(input, null, 2)
      .split('\n')
      .map((line) => [{ text: line }]),
  );
}

/** The rows above the body: who asks to run what, since when, and what deciding means. */
export function toolCallHeader(approval: Approval, ageText: string): Segment[][] {
  const status = approval.status;
  return [
    [
      { text: `approval #${approval.id} `, bold: true },
      { text: status === 'pending' ? 'waiting for you' : status, tone: status === 'pending' ? 'warn' : status === 'approved' ? 'ok' : 'error' },
      { text: `   ${approval.agent}`, bold: true },
      { text: ' wants to run ', tone: 'muted' },
      { text: approval.tool_name ?? '?', tone: 'accent', bold: true },
      { text: `   ${ageText}`, tone: 'muted' },
    ],
    [{ text: approval.summary ?? approval.description ?? '', bold: true }],
    ...(approval.rule_proposal && status === 'pending' ? [[{ text: 'a rule for calls like it: ', tone: 'muted' as const }, { text: approval.rule_proposal }]] : []),
    ...(approval.note ? [[{ text: 'note: ', tone: 'muted' as const }, { text: approval.note.replace(/\n/g, ' ') }]] : []),
  ];
}

/** Whether the console holds all of `approval`'s diff, not one page of a longer one. */
export function wholeDiffHeld(approval: Approval): boolean {
  return approval.diff !== undefined && approval.diff_next === undefined && !approval.diff_from;
}

/**
 * The call as plain text, for `y` and `o`, with what it is: a `Bash` command
 * as it would run, an edit's diff, other input as JSON. Undefined while an
 * edit's diff is not held whole (its pages are fetched first).
 */
export function toolCallText(approval: Approval): { text: string; what: string } | undefined {
  const input = approval.tool_input;
  const tool = approval.tool_name ?? '?';
  if (tool === 'Bash' && input && typeof input.command === 'string') return { text: input.command, what: `the command of #${approval.id}` };
  if (approval.diff) return wholeDiffHeld(approval) ? { text: approval.diff, what: `the diff of #${approval.id}` } : undefined;
  if (DIFF_TOOLS.has(tool) || !input) return undefined;
  return { text: JSON.stringify(input, null, 2), what: `the input of #${approval.id}` };
}

/**
 * Turns an agent's live events into the lines an operator reads: turn
 * boundaries, assistant text, dimmed thinking, one-line tool summaries whose
 * ✓/✗ comes from the matching tool_result, notes and turn ends. Every string
 * is sanitized here, once, at ingest.
 */
import { sanitize, sanitizeOneLine } from '../../protocol/light.js';
import { formatCost, formatDuration, formatTokens } from '../format.js';

/** What a stream line is, which decides how it is drawn. */
export type StreamLineKind = 'turn_start' | 'text' | 'thinking' | 'tool' | 'result' | 'note' | 'turn_end' | 'info' | 'error';

/** One logical line of a stream (wrapped to the pane width only when drawn, and cached). */
export interface StreamLine {
  seq: number;
  kind: StreamLineKind;
  text: string;
  toolId?: string;
  /** Tool calls: pending until their result arrives. */
  toolStatus?: 'pending' | 'ok' | 'error';
  wrapped?: { width: number; rows: string[] };
}

/** A tool call's result, for the line that shows the call (which may be drawn already). */
export interface ToolOutcome {
  toolId: string;
  status: 'ok' | 'error';
}

/** A live event as delivered (loose: the harness may add fields). */
export interface LiveEventLike {
  kind: string;
  seq: number;
  [key: string]: unknown;
}

type Block = Record<string, unknown>;

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
}

function firstLine(text: string, max = 160): string {
  const one = sanitizeOneLine(text).trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

function multiline(seq: number, kind: StreamLineKind, text: string): StreamLine[] {
  const clean = sanitize(text).replace(/\t/g, '  ');
  const parts = clean.split('\n');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((p) => ({ seq, kind, text: p }));
}

/** The one-line summary of a tool call: `» Read package.json`, `$ npm test`, `± edit src/a.ts`. */
export function summarizeToolUse(name: string, input: Record<string, unknown>): string {
  const path = str(input.file_path ?? input.path ?? input.notebook_path);
  switch (name) {
    case 'Read':
      return `» Read ${path}`;
    case 'Bash':
      return `$ ${str(input.command)}`;
    case 'Edit':
    case 'MultiEdit':
      return `± edit ${path}`;
    case 'Write':
      return `± write ${path}`;
    case 'NotebookEdit':
      return `± notebook ${path}`;
    case 'Grep':
      return `⌕ grep ${str(input.pattern)}${path ? ` in ${path}` : ''}`;
    case 'Glob':
      return `⌕ glob ${str(input.pattern)}`;
    case 'WebFetch':
      return `⇣ fetch ${str(input.url)}`;
    case 'WebSearch':
      return `⌕ web ${str(input.query)}`;
    case 'TodoWrite':
      return `☐ todo (${Array.isArray(input.todos) ? input.todos.length : 0} items)`;
    case 'Task':
      return `↳ task ${str(input.description)}`;
  }
  const hive = /^mcp__[^_]+(?:_[^_]+)*__(.+)$/.exec(name);
  const short = hive ? hive[1]! : name;
  if (short === 'send') return `✉ send to ${str(input.to)}: ${str(input.body)}`;
  if (short === 'ask') return `? ask: ${str(input.question)}`;
  if (short === 'set_status') return `◇ status: ${str(input.text)}`;
  const args = JSON.stringify(input);
  return `⚙ ${short} ${args === '{}' ? '' : args}`;
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((c) => (c && typeof c === 'object' && 'text' in c ? str((c as Block).text) : '')).join(' ');
  }
  return '';
}

function usageSummary(usage: unknown): string {
  if (!usage || typeof usage !== 'object') return '';
  const u = usage as Record<string, unknown>;
  const n = (k: string) => (typeof u[k] === 'number' ? (u[k] as number) : 0);
  return `in ${formatTokens(n('input_tokens'))} out ${formatTokens(n('output_tokens'))} cache ${formatTokens(n('cache_read_input_tokens') + n('cache_creation_input_tokens'))}`;
}

/**
 * Lines for one event. A tool_result does not touch the line of its call:
 * its outcome is appended to `outcomes`, for the reducer to apply.
 */
export function linesForEvent(event: LiveEventLike, outcomes: ToolOutcome[]): StreamLine[] {
  const seq = event.seq;
  switch (event.kind) {
    case 'turn_start': {
      const unread = typeof event.unread === 'number' && event.unread > 0 ? ` (+${event.unread} unread)` : '';
      return [{ seq, kind: 'turn_start', text: `── turn · woken by ${firstLine(str(event.from), 40)}${unread}: ${firstLine(str(event.body), 120)}` }];
    }
    case 'note':
      return multiline(seq, 'note', `note: ${str(event.text)}`);
    case 'turn_end': {
      // A harness that says how the turn ended is believed (cancelled is not failed); older ones only say ok or not.
      const word = typeof event.result_kind === 'string' ? firstLine(event.result_kind, 20).replace(/_/g, ' ') : event.ok ? 'ok' : 'failed';
      const note = event.note ? firstLine(str(event.note)) : '';
      const tail = !note ? '' : note.startsWith(word) ? note.slice(word.length) : ` · ${note}`;
      return [{ seq, kind: 'turn_end', text: `── turn end · ${word}${tail}` }];
    }
    case 'status_changed':
      return [{ seq, kind: 'info', text: `◇ status: ${firstLine(str(event.status))}` }];
    case 'model_changed':
      return [{ seq, kind: 'info', text: `◇ model → ${firstLine(str(event.model), 60)}` }];
    case 'stream':
      return linesForStreamJson(seq, event.data, outcomes);
    default:
      return []; // heartbeats, usage and turn-state changes show on the roster, not in the stream
  }
}

function linesForStreamJson(seq: number, data: unknown, outcomes: ToolOutcome[]): StreamLine[] {
  if (!data || typeof data !== 'object') return [];
  const d = data as Block;
  switch (d.type) {
    case 'system': {
      if (d.subtype === 'init') return [{ seq, kind: 'info', text: `◇ session start · model ${firstLine(str(d.model), 60)}` }];
      return [];
    }
    case 'assistant': {
      const message = d.message as Block | undefined;
      const content = Array.isArray(message?.content) ? (message!.content as Block[]) : [];
      const out: StreamLine[] = [];
      for (const block of content) {
        if (!block || typeof block !== 'object') continue;
        if (block.type === 'text') out.push(...multiline(seq, 'text', str(block.text)));
        else if (block.type === 'thinking') out.push(...multiline(seq, 'thinking', str(block.thinking)));
        else if (block.type === 'tool_use') {
          const input = block.input && typeof block.input === 'object' ? (block.input as Record<string, unknown>) : {};
          const line: StreamLine = { seq, kind: 'tool', text: firstLine(summarizeToolUse(str(block.name), input), 200), toolStatus: 'pending' };
          if (typeof block.id === 'string') line.toolId = block.id;
          out.push(line);
        }
      }
      return out;
    }
    case 'user': {
      const message = d.message as Block | undefined;
      const content = Array.isArray(message?.content) ? (message!.content as Block[]) : [];
      const out: StreamLine[] = [];
      for (const block of content) {
        if (!block || typeof block !== 'object' || block.type !== 'tool_result') continue;
        const failed = block.is_error === true;
        outcomes.push({ toolId: str(block.tool_use_id), status: failed ? 'error' : 'ok' });
        if (failed) out.push({ seq, kind: 'error', text: `  ✗ ${firstLine(resultText(block.content))}` });
      }
      return out;
    }
    case 'result': {
      const ok = d.is_error !== true && (d.subtype === undefined || d.subtype === 'success');
      const parts = [
        ok ? 'done' : `failed (${firstLine(str(d.subtype), 40)})`,
        usageSummary(d.usage),
        typeof d.total_cost_usd === 'number' ? formatCost(d.total_cost_usd) : '',
        typeof d.duration_ms === 'number' ? formatDuration(d.duration_ms) : '',
        typeof d.num_turns === 'number' ? `${d.num_turns} turns` : '',
      ].filter(Boolean);
      return [{ seq, kind: 'result', text: `■ ${parts.join(' · ')}` }];
    }
    default:
      return [];
  }
}

/** Wrap a line's text to `width` cells (cached on the line until the width changes). */
export function wrapLine(line: StreamLine, width: number): string[] {
  if (line.wrapped && line.wrapped.width === width) return line.wrapped.rows;
  const w = Math.max(4, width);
  const rows: string[] = [];
  const text = line.text;
  if (text.length <= w) rows.push(text);
  else {
    let rest = text;
    while (rest.length > w) {
      let cut = rest.lastIndexOf(' ', w);
      if (cut < w / 2) cut = w;
      rows.push(rest.slice(0, cut));
      rest = rest.slice(cut).replace(/^ /, '');
    }
    if (rest.length) rows.push(rest);
  }
  line.wrapped = { width, rows };
  return rows;
}

/** New lines of one agent's stream, converted at ingest so the raw events die young. */
export interface StreamLinesAction {
  type: 'stream_lines';
  agent: string;
  lines: StreamLine[];
  /** Results of tool calls whose lines are in `lines` or already held. */
  toolOutcomes: ToolOutcome[];
  /** Highest and lowest seq among the events (0 and +∞ when there were none). */
  lastSeq: number;
  oldestSeq: number;
  /** The events are a new picture of the stream (history on (re)subscribe): drop what is held. */
  reset?: boolean;
}

/** The action for a batch of one stream's events, oldest first. */
export function streamLinesAction(agent: string, events: readonly LiveEventLike[], reset = false): StreamLinesAction {
  const lines: StreamLine[] = [];
  const toolOutcomes: ToolOutcome[] = [];
  let lastSeq = 0;
  let oldestSeq = Number.POSITIVE_INFINITY;
  for (const ev of events) {
    if (typeof ev.seq !== 'number') continue;
    if (ev.seq > lastSeq) lastSeq = ev.seq;
    if (ev.seq < oldestSeq) oldestSeq = ev.seq;
    for (const line of linesForEvent(ev, toolOutcomes)) lines.push(line);
  }
  return { type: 'stream_lines', agent, lines, toolOutcomes, lastSeq, oldestSeq, ...(reset && { reset }) };
}

/**
 * The agent streams the console holds: a bounded ring of live lines per agent
 * and the older lines paged in before it. Buffers are changed in place, with
 * `rev` bumped so views know to redraw; a changed line is a new object.
 */
import { Ring } from './ring.js';
import { linesForEvent, type LiveEventLike, type StreamLine, type StreamLinesAction, type ToolOutcome } from './stream-lines.js';

/** Lines kept per agent stream (live part); older history pages in separately. */
export const STREAM_RING_LINES = 4000;
/** Older lines paged in from the core per stream, at most. */
export const STREAM_OLDER_LINES = 4000;

/** One agent's stream as the client holds it. */
export interface StreamBuffer {
  agent: string;
  /** Live lines (newest at the end). */
  ring: Ring<StreamLine>;
  /** Older lines paged in from history (oldest first), shown before the ring. */
  older: StreamLine[];
  lastSeq: number;
  /** Seq of the oldest event the client holds (history pages go before it). */
  oldestSeq: number;
  historyExhausted: boolean;
  loadingOlder: boolean;
  /** Pending tool calls: id → the ring position (`Ring.appended` count) of their line, so a result can mark ✓/✗. */
  tools: Map<string, number>;
  /** Bumped on every change. */
  rev: number;
}

/** What the connection layer feeds the streams. */
export type StreamAction =
  | StreamLinesAction
  | { type: 'stream_older'; agent: string; events: LiveEventLike[]; exhausted: boolean }
  | { type: 'stream_loading_older'; agent: string }
  | { type: 'stream_drop'; agent: string };

function newStream(agent: string): StreamBuffer {
  return {
    agent,
    ring: new Ring<StreamLine>(STREAM_RING_LINES),
    older: [],
    lastSeq: 0,
    oldestSeq: Number.POSITIVE_INFINITY,
    historyExhausted: false,
    loadingOlder: false,
    tools: new Map(),
    rev: 0,
  };
}

/** Most pending tool calls remembered per stream (a call without a result is forgotten after this many newer ones). */
const PENDING_TOOLS_KEPT = 512;

function appendLines(buffer: StreamBuffer, action: StreamLinesAction): void {
  const seen = buffer.lastSeq;
  for (const line of action.lines) {
    if (line.seq <= seen) continue; // held already (resume overlap)
    buffer.ring.push(line);
    if (line.toolId === undefined) continue;
    buffer.tools.set(line.toolId, buffer.ring.appended);
    if (buffer.tools.size > PENDING_TOOLS_KEPT) buffer.tools.delete(buffer.tools.keys().next().value as string);
  }
  for (const outcome of action.toolOutcomes) settleTool(buffer, outcome);
  buffer.lastSeq = Math.max(buffer.lastSeq, action.lastSeq);
  buffer.oldestSeq = Math.min(buffer.oldestSeq, action.oldestSeq);
}

/** Mark a held tool line ✓/✗: a new line object, so anything memoised on the old one sees the change. */
function settleTool(buffer: StreamBuffer, { toolId, status }: ToolOutcome): void {
  const position = buffer.tools.get(toolId);
  if (position === undefined) return;
  buffer.tools.delete(toolId);
  const i = position - 1 - (buffer.ring.appended - buffer.ring.length);
  const line = buffer.ring.get(i);
  if (line?.toolId === toolId) buffer.ring.set(i, { ...line, toolStatus: status });
}

/** Lines of a page of history (oldest first), each tool call marked by its result when the page holds it. */
function historyLines(events: readonly LiveEventLike[]): StreamLine[] {
  const outcomes: ToolOutcome[] = [];
  const lines = events.flatMap((e) => linesForEvent(e, outcomes));
  const status = new Map(outcomes.map((o) => [o.toolId, o.status]));
  return lines.map((l) => (l.toolId !== undefined && status.has(l.toolId) ? { ...l, toolStatus: status.get(l.toolId) } : l));
}

/** The streams after one action: the same object when nothing changed, else a new map (the buffer itself changed in place). */
export function streamsAfter(streams: Record<string, StreamBuffer>, action: StreamAction): Record<string, StreamBuffer> {
  switch (action.type) {
    case 'stream_lines': {
      const buffer = action.reset ? newStream(action.agent) : streams[action.agent];
      if (!buffer) return streams;
      appendLines(buffer, action);
      if (action.reset && action.lines.length === 0 && action.lastSeq === 0) buffer.historyExhausted = true;
      buffer.rev++;
      return { ...streams, [action.agent]: buffer };
    }
    case 'stream_loading_older': {
      const buffer = streams[action.agent];
      if (!buffer) return streams;
      buffer.loadingOlder = true;
      buffer.rev++;
      return { ...streams };
    }
    case 'stream_older': {
      const buffer = streams[action.agent];
      if (!buffer) return streams;
      const older = action.events.filter((e) => e.seq < buffer.oldestSeq).sort((a, b) => a.seq - b.seq);
      const lines = historyLines(older);
      if (older.length) buffer.oldestSeq = older[0]!.seq;
      buffer.older = [...lines, ...buffer.older].slice(-STREAM_OLDER_LINES);
      buffer.historyExhausted = action.exhausted || older.length === 0 || buffer.older.length >= STREAM_OLDER_LINES;
      buffer.loadingOlder = false;
      buffer.rev++;
      return { ...streams };
    }
    case 'stream_drop': {
      if (!streams[action.agent]) return streams;
      const { [action.agent]: _gone, ...rest } = streams;
      return rest;
    }
  }
}

/** Lines of a stream in display order (older history, then the ring). */
export function streamLineCount(buffer: StreamBuffer): number {
  return buffer.older.length + buffer.ring.length;
}

/** Line `i` of a stream in display order. */
export function streamLineAt(buffer: StreamBuffer, i: number): StreamLine | undefined {
  return i < buffer.older.length ? buffer.older[i] : buffer.ring.get(i - buffer.older.length);
}

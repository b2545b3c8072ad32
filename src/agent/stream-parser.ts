/**
 * Turns claude's `--output-format stream-json` stdout into live events and
 * a per-turn tally. Pure: bytes in, values out; no I/O.
 */
import { LineSplitter, localTimeZone, type LiveEventInput, type ResultKind } from '../protocol/index.js';
import { isLoginMessage, usageLimitIn, type SignalClock, type UsageLimit } from './claude-signals.js';

/** Longest stream-json line the harness accepts (a tool result can be large). */
export const MAX_STREAM_LINE_BYTES = 8 * 1024 * 1024;

/** What one stdout line becomes: a parsed stream object, or a note for anything else. */
export type StreamItem = Extract<LiveEventInput, { kind: 'stream' }> | Extract<LiveEventInput, { kind: 'note' }>;

const NOTE_PREVIEW_CHARS = 2000;

/** Classify one complete stdout line. Unknown `type`s pass through as `stream`. */
export function parseStreamLine(line: string): StreamItem {
  const first = line.charCodeAt(0);
  // Only objects are stream events; skip JSON.parse for lines that cannot be one.
  if (first === 0x7b /* { */) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return { kind: 'stream', data: value as Record<string, unknown> };
      }
    } catch {
      // falls through to a note
    }
  }
  return { kind: 'note', text: `stdout: ${line.length > NOTE_PREVIEW_CHARS ? line.slice(0, NOTE_PREVIEW_CHARS) + '…' : line}` };
}

/**
 * Splits stdout chunks into items. Lines split across chunks are joined; a
 * stream that ends mid-line yields its tail through `end()`.
 */
export class StreamParser {
  private readonly splitter: LineSplitter;

  constructor(maxLineBytes: number = MAX_STREAM_LINE_BYTES) {
    this.splitter = new LineSplitter(maxLineBytes);
  }

  /** Items completed by this chunk, in order. */
  push(chunk: Buffer): StreamItem[] {
    const out: StreamItem[] = [];
    for (const piece of this.splitter.push(chunk)) {
      if (piece.kind === 'overflow') out.push({ kind: 'note', text: `stdout line of ${piece.bytes} bytes dropped (over the ${MAX_STREAM_LINE_BYTES}-byte limit)` });
      else out.push(parseStreamLine(piece.line));
    }
    return out;
  }

  /** Call once at end of output: an unfinished last line becomes a note (or a stream item if it parses). */
  end(): StreamItem[] {
    const tail = this.splitter.flush();
    if (tail === null || tail.trim() === '') return [];
    const item = parseStreamLine(tail);
    if (item.kind === 'stream') return [item];
    return [{ kind: 'note', text: `output ended mid-line: ${tail.slice(0, NOTE_PREVIEW_CHARS)}` }];
  }
}

/** Token counts of one model call or one run. */
export type Usage = {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
};

/**
 * Context-window size after one model call (everything it read plus what it
 * wrote), or undefined when the usage says nothing: claude's synthetic error
 * messages carry all-zero usage.
 */
export function contextTokensOf(rawUsage: unknown): number | undefined {
  if (typeof rawUsage !== 'object' || rawUsage === null) return undefined;
  const u = readUsage(rawUsage);
  const size = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens + u.output_tokens;
  return size > 0 ? size : undefined;
}

/** What the `result` line says about a run. */
export interface RunResult {
  isError: boolean;
  subtype: string;
  text: string;
  usage: Usage;
  costUsd: number | undefined;
  numTurns: number | undefined;
}

const PROMPT_TOO_LONG = /^\s*prompt is too long/i;

function int(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
}

function readUsage(raw: unknown): Usage {
  const u = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    input_tokens: int(u.input_tokens),
    output_tokens: int(u.output_tokens),
    cache_read_input_tokens: int(u.cache_read_input_tokens),
    cache_creation_input_tokens: int(u.cache_creation_input_tokens),
  };
}

const systemClock = (): SignalClock => ({ nowMs: Date.now(), timeZone: localTimeZone() });

/**
 * Tally of one command run: tool calls per name (from `tool_use` blocks in
 * `assistant` messages), the context size after the last model call, the
 * `result` line, and whether claude said it is not logged in or reached the
 * account's usage limit (in an API error message, the result, a rejected
 * `rate_limit_event` or stderr).
 */
export class RunTally {
  readonly toolCalls: Record<string, number> = {};
  toolCallCount = 0;
  result: RunResult | null = null;
  contextTokens: number | undefined;
  sawPromptTooLong = false;
  /** claude said it is not logged in. */
  loginRequired = false;
  /** The usage limit claude reported, if it did. */
  usageLimit: UsageLimit | null = null;
  lines = 0;
  notes = 0;
  private limitWorded = false;

  constructor(private readonly clock: () => SignalClock = systemClock) {}

  /** Fold one item into the tally. */
  observe(item: StreamItem): void {
    if (item.kind === 'note') {
      this.notes++;
      if (item.text.startsWith('stderr: ')) this.observeErrorText(item.text.slice(8));
      return;
    }
    this.lines++;
    const data = item.data;
    if (data.type === 'assistant') this.observeAssistant(data);
    else if (data.type === 'result') this.observeResult(data);
    else if (data.type === 'rate_limit_event') this.observeRateLimit(data.rate_limit_info);
  }

  private observeAssistant(data: Record<string, unknown>): void {
    const message = data.message;
    if (typeof message !== 'object' || message === null) return;
    // claude's own error messages (not logged in, limits) are flagged; the model's words never are.
    const apiError = typeof data.error === 'string' || data.is_api_error_message === true;
    if (data.error === 'authentication_failed') this.loginRequired = true;
    const m = message as { content?: unknown; usage?: unknown };
    if (Array.isArray(m.content)) {
      for (const block of m.content) {
        if (typeof block !== 'object' || block === null) continue;
        const b = block as { type?: unknown; name?: unknown; text?: unknown };
        if (b.type === 'tool_use' && typeof b.name === 'string') {
          this.toolCalls[b.name] = (this.toolCalls[b.name] ?? 0) + 1;
          this.toolCallCount++;
        } else if (b.type === 'text' && typeof b.text === 'string') {
          if (PROMPT_TOO_LONG.test(b.text)) this.sawPromptTooLong = true;
          if (apiError) this.observeErrorText(b.text);
        }
      }
    }
    const size = contextTokensOf(m.usage);
    if (size !== undefined) this.contextTokens = size;
  }

  /** Text claude wrote about a failure: a login demand or a usage limit. */
  private observeErrorText(text: string): void {
    if (isLoginMessage(text)) this.loginRequired = true;
    const limit = usageLimitIn(text, this.clock());
    if (limit) this.noteLimit(limit);
  }

  private observeRateLimit(info: unknown): void {
    if (typeof info !== 'object' || info === null) return;
    const i = info as { status?: unknown; resetsAt?: unknown; rateLimitType?: unknown };
    if (i.status !== 'rejected') return;
    const which = typeof i.rateLimitType === 'string' ? i.rateLimitType.replace(/_/g, '-') : 'usage';
    const resetsAt = typeof i.resetsAt === 'number' && Number.isFinite(i.resetsAt) ? i.resetsAt : undefined;
    this.noteLimit({ text: `${which} limit reached`, ...(resetsAt !== undefined && { resetsAt }) }, false);
  }

  /** claude's own first words about the limit are kept; the first reset time any form gave wins. */
  private noteLimit(limit: UsageLimit, worded = true): void {
    const known = this.usageLimit;
    if (!known) {
      this.usageLimit = limit;
      this.limitWorded = worded;
      return;
    }
    if (worded && !this.limitWorded) {
      known.text = limit.text;
      this.limitWorded = true;
    }
    if (known.resetsAt === undefined && limit.resetsAt !== undefined) known.resetsAt = limit.resetsAt;
  }

  private observeResult(data: Record<string, unknown>): void {
    const text = typeof data.result === 'string' ? data.result : '';
    this.result = {
      isError: data.is_error === true,
      subtype: typeof data.subtype === 'string' ? data.subtype : '',
      text,
      usage: readUsage(data.usage),
      costUsd: typeof data.total_cost_usd === 'number' ? data.total_cost_usd : undefined,
      numTurns: typeof data.num_turns === 'number' ? Math.trunc(data.num_turns) : undefined,
    };
    if (data.is_error === true && PROMPT_TOO_LONG.test(text)) this.sawPromptTooLong = true;
    if (data.is_error === true) this.observeErrorText(text);
  }
}

/** How a run ended, as the process saw it. */
export interface RunExit {
  exitCode: number | null;
  signal: string | null;
  cancelled: boolean;
  /** The command could not be started at all (missing, not executable): why. */
  cannotStart?: string;
}

/**
 * The result kind of one run: cancelled, then — for a run that failed —
 * needs-login, usage-limited; then prompt-too-long, failed, ok. A run that
 * succeeded is never held for what its text says.
 */
export function classifyRun(tally: RunTally, exit: RunExit): ResultKind {
  if (exit.cancelled) return 'cancelled';
  const failed = !tally.result || tally.result.isError || exit.exitCode !== 0;
  if (failed && tally.loginRequired) return 'needs_login';
  if (failed && tally.usageLimit) return 'usage_limited';
  if (tally.sawPromptTooLong) return 'prompt_too_long';
  if (failed) return 'failed';
  return 'ok';
}

/** Why a run failed, in a sentence (undefined when it did not). */
export function describeFailure(tally: RunTally, exit: RunExit): string | undefined {
  if (exit.cancelled) return 'cancelled by the operator';
  if (exit.cannotStart) return exit.cannotStart;
  const kind = classifyRun(tally, exit);
  if (kind === 'needs_login') return `claude is not logged in${tally.result?.text ? `: ${tally.result.text.slice(0, 200)}` : ''}`;
  if (kind === 'usage_limited') return `claude reported a usage limit: ${tally.usageLimit!.text}`;
  if (tally.sawPromptTooLong) return 'prompt is too long';
  if (tally.result?.isError) return `claude reported an error (${tally.result.subtype || 'error'})${tally.result.text ? `: ${tally.result.text.slice(0, 200)}` : ''}`;
  if (exit.exitCode !== 0) return exit.signal ? `command killed by ${exit.signal}` : `command exited with code ${exit.exitCode}`;
  if (!tally.result) return 'command ended without a result line';
  return undefined;
}

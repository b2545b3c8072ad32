/**
 * The harness's live events: stamped once and fanned out to its sinks (the
 * local sqlite history, the core over the agent socket, the log, an optional
 * JSONL file, and any extra sinks), flushed every 100 ms.
 */
import type { LiveEventInput } from '../protocol/index.js';
import type { AgentLink } from './agent-link.js';
import type { AgentStore } from './agent-store.js';
import { FanoutSink, type EventSink, type StampedEvent } from './sinks/sink.js';
import { ForwardSink } from './sinks/forward-sink.js';
import { JsonlSink } from './sinks/jsonl-sink.js';
import { LogSink } from './sinks/log-sink.js';
import { SqliteHistorySink } from './sinks/sqlite-sink.js';
import { contextTokensOf, type RunTally, type Usage } from './stream-parser.js';
import { withTimeout } from './timing.js';

const FLUSH_INTERVAL_MS = 100;
const CLOSE_TIMEOUT_MS = 3000;

/** Where the sinks come from. */
export interface LiveEventsOptions {
  store: AgentStore;
  link: AgentLink;
  log: (line: string) => void;
  historyCap?: number;
  jsonlPath?: string;
  jsonlMaxBytes?: number;
  /** Extra sinks (tests, benchmarks). */
  extraSinks?: EventSink[];
}

/** One harness's event stream and the sinks behind it. */
export class LiveEvents {
  private readonly sinks: FanoutSink;
  private readonly log: (line: string) => void;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing = false;
  private lastContextTokens: number | undefined;

  constructor(opts: LiveEventsOptions) {
    this.log = opts.log;
    const sinks: EventSink[] = [
      new SqliteHistorySink(opts.store, opts.historyCap),
      new ForwardSink((events) => opts.link.call({ cmd: 'emit', events }), opts.log),
      new LogSink(opts.log),
    ];
    if (opts.jsonlPath) sinks.push(new JsonlSink(opts.jsonlPath, opts.jsonlMaxBytes));
    sinks.push(...(opts.extraSinks ?? []));
    this.sinks = new FanoutSink(sinks, opts.log);
  }

  /** Stamp `ts_ms` (unless set) and hand the event to every sink. */
  emit(event: LiveEventInput): void {
    const stamped = (event.ts_ms === undefined ? { ...event, ts_ms: Date.now() } : event) as StampedEvent;
    this.sinks.write(stamped);
  }

  emitTurnState(state: 'idle' | 'thinking' | 'compacting'): void {
    this.emit({ kind: 'turn_state_changed', state, since_unix: Date.now() / 1000 });
  }

  /** The usage of a finished run (its `result` line), with the last context size seen. */
  emitUsage(tally: RunTally): void {
    const r = tally.result;
    if (!r && tally.contextTokens === undefined) return;
    const usage: Usage = r ? { ...r.usage } : { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    const withContext = tally.contextTokens === undefined ? usage : { ...usage, context_tokens: tally.contextTokens };
    this.emit({ kind: 'token_usage_changed', usage: withContext });
  }

  /** Live context size: one `token_usage_changed` per change, so the roster follows a long turn. */
  noteContext(message: unknown): void {
    const usage = (message as { usage?: Record<string, unknown> } | null)?.usage;
    const size = contextTokensOf(usage);
    if (size === undefined || size === this.lastContextTokens) return;
    this.lastContextTokens = size;
    const n = (v: unknown) => (typeof v === 'number' ? Math.trunc(v) : 0);
    this.emit({
      kind: 'token_usage_changed',
      usage: {
        input_tokens: n(usage?.input_tokens),
        output_tokens: n(usage?.output_tokens),
        cache_read_input_tokens: n(usage?.cache_read_input_tokens),
        cache_creation_input_tokens: n(usage?.cache_creation_input_tokens),
        context_tokens: size,
      },
    });
  }

  /** Flush every sink now (a flush already under way counts). */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      await this.sinks.flush();
    } finally {
      this.flushing = false;
    }
  }

  startFlushing(): void {
    this.flushTimer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.flushTimer.unref();
  }

  stopFlushing(): void {
    if (this.flushTimer) clearInterval(this.flushTimer);
  }

  /** Close every sink, giving up (with a log line) after 3 s. */
  async close(): Promise<void> {
    await withTimeout(this.sinks.close(), CLOSE_TIMEOUT_MS).catch((err: Error) => this.log(`closing sinks: ${err.message}`));
  }
}

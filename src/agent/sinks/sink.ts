/** The one interface every live-event sink implements, and the fan-out that composes them. */
import type { LiveEventInput } from '../../protocol/index.js';

/** A live event as the harness produced it (always stamped). */
export type StampedEvent = LiveEventInput & { ts_ms: number };

/** Somewhere live events go. `write` must be cheap; slow work belongs in `flush`. */
export interface EventSink {
  readonly name: string;
  write(event: StampedEvent): void;
  /** Push out anything buffered. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Where a sink's failure is reported. */
export type SinkLogger = (message: string) => void;

/**
 * Writes every event to every sink. A sink that throws (or whose flush
 * rejects) is logged — once per burst, not once per event — and the others,
 * and the turn loop, carry on.
 */
export class FanoutSink implements EventSink {
  readonly name = 'fanout';
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly sinks: readonly EventSink[],
    private readonly log: SinkLogger,
  ) {}

  write(event: StampedEvent): void {
    for (const sink of this.sinks) {
      try {
        sink.write(event);
      } catch (err) {
        this.report(sink, err);
      }
    }
  }

  async flush(): Promise<void> {
    await Promise.all(this.sinks.map((s) => this.guard(s, () => s.flush())));
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((s) => this.guard(s, () => s.close())));
  }

  /** How many failures each sink has had (for tests and the log). */
  failureCounts(): ReadonlyMap<string, number> {
    return this.failures;
  }

  private async guard(sink: EventSink, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.report(sink, err);
    }
  }

  private report(sink: EventSink, err: unknown): void {
    const n = (this.failures.get(sink.name) ?? 0) + 1;
    this.failures.set(sink.name, n);
    // 1, 2, 4, 8 … keeps a sink failing on every event from flooding the log.
    if ((n & (n - 1)) === 0) this.log(`sink ${sink.name} failed (${n} time${n === 1 ? '' : 's'}): ${(err as Error)?.message ?? String(err)}`);
  }
}

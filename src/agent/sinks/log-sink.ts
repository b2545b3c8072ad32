/** Human-readable log lines for the low-volume events (turns, notes, state changes). */
import { sanitizeOneLine } from '../../protocol/index.js';
import type { EventSink, StampedEvent } from './sink.js';

/** Writes one line per noteworthy event; `stream` and `heartbeat` events are too chatty to log. */
export class LogSink implements EventSink {
  readonly name = 'log';

  constructor(private readonly writeLine: (line: string) => void) {}

  write(event: StampedEvent): void {
    const line = describe(event);
    if (line !== null) this.writeLine(sanitizeOneLine(line).slice(0, 500));
  }

  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

function describe(e: StampedEvent): string | null {
  switch (e.kind) {
    case 'turn_start':
      return `turn start: from ${e.from}: ${e.body.slice(0, 120)}`;
    case 'turn_end':
      return `turn end: ${e.ok ? 'ok' : 'not ok'}${e.note ? ` (${e.note})` : ''}`;
    case 'note':
      return `note: ${e.text}`;
    case 'model_changed':
      return `model: ${e.model}`;
    case 'status_changed':
      return `status: ${e.status}`;
    case 'turn_state_changed':
      return `turn state: ${e.state}`;
    default:
      return null;
  }
}

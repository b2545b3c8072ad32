/** The agent's local history: live events batched into its sqlite, capped, vacuumed now and then. */
import type { AgentStore } from '../agent-store.js';
import { DEFAULT_HISTORY_CAP } from '../agent-store.js';
import type { EventSink, StampedEvent } from './sink.js';

const BATCH = 1000;
const VACUUM_EVERY_TRIMMED = 20_000;

/** Buffers events and writes them in one transaction per batch; trims to `cap` after each write. */
export class SqliteHistorySink implements EventSink {
  readonly name = 'sqlite';
  private pending: StampedEvent[] = [];
  private trimmedSinceVacuum = 0;

  constructor(
    private readonly store: AgentStore,
    private readonly cap: number = DEFAULT_HISTORY_CAP,
  ) {}

  write(event: StampedEvent): void {
    this.pending.push(event);
    if (this.pending.length >= BATCH) this.writePending();
  }

  async flush(): Promise<void> {
    this.writePending();
  }

  async close(): Promise<void> {
    this.writePending();
  }

  private writePending(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.store.appendEvents(batch);
    this.trimmedSinceVacuum += this.store.trimHistory(this.cap);
    if (this.trimmedSinceVacuum >= VACUUM_EVERY_TRIMMED) {
      this.trimmedSinceVacuum = 0;
      this.store.vacuum();
    }
  }
}

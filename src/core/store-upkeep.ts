/**
 * The store's periodic upkeep: retention by age (which moves with the clock)
 * for agent events and handled messages, and giving space freed by retention
 * back to the file system once enough of it piled up. Caps by count and bytes
 * are applied as things are written; this catches what only time changes.
 */
import type { Db } from './store/index.js';

/** Free pages kept for reuse before the file is shrunk (4 MiB of 4 KiB pages). */
const KEEP_FREE_PAGES = 1024;

export class StoreUpkeep {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    /** Each part's retention sweep. */
    private readonly sweeps: readonly (() => void)[],
    private readonly log: (message: string) => void,
    private readonly intervalMs: number = 60_000,
  ) {}

  /** Run now, then every interval. */
  start(): void {
    this.runOnce();
    this.timer = setInterval(() => this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** Sweep every part, then shrink the file when more than a quarter of it (and at least 4 MiB) is free. */
  runOnce(): void {
    try {
      for (const sweep of this.sweeps) sweep();
      const free = this.db.pragma('freelist_count', { simple: true }) as number;
      const pages = this.db.pragma('page_count', { simple: true }) as number;
      if (free > KEEP_FREE_PAGES && free > pages / 4) this.db.pragma(`incremental_vacuum(${free - KEEP_FREE_PAGES})`);
    } catch (err) {
      this.log(`store upkeep failed (it runs again in ${Math.round(this.intervalMs / 1000)} s): ${(err as Error).message}`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/**
 * The core's side of the search index's worker thread: starts it, wakes it
 * when events were stored or cut (one wake at a time: the worker looks again
 * before it rests), knows how far it got, and starts it again if it dies.
 * Indexing runs beside ingest rather than inside its transactions: tokenizing
 * the text costs several times what storing it does (bench/search.ts), so the
 * index follows the store a slice behind instead of slowing every `emit`.
 */
import { Worker } from 'node:worker_threads';

/** What the core tells the worker. */
/** `storedThrough`: every event up to it is committed, so the worker's next look reads it. */
export type IndexerRequest = { type: 'wake'; storedThrough: number } | { type: 'stop' };
/** What the worker tells the core. */
export type IndexerReport =
  | { type: 'progress'; indexedThrough: number }
  | { type: 'idle'; indexedThrough: number }
  | { type: 'error'; message: string };

const RESTART_MS = 5000;

export class SearchIndexerThread {
  private worker: Worker | null = null;
  private woken = false;
  private through = 0;
  private closing = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private lastError = '';
  /** Resolves on the next `idle` report (tests and benchmarks wait for the index to catch up). */
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly files: { storeFile: string; indexFile: string },
    /** The store's newest seq. */
    private readonly storedThrough: () => number,
    private readonly log: (message: string) => void,
  ) {}

  /** Every stored event up to this seq is in the index. */
  get indexedThrough(): number {
    return this.through;
  }

  start(): void {
    if (this.closing) return;
    const worker = new Worker(new URL('./index-worker.js', import.meta.url), { workerData: this.files });
    this.worker = worker;
    this.woken = false;
    worker.unref();
    worker.on('message', (report: IndexerReport) => this.onReport(report));
    worker.on('error', (err) => this.log(`the search index's worker failed: ${err.message}`));
    this.notify();
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      if (this.closing) return;
      this.log(`the search index's worker stopped; starting it again in ${RESTART_MS / 1000} s`);
      this.restartTimer = setTimeout(() => this.start(), RESTART_MS);
      this.restartTimer.unref();
    });
  }

  /** Events were stored or cut: have the worker look. */
  notify(): void {
    if (this.woken || !this.worker) return;
    this.woken = true;
    this.worker.postMessage({ type: 'wake', storedThrough: this.storedThrough() } satisfies IndexerRequest);
  }

  /** Resolves once the index holds everything stored now. */
  async caughtUp(): Promise<void> {
    const target = this.storedThrough();
    while (this.through < target) {
      await new Promise<void>((resolve) => {
        this.idleWaiters.push(resolve);
        this.notify();
      });
    }
  }

  private onReport(report: IndexerReport): void {
    if (report.type === 'error') {
      // One line per distinct failure: a full disk says so once, not every five seconds.
      if (report.message !== this.lastError) this.log(`search indexing failed (it tries again): ${report.message}`);
      this.lastError = report.message;
      return;
    }
    this.through = report.indexedThrough;
    this.lastError = '';
    if (report.type !== 'idle') return;
    this.woken = false;
    // Events stored after the worker's last look: it looks again.
    if (this.storedThrough() > this.through) this.notify();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies IndexerRequest);
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
    this.worker = null;
  }
}

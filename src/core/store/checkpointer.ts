/**
 * Runs the store's WAL checkpoints on a worker thread (`checkpoint-worker.ts`)
 * every second, and starts the thread again if it dies. The writer's own
 * autocheckpoint stays on as a fallback with a high threshold, so the WAL
 * stays bounded even while the thread is down.
 */
import { Worker } from 'node:worker_threads';
import type { CheckpointReport, CheckpointWorkerData } from './checkpoint-worker.js';

const EVERY_MS = 1000;
const RESTART_MS = 5000;
/** A WAL over this many frames (8 MiB of 4 KiB pages) after a PASSIVE checkpoint is started over by a RESTART one. */
const RESTART_FRAMES = 2048;

/** How often the thread checkpoints and when it starts the WAL over (tests make both small). */
export interface CheckpointerTiming {
  everyMs: number;
  restartFrames: number;
}
/** The writer's autocheckpoint (pages) while the thread runs: only a fallback. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 65536;

export class Checkpointer {
  private worker: Worker | null = null;
  private closing = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private lastError = '';
  /** How many times the thread started the WAL over (a RESTART checkpoint that was not busy). */
  restarts = 0;

  constructor(
    private readonly file: string,
    private readonly log: (message: string) => void,
    private readonly timing: CheckpointerTiming = { everyMs: EVERY_MS, restartFrames: RESTART_FRAMES },
  ) {}

  start(): void {
    if (this.closing) return;
    const worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData: { file: this.file, ...this.timing } satisfies CheckpointWorkerData });
    this.worker = worker;
    worker.unref();
    worker.on('message', (m: CheckpointReport) => {
      if (m.type === 'restarted') {
        this.restarts++;
        return;
      }
      // One line per distinct failure: a full disk says so once, not every second.
      if (m.message !== this.lastError) this.log(`a WAL checkpoint failed (it tries again): ${m.message}`);
      this.lastError = m.message;
    });
    worker.on('error', (err) => this.log(`the store's checkpoint thread failed: ${err.message}`));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      if (this.closing) return;
      this.restartTimer = setTimeout(() => this.start(), RESTART_MS);
      this.restartTimer.unref();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' });
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

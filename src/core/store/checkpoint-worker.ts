/**
 * The store's checkpointer thread: copies the WAL back into the database
 * file on its own connection, so the fsync a checkpoint ends with never
 * stalls the core's event loop (measured: a 64 MiB autocheckpoint on the
 * writer held every delivery for 40–70 ms).
 *
 * Each round is two steps. A PASSIVE checkpoint copies what is committed
 * without ever blocking the writer. Under a steady stream of commits that is
 * not enough: sqlite starts the WAL over only when a write begins with every
 * frame already copied, which never happens while commits keep coming, so
 * the file grows without end — and appending to a growing file makes the
 * writer's own small writes wait behind the checkpoint's fsync (measured:
 * 5–8 ms per write, 60 ms per commit). So when the WAL still holds more than
 * `restartFrames` after the PASSIVE step, a RESTART follows: it holds the
 * writer back only while it copies the few frames written during the first
 * step (2–3 ms measured at 1,000 commits a second), and the next commit
 * writes the WAL from its start again, over blocks the file already has. Its
 * waits are short (`RESTART_BUSY_MS`): a busy writer or a reader mid-read
 * makes this round skip the restart, never stalls the writer for long.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/** How long the RESTART step waits for the writer's lock or for readers; it gives up (until the next round) after that. */
const RESTART_BUSY_MS = 5;
const PASSIVE_BUSY_MS = 1000;

export interface CheckpointWorkerData {
  file: string;
  everyMs: number;
  /** Frames left in the WAL after the PASSIVE step above which a RESTART follows. */
  restartFrames: number;
}

/** What the thread reports to the core. */
export type CheckpointReport = { type: 'error'; message: string } | { type: 'restarted' };

type CheckpointRow = { busy: number; log: number; checkpointed: number };

const { file, everyMs, restartFrames } = workerData as CheckpointWorkerData;
const report = (message: CheckpointReport) => parentPort!.postMessage(message);
const db = new Database(file);
db.pragma(`busy_timeout = ${PASSIVE_BUSY_MS}`);

function round(): void {
  const passive = (db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRow[])[0]!;
  if (passive.log < restartFrames) return;
  db.pragma(`busy_timeout = ${RESTART_BUSY_MS}`);
  try {
    const restart = (db.pragma('wal_checkpoint(RESTART)') as CheckpointRow[])[0]!;
    if (restart.busy === 0) report({ type: 'restarted' });
  } finally {
    db.pragma(`busy_timeout = ${PASSIVE_BUSY_MS}`);
  }
}

const timer = setInterval(() => {
  try {
    round();
  } catch (err) {
    report({ type: 'error', message: (err as Error).message });
  }
}, everyMs);
parentPort!.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  clearInterval(timer);
  db.close();
  process.exit(0);
});

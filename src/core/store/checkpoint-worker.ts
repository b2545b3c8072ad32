/**
 * The store's checkpointer thread: copies the WAL back into the database
 * file on its own connection, so the fsync a checkpoint ends with never
 * stalls the core's event loop (measured: a 64 MiB autocheckpoint on the
 * writer held every delivery for 40–70 ms). PASSIVE never blocks the writer.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { file, everyMs } = workerData as { file: string; everyMs: number };
const db = new Database(file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort!.postMessage({ type: 'error', message: (err as Error).message });
  }
}, everyMs);
parentPort!.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  clearInterval(timer);
  db.close();
  process.exit(0);
});

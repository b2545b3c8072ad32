/**
 * The search index's worker thread: the one writer of `search.sqlite`. Woken
 * by the core when events were stored or cut, it follows the store's
 * retention and indexes what is new, a slice at a time (yielding between
 * slices, so a stop is heard), then says how far it got and waits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openReader, openSearchStore } from './search-store.js';
import { SearchIndexer } from './search-indexer.js';
import type { IndexerReport, IndexerRequest } from './search-indexer-thread.js';

const { storeFile, indexFile } = workerData as { storeFile: string; indexFile: string };
const port = parentPort!;
const report = (message: IndexerReport) => port.postMessage(message);

const store = openReader(storeFile);
const index = openSearchStore(indexFile);
const indexer = new SearchIndexer(store, index);
/** A run is scheduled or under way. */
let running = false;
let stopped = false;
/** The newest seq the core had stored when it last woke the worker: all of it is readable from then on. */
let wokenAt = 0;

/**
 * One pass: follow retention, index a slice. Passes follow each other until
 * one finds nothing new; that pass began after the last wake it knew of, so
 * the index then holds everything stored up to that wake.
 */
function run(): void {
  if (stopped) return;
  const target = wokenAt;
  try {
    indexer.followRetention();
    if (indexer.indexSlice()) {
      report({ type: 'progress', indexedThrough: indexer.indexedThrough });
      setImmediate(run);
      return;
    }
  } catch (err) {
    report({ type: 'error', message: (err as Error).message });
    // A full disk or a busy store: this timer (or a wake meanwhile) tries again.
    setTimeout(run, 5000).unref();
    return;
  }
  if (wokenAt > target) {
    setImmediate(run);
    return;
  }
  running = false;
  report({ type: 'idle', indexedThrough: Math.max(indexer.indexedThrough, target) });
}

port.on('message', (message: IndexerRequest) => {
  if (message.type === 'wake') {
    wokenAt = Math.max(wokenAt, message.storedThrough);
    if (!running) {
      running = true;
      setImmediate(run);
    }
  } else if (message.type === 'stop') {
    stopped = true;
    store.close();
    index.close();
    port.close();
  }
});

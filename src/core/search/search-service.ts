/**
 * Search as the hive uses it: the index's worker thread, and queries over the
 * index (read through the core's own reading connection) and the store.
 */
import type { Db } from '../store/index.js';
import { EventSearch, type SearchPage } from './event-search.js';
import { SearchIndexerThread } from './search-indexer-thread.js';
import { openSearchStore } from './search-store.js';
import type { Refusal } from '../refusal.js';

export class SearchService {
  private constructor(
    private readonly index: Db,
    private readonly queries: EventSearch,
    private readonly thread: SearchIndexerThread,
  ) {}

  /**
   * Open the index beside the store (creating it, or building it anew), or
   * null when that fails: the hive runs on without search and says why.
   */
  static open(store: Db, files: { storeFile: string; indexFile: string }, storedThrough: () => number, log: (message: string) => void): SearchService | null {
    let index: Db;
    try {
      index = openSearchStore(files.indexFile);
      // The worker thread is the index's one writer; this connection only reads.
      index.pragma('query_only = ON');
    } catch (err) {
      log(`search is off: cannot open its index at ${files.indexFile}: ${(err as Error).message}`);
      return null;
    }
    return new SearchService(index, new EventSearch(store, index), new SearchIndexerThread(files, storedThrough, log));
  }

  /** Start indexing (everything stored and not yet indexed, then whatever comes). */
  start(): void {
    this.thread.start();
  }

  /** Events were stored or cut. */
  notify(): void {
    this.thread.notify();
  }

  /** Every stored event up to this seq is indexed. */
  get indexedThrough(): number {
    return this.thread.indexedThrough;
  }

  /** Resolves once everything stored now is indexed. */
  caughtUp(): Promise<void> {
    return this.thread.caughtUp();
  }

  search(input: string, opts: { agent?: string; before?: number; limit: number }): SearchPage | Refusal {
    return this.queries.search(input, opts);
  }

  async close(): Promise<void> {
    await this.thread.close();
    this.index.close();
  }
}

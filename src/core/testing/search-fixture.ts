/** Test helper: the search index over a real store, driven synchronously as its worker would. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../store/index.js';
import { AgentEventLog, type AgentEventRetention } from '../events/agent-event-log.js';
import { SearchIndexer } from '../search/search-indexer.js';
import { openSearchStore } from '../search/search-store.js';
import { EventSearch } from '../search/event-search.js';
import { isRefusal } from '../refusal.js';

/** A store with an event log, its search index, and search over both, in a temp dir. */
export interface SearchFixture {
  store: Db;
  index: Db;
  log: AgentEventLog;
  indexer: SearchIndexer;
  search: EventSearch;
  /** Index everything stored so far, following retention first, as the worker does. */
  catchUp(): void;
  /** Seqs found for `input` (of `agent`), newest first. */
  find(input: string, agent?: string): number[];
  reopenIndex(): void;
  close(): void;
}

/** A fresh fixture (close it to remove the dir). */
export function searchFixture(retention?: AgentEventRetention): SearchFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-fts-'));
  const store = openDatabase(path.join(dir, 'store.sqlite'));
  const indexFile = path.join(dir, 'search.sqlite');
  const f = {
    store,
    index: openSearchStore(indexFile),
    log: new AgentEventLog(store, retention),
  } as SearchFixture;
  const wire = () => {
    f.indexer = new SearchIndexer(store, f.index);
    f.search = new EventSearch(store, f.index);
  };
  wire();
  f.catchUp = () => {
    f.indexer.followRetention();
    while (f.indexer.indexSlice());
  };
  f.find = (input, agent) => {
    const page = f.search.search(input, { limit: 1000, ...(agent !== undefined && { agent }) });
    assert.ok(!isRefusal(page), isRefusal(page) ? page.error : '');
    return page.hits.map((h) => h.seq);
  };
  f.reopenIndex = () => {
    f.index.close();
    f.index = openSearchStore(indexFile);
    wire();
  };
  f.close = () => {
    f.index.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return f;
}

/**
 * The search index's own sqlite file (`<state>/search.sqlite`), beside the
 * store. It holds only what can be built again from the store: the words of
 * each stored live event (FTS5, contentless: no copy of the text), how far
 * indexing got, and which of the store's retention cuts it has followed. So
 * a file it cannot use (from a newer core, or damaged) is set aside and built
 * anew rather than refused.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from '../store/index.js';

/** Version of the index's schema (`user_version`); a file with another one is built anew. */
const SEARCH_SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE VIRTUAL TABLE event_text USING fts5(text, agent, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE event_words USING fts5vocab(event_text, 'row');  -- the words indexed, for prefixes
  CREATE TABLE index_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_through INTEGER NOT NULL     -- every stored event up to this seq has been read
  );
  INSERT INTO index_state (id, indexed_through) VALUES (1, 0);
  CREATE TABLE followed_cuts (
    agent TEXT PRIMARY KEY,
    through INTEGER NOT NULL             -- the agent's rows up to this seq are gone, as in the store
  );
`;

function open(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Open the index at `file`, creating it (or building it anew when it is not one this core can use). */
export function openSearchStore(file: string): Db {
  try {
    const db = open(file);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === SEARCH_SCHEMA_VERSION) return db;
    if (version === 0 && (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n === 0) {
      db.transaction(() => {
        db.exec(SCHEMA);
        db.pragma(`user_version = ${SEARCH_SCHEMA_VERSION}`);
      })();
      return db;
    }
    db.close();
  } catch (err) {
    // A file that is not a database, or damaged: it is rebuilt below. A disk that refuses is the caller's to report.
    if ((err as { code?: string }).code !== 'SQLITE_NOTADB' && (err as { code?: string }).code !== 'SQLITE_CORRUPT') throw err;
  }
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return openSearchStore(file);
}

/** A connection that only reads (the store from the indexer, the index from the core). */
export function openReader(file: string): Db {
  const db = open(file);
  db.pragma('query_only = ON');
  return db;
}

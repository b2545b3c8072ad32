/** Opens the hive's sqlite store: WAL, synchronous=NORMAL, migrations applied. */
import Database from 'better-sqlite3';
import { MIGRATIONS } from './schema.js';

export type Db = Database.Database;

/**
 * Run `fn` as one write transaction that takes the store's write lock at
 * BEGIN (`BEGIN IMMEDIATE`; inside another transaction it is a savepoint).
 * Every write transaction on the store goes through here: a deferred one
 * starts as a read and upgrades at its first write, and an upgrade that
 * finds the lock taken fails at once with "database is locked" — sqlite
 * calls no busy handler for it. The lock is taken by the checkpoint thread
 * for a few milliseconds when it starts the WAL over, and by anyone running
 * a checkpoint or a write with the sqlite3 shell; taken at BEGIN, the
 * writer waits for it (up to `busy_timeout`) instead.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** Open (creating if needed) and migrate the store at `file`. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  // Space freed by retention can be given back to the file system (StoreUpkeep runs incremental_vacuum).
  // This takes effect on a new file; a file made without it is converted once, below.
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Fewer, larger checkpoints and a bigger page cache: agent events arrive in bursts of thousands.
  db.pragma('wal_autocheckpoint = 16384');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  // A checkpointed WAL is truncated back to this size rather than left at its largest.
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  migrate(db);
  if (file !== ':memory:' && db.pragma('auto_vacuum', { simple: true }) !== 2) {
    try {
      db.exec('VACUUM');
    } catch {
      // No room to rewrite the file now (a full disk): the store works as it is, and the next start tries again.
    }
  }
  return db;
}

/** Apply every migration newer than the recorded version, each in its own transaction. */
export function migrate(db: Db): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  if (current > MIGRATIONS.length) {
    throw new Error(`the store is at schema version ${current}, newer than this hyperhive-core knows (${MIGRATIONS.length}); upgrade hyperhive`);
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    writeTransaction(db, () => {
      db.exec(MIGRATIONS[version - 1]!);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Math.floor(Date.now() / 1000));
    });
  }
  return MIGRATIONS.length;
}

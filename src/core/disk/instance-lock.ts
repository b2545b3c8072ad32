/**
 * One core per directory, held by a lock the kernel releases when the process
 * dies — however it dies.
 *
 * Node has no flock(2) or fcntl(2). SQLite, which the core links anyway
 * (better-sqlite3), takes POSIX advisory locks on its files: an empty
 * `core.lock` opened as a database with a `BEGIN EXCLUSIVE` transaction left
 * open holds an exclusive fcntl lock for the life of the process. Taking it is
 * atomic (a second taker gets SQLITE_BUSY at once), nothing is ever written
 * to the file (journal in memory, no statement runs), and a `kill -9` frees it
 * with no stale state: pids play no part, so a reused pid can never block a
 * restart. A pid file or a connect test on a socket cannot give that (two
 * starters can both find a socket dead and both take over).
 *
 * The lock file is never removed (removing a lock file lets two processes
 * hold locks on different inodes of "the same" file). Who holds it is written
 * beside it in `core.owner`, for the refusal sentence only. That file is read
 * by other processes, never by the holder: closing any descriptor of a locked
 * file would drop the holder's POSIX lock, so the holder never opens
 * `core.lock` except through SQLite.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { writeFileAtomic, readFileNoFollow } from './atomic-file.js';
import { describeFsError, describeStoreError } from './fs-error.js';

/** Who holds a directory's lock, as written in its `core.owner`. */
export interface LockOwner {
  pid: number;
  runtime_dir: string;
  state_dir: string;
  started_at: string;
}

export interface HeldLock {
  /** Drop the lock (clean stop); the kernel does the same when the process dies. */
  release(): void;
}

/** The lock is held by another live process; `owner` is what it wrote about itself, when readable. */
export interface LockBusy {
  busy: true;
  owner: LockOwner | null;
}

export const LOCK_FILE = 'core.lock';

/** Every held lock's connection: garbage-collecting a connection would close it and free the lock. */
const heldConnections = new Set<Database.Database>();
export const OWNER_FILE = 'core.owner';

/** Take `<dir>/core.lock`, or learn who holds it. Throws a sentence when the lock file cannot be used at all. */
export function lockDirectory(dir: string, owner: LockOwner): HeldLock | LockBusy {
  const lockFile = path.join(dir, LOCK_FILE);
  const ownerFile = path.join(dir, OWNER_FILE);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(lockFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot use the lock: ${describeFsError(err, lockFile)}`);
  }
  if (existing && !existing.isFile()) throw new Error(`${lockFile} is not a plain file (a symbolic link?); remove it`);
  let db: Database.Database;
  try {
    db = new Database(lockFile, { timeout: 0 });
  } catch (err) {
    throw new Error(`cannot open the lock ${describeStoreError(err, lockFile)}`);
  }
  try {
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return { busy: true, owner: readOwner(ownerFile) };
    throw new Error(`cannot take the lock: ${describeStoreError(err, lockFile)}`);
  }
  try {
    writeFileAtomic(ownerFile, `${JSON.stringify(owner)}\n`);
  } catch {
    // Only refusal sentences read it (the lock is what counts): on a full disk go on without, never with a stale one.
    fs.rmSync(ownerFile, { force: true });
  }
  heldConnections.add(db);
  return {
    release() {
      if (!heldConnections.delete(db)) return;
      if (readOwner(ownerFile)?.pid === owner.pid) fs.rmSync(ownerFile, { force: true });
      db.close();
    },
  };
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileNoFollow(file) ?? 'null') as Partial<LockOwner> | null;
    return parsed && Number.isInteger(parsed.pid) ? (parsed as LockOwner) : null;
  } catch {
    return null;
  }
}

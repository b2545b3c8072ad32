/** Failed file operations as sentences for a person: what went wrong, and where. */
import fs from 'node:fs';
import path from 'node:path';

const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'the path is a symbolic link',
  EEXIST: 'something else is already there',
  EMFILE: 'too many open files in hyperhive-core',
  ENFILE: 'too many open files on this system',
  EIO: 'I/O error (a failing disk?)',
  EISDIR: 'it is a directory',
};

/** The cause of a file-system error in plain words (the errno's meaning, not its code). */
export function fsErrorCause(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return (code && CAUSES[code]) ?? (err instanceof Error ? err.message : String(err));
}

/** "no space left on device at /var/lib/hyperhive/agents/iris/paused" */
export function describeFsError(err: unknown, file: string): string {
  return `${fsErrorCause(err)} at ${file}`;
}

/** Bytes an unprivileged writer may still use on the file system holding `dir`, or undefined when it cannot be told. */
export function spaceLeft(dir: string): number | undefined {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** Below this much free space a store that fails to open is taken to have failed for want of space. */
const NEARLY_FULL_BYTES = 256 * 1024;

/**
 * Why the store at `file` could not be opened or written, in plain words.
 * SQLite reports a full disk as SQLITE_FULL at best and often as a bare
 * "disk I/O error" (a failed -shm or journal write), so the file system is
 * asked directly before the driver's words are passed on.
 */
export function describeStoreError(err: unknown, file: string, freeBytes: number | undefined = spaceLeft(path.dirname(file))): string {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const io = code === 'SQLITE_FULL' || code === 'ENOSPC' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN');
  let cause: string;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || (io && freeBytes !== undefined && freeBytes < NEARLY_FULL_BYTES)) cause = 'no space left on device';
  else if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') cause = 'the file or its file system is read-only';
  else if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') cause = 'the file is damaged or is not a hyperhive store';
  else if (code.startsWith('SQLITE_CANTOPEN')) cause = 'the file cannot be opened (missing directory or no permission)';
  else cause = fsErrorCause(err);
  return `${cause} at ${file}`;
}

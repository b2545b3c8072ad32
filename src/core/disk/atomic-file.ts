/** Files written whole or not at all, never through a symbolic link. */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeFsError } from './fs-error.js';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;

/**
 * Write `file` atomically: the bytes go to a fresh temp file beside it
 * (created exclusively, never following a link), are synced, and the temp
 * file is renamed over `file` (a rename replaces a link, it does not follow
 * it). On any failure the temp file is removed and `file` is as it was.
 * Throws an Error whose message names the path and the cause.
 */
export function writeFileAtomic(file: string, data: string, mode = 0o644): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
    const bytes = Buffer.from(data);
    for (let off = 0; off < bytes.length; ) off += fs.writeSync(fd, bytes, off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, file);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw new Error(describeFsError(err, file), { cause: err });
  }
}

/** Read a small file without following a final symbolic link; undefined when absent. */
export function readFileNoFollow(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(describeFsError(err, file), { cause: err });
  }
  try {
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

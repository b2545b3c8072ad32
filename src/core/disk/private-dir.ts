/**
 * Directories the core trusts: its runtime dir (sockets), its state dir, and
 * the `agents/` dirs under each. A directory is trusted only when it is a real
 * directory (not a symbolic link), belongs to the core's own user or to root,
 * and no one else may write to it — group-writable included: the socket group
 * needs only to reach `host.sock` (the dir's x bit and the socket's mode), and
 * write access to the dir would let a member replace the socket.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeFsError } from './fs-error.js';

function ownUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** Why the existing `dir` (as `lstat` saw it) cannot be trusted, or null when it can. */
export function privateDirProblem(dir: string, stat: fs.Stats): string | null {
  if (stat.isSymbolicLink()) return `${dir} is a symbolic link; hyperhive-core uses only real directories it owns — remove the link`;
  if (!stat.isDirectory()) return `${dir} is not a directory`;
  const uid = ownUid();
  if (uid !== undefined && stat.uid !== uid && stat.uid !== 0) {
    return `${dir} belongs to uid ${stat.uid}, not to this user (uid ${uid}) or root; remove it or give it to uid ${uid}`;
  }
  if (stat.mode & 0o022) {
    const who = stat.mode & 0o002 ? 'everyone' : 'its group';
    return `${dir} is writable by ${who} (mode ${(stat.mode & 0o7777).toString(8).padStart(4, '0')}); run chmod go-w ${dir}`;
  }
  return null;
}

/** The problem with `dir` if it exists and cannot be trusted; null when it is trusted or absent. */
export function checkPrivateDir(dir: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return describeFsError(err, dir);
  }
  return privateDirProblem(dir, stat);
}

/**
 * Make sure `dir` exists and can be trusted: create it with `mode` when
 * absent (its parents too when `parents`), else check it. Throws an Error
 * whose message is a sentence naming the directory.
 */
export function ensurePrivateDir(dir: string, mode: number, options: { parents?: boolean } = {}): void {
  try {
    if (options.parents) fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.mkdirSync(dir, { mode });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create ${dir}: ${describeFsError(err, dir)}`, { cause: err });
  }
  const problem = checkPrivateDir(dir);
  if (problem) throw new Error(problem);
}

/** Check every directory or link in `dir` (each must be a trusted directory); the first problem, or null. */
export function checkPrivateChildren(dir: string): string | null {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : describeFsError(err, dir);
  }
  for (const name of names.sort()) {
    const entry = path.join(dir, name);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(entry);
    } catch {
      continue; // gone meanwhile
    }
    // Stray plain files are no threat; links and directories are what a path could be steered through.
    if (stat.isFile()) continue;
    const problem = privateDirProblem(entry, stat);
    if (problem) return problem;
  }
  return null;
}

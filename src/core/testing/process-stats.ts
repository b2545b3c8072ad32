/** Test support: what a process and a store file cost, as Linux reports it. */
import fs from 'node:fs';
import Database from 'better-sqlite3';

/** Resident and peak resident memory of `pid`, in bytes (from /proc). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** Bytes of a sqlite store on disk: the main file and its WAL. */
export function storeBytes(file: string): { main: number; wal: number } {
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  return { main: size(file), wal: size(`${file}-wal`) };
}

/** Bytes the store's content takes (pages in use, WAL included, free pages not), read alongside the running core. */
export function storeContentBytes(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const pragma = (name: string) => db.pragma(name, { simple: true }) as number;
    return (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
  } finally {
    db.close();
  }
}

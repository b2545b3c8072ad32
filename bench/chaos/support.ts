/** What the flood and hostile-input chaos cases measure (a process's memory and descriptors, a store's size and integrity, one timed request), and running one case alone. */
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { formatTable, intFlag, type ChaosCase } from './chaos-case.js';

/** Resident and peak resident memory of `pid`, in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = (key: string) => Math.round((Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024) * 10) / 10;
  return { rss: mib('VmRSS'), peak: mib('VmHWM') };
}

/** Open descriptors of `pid`. */
export function openFiles(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** The store on disk (main file and WAL) and its content (pages in use), in MiB, plus sqlite's integrity check. */
export function storeFigures(file: string): { mainMiB: number; walMiB: number; contentMiB: number; integrity: string } {
  const mib = (n: number) => Math.round((n / 1048576) * 10) / 10;
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  const db = new Database(file, { readonly: true });
  try {
    const pragma = (name: string) => db.pragma(name, { simple: true }) as number;
    const content = (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    return { mainMiB: mib(size(file)), walMiB: mib(size(`${file}-wal`)), contentMiB: mib(content), integrity };
  } finally {
    db.close();
  }
}

/** One request on a fresh connection, raw; resolves with the answer line and how long it took (rejects on close or timeout). */
export function timedRequest(socketPath: string, line: string, timeoutMs = 5000): Promise<{ line: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(line.endsWith('\n') ? line : `${line}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ line: buffer.slice(0, nl), ms: Date.now() - started });
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error('closed before an answer'));
    });
  });
}

/** When the module at `moduleUrl` is the program being run (not imported by `run.ts`), run `chaos` alone and print its row. */
export async function runIfMain(chaos: ChaosCase, moduleUrl: string): Promise<void> {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== fs.realpathSync(process.argv[1])) return;
  const started = Date.now();
  const report = await chaos.run(intFlag('seed', Date.now() % 1_000_000));
  console.log(formatTable([{ report, seconds: (Date.now() - started) / 1000 }]));
  process.exitCode = report.ok ? 0 : 1;
}

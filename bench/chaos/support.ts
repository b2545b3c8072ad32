/** Shared by the chaos cases: the case contract, process figures, one-line figures. */
import fs from 'node:fs';
import net from 'node:net';
import Database from 'better-sqlite3';

/** What a chaos case reports: whether its invariants held, and the figures it measured. */
export interface ChaosReport {
  name: string;
  ok: boolean;
  figures: Record<string, string | number>;
  /** What broke, when `ok` is false. */
  failures: string[];
}

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

/** Print a report as `name: ok|FAILED  key=value …`, then its failures. */
export function printReport(report: ChaosReport): void {
  const figures = Object.entries(report.figures).map(([k, v]) => `${k}=${v}`).join('  ');
  console.log(`${report.name}: ${report.ok ? 'ok' : 'FAILED'}  ${figures}`);
  for (const failure of report.failures) console.log(`  ! ${failure}`);
}

/** Integer value of `--name N` in argv, or `fallback`. */
export function intFlag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a non-negative integer`);
  return value;
}

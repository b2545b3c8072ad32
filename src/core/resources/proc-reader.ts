/**
 * Reading a process tree's CPU time and memory from /proc, cheaply: per
 * process one read of `/proc/<pid>/stat` (CPU ticks, resident pages, start
 * time) and one of `/proc/<pid>/task/<pid>/children` (its children), into one
 * reused buffer with no file handle kept open. Where the kernel has no
 * `children` files, one scan of /proc per round finds parents instead.
 */
import fs from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux the kernel ABI allows). */
export const TICKS_PER_SECOND = 100;

/** What one `/proc/<pid>/stat` says that sampling needs. */
export interface ProcStatFields {
  /** Fields 14–17: user and system time of the process and of its waited-for children, in ticks. */
  ticks: number;
  /** Field 24: resident pages. */
  rssPages: number;
  /** Field 22: start time in ticks since boot (with the pid, names one process for good). */
  startTime: number;
  /** Field 4. */
  ppid: number;
}

/**
 * Parse the text of a stat file. The command name (field 2) may hold spaces
 * and parentheses, so fields are counted after its last ')'.
 */
export function parseProcStat(text: string): ProcStatFields | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3, so field N is rest[N - 3].
  const field = (n: number) => Number(rest[n - 3]);
  const ticks = field(14) + field(15) + field(16) + field(17);
  const fields = { ticks, rssPages: field(24), startTime: field(22), ppid: field(4) };
  return Number.isFinite(ticks) && Number.isFinite(fields.rssPages) && Number.isFinite(fields.startTime) ? fields : null;
}

/** A whole process tree at one moment. */
export interface TreeReading {
  /** CPU ticks of every live process in the tree plus what their reaped children used: grows monotonically while the tree lives. */
  ticks: number;
  rssBytes: number;
  processes: number;
  /** The root's start time (a new process under a reused pid has another). */
  startTime: number;
}

/** Most processes one tree reading follows (a fork bomb under an agent costs the sampler no more). */
const MAX_TREE = 512;

export class ProcReader {
  private readonly buffer = Buffer.alloc(8192);
  private childrenFiles: boolean | null = null;
  private parentsThisRound: Map<number, number[]> | null = null;
  readonly pageBytes: number;
  private readonly procRoot: string;

  /** `scanForChildren` reads trees as on a kernel without `children` files (for comparing the two). */
  constructor(options: { procRoot?: string; scanForChildren?: boolean } = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    if (options.scanForChildren) this.childrenFiles = false;
    this.pageBytes = pageSize(this.procRoot);
  }

  /** A new sampling round: what a /proc scan learnt in the last one is stale. */
  beginRound(): void {
    this.parentsThisRound = null;
  }

  /** `pid` and its descendants, or null when `pid` is gone. */
  readTree(pid: number): TreeReading | null {
    const root = this.readStat(pid);
    if (!root) return null;
    const reading: TreeReading = { ticks: root.ticks, rssBytes: root.rssPages * this.pageBytes, processes: 1, startTime: root.startTime };
    const queue = this.children(pid);
    for (let i = 0; i < queue.length && reading.processes < MAX_TREE; i++) {
      const child = queue[i]!;
      const stat = this.readStat(child);
      if (!stat) continue;
      reading.ticks += stat.ticks;
      reading.rssBytes += stat.rssPages * this.pageBytes;
      reading.processes++;
      queue.push(...this.children(child));
    }
    return reading;
  }

  /** One stat file, read whole into the shared buffer. */
  readStat(pid: number): ProcStatFields | null {
    const text = this.readSmall(`${this.procRoot}/${pid}/stat`);
    return text === null ? null : parseProcStat(text);
  }

  private children(pid: number): number[] {
    if (this.childrenFiles !== false) {
      const text = this.readSmall(`${this.procRoot}/${pid}/task/${pid}/children`);
      if (text !== null) {
        this.childrenFiles = true;
        return text.split(' ').filter((p) => p !== '' && p !== '\n').map(Number);
      }
      // Missing once while it worked before: the process went away. Missing on the first try: no such files here.
      if (this.childrenFiles === true) return [];
      this.childrenFiles = false;
    }
    return [...(this.scanParents().get(pid) ?? [])];
  }

  /** Children by parent, from one scan of /proc per round (kernels without `children` files). */
  private scanParents(): Map<number, number[]> {
    if (this.parentsThisRound) return this.parentsThisRound;
    const parents = new Map<number, number[]>();
    for (const entry of fs.readdirSync(this.procRoot)) {
      if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
      const stat = this.readStat(Number(entry));
      if (stat) parents.set(stat.ppid, [...(parents.get(stat.ppid) ?? []), Number(entry)]);
    }
    this.parentsThisRound = parents;
    return parents;
  }

  /** A small /proc file's text, or null when it cannot be read (the process is gone). */
  private readSmall(file: string): string | null {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return null;
    }
    try {
      const bytes = fs.readSync(fd, this.buffer, 0, this.buffer.length, 0);
      return this.buffer.toString('latin1', 0, bytes);
    } catch {
      return null;
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** The kernel's page size: this process's resident bytes over its resident pages, rounded to a power of two (4096 where /proc says nothing). */
function pageSize(procRoot: string): number {
  try {
    const pages = Number(fs.readFileSync(`${procRoot}/self/statm`, 'utf8').split(' ')[1]);
    const ratio = process.memoryUsage.rss() / pages;
    if (Number.isFinite(ratio) && ratio > 0) return 2 ** Math.round(Math.log2(ratio));
  } catch {
    // no /proc
  }
  return 4096;
}

/**
 * `<agent state>/harness.pid`: which process is an agent's harness, written by
 * the core that started it. A pid alone names a process only until it exits
 * (pids are reused), so the record also carries the process's start time
 * (field 22 of /proc/<pid>/stat, in clock ticks since boot): a starting core
 * stops a harness a previous core left only when both still match. Where
 * /proc is missing nothing is ever stopped this way; the harness's own watch
 * on its core (--parent-fd) still ends it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readFileNoFollow, writeFileAtomic } from '../disk/index.js';

export const HARNESS_PID_FILE = 'harness.pid';

export interface HarnessPidRecord {
  pid: number;
  /** Start time in clock ticks since boot, as /proc says; null where it cannot be read. */
  start_time: string | null;
  /** The core that started it. */
  core_pid: number;
}

/** What /proc says of one process: its start time, state letter, parent, and process group. */
export interface ProcStat {
  startTime: string;
  state: string;
  ppid: number;
  pgid: number;
}

export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const startTime = rest[22 - 3];
  if (!startTime) return null;
  return { startTime, state: rest[0]!, ppid: Number(rest[4 - 3]), pgid: Number(rest[5 - 3]) };
}

/** True while `pid` is the very process that started at `startTime` (and has not exited). */
export function isSameProcess(pid: number, startTime: string): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.startTime === startTime && stat.state !== 'Z' && stat.state !== 'X';
}

export function writeHarnessPidFile(agentStateDir: string, pid: number): void {
  const record: HarnessPidRecord = { pid, start_time: readProcStat(pid)?.startTime ?? null, core_pid: process.pid };
  writeFileAtomic(path.join(agentStateDir, HARNESS_PID_FILE), `${JSON.stringify(record)}\n`);
}

export function readHarnessPidFile(agentStateDir: string): HarnessPidRecord | null {
  try {
    const record = JSON.parse(readFileNoFollow(path.join(agentStateDir, HARNESS_PID_FILE)) ?? 'null') as HarnessPidRecord | null;
    return record && Number.isInteger(record.pid) && record.pid > 0 ? record : null;
  } catch {
    return null;
  }
}

/** Remove the pid file if it still names `pid` (a newer harness's file is left alone). */
export function removeHarnessPidFile(agentStateDir: string, pid: number): void {
  if (readHarnessPidFile(agentStateDir)?.pid === pid) fs.rmSync(path.join(agentStateDir, HARNESS_PID_FILE), { force: true });
}

/** Process groups led by descendants of `pid` (its turn's command and what that started), with their leaders' start times. */
function descendantGroups(pid: number): Map<number, string> {
  const children = new Map<number, number[]>();
  const stats = new Map<number, ProcStat>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (!stat) continue;
    stats.set(Number(entry), stat);
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const ownGroup = readProcStat(pid)?.pgid;
  const groups = new Map<number, string>();
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    const stat = stats.get(next)!;
    // Only groups the descendants lead: the harness's own group is its old core's, shared with others.
    if (stat.pgid === next && stat.pgid !== ownGroup && stat.pgid !== process.pid) groups.set(next, stat.startTime);
    queue.push(...(children.get(next) ?? []));
  }
  return groups;
}

async function exited(pid: number, startTime: string, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (isSameProcess(pid, startTime)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * Stop the harness `<agent state>/harness.pid` names if a previous core left
 * it running: SIGTERM (it ends its command's process group and exits), then
 * SIGKILL for it and its command's groups after `graceMs`. Returns the pid
 * stopped, or null when there was nothing (no file, or a pid since reused).
 */
export async function stopLeftoverHarness(agentStateDir: string, graceMs: number): Promise<number | null> {
  const record = readHarnessPidFile(agentStateDir);
  if (!record) return null;
  const { pid, start_time: startTime } = record;
  if (startTime === null || pid === process.pid || !isSameProcess(pid, startTime)) {
    fs.rmSync(path.join(agentStateDir, HARNESS_PID_FILE), { force: true });
    return null;
  }
  const groups = descendantGroups(pid);
  signal(pid, 'SIGTERM');
  if (!(await exited(pid, startTime, graceMs)) && isSameProcess(pid, startTime)) signal(pid, 'SIGKILL');
  for (const [leader, leaderStart] of groups) if (isSameProcess(leader, leaderStart)) signal(-leader, 'SIGKILL');
  await exited(pid, startTime, graceMs);
  removeHarnessPidFile(agentStateDir, pid);
  return pid;
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // gone already
  }
}

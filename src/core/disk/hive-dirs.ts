/** The core's own directories: created or checked at start, and locked for as long as it runs. */
import fs from 'node:fs';
import path from 'node:path';
import { checkPrivateChildren, checkPrivateDir, ensurePrivateDir } from './private-dir.js';
import { lockDirectory, type LockOwner } from './instance-lock.js';

export interface HiveDirs {
  stateDir: string;
  runtimeDir: string;
}

/**
 * Create the state and runtime dirs and their `agents/` (or check the ones
 * that exist), and check every agent dir already in them. Throws a sentence
 * naming the first directory that cannot be trusted.
 */
export function prepareHiveDirs({ stateDir, runtimeDir }: HiveDirs): void {
  // Everything is checked before anything is created: a refused start leaves no trace.
  const agentDirs = [path.join(stateDir, 'agents'), path.join(runtimeDir, 'agents')];
  for (const dir of [stateDir, runtimeDir, ...agentDirs]) {
    const problem = checkPrivateDir(dir);
    if (problem) throw new Error(problem);
  }
  for (const dir of agentDirs) {
    const problem = checkPrivateChildren(dir);
    if (problem) throw new Error(problem);
  }
  ensurePrivateDir(stateDir, 0o750, { parents: true });
  ensurePrivateDir(path.join(stateDir, 'agents'), 0o750);
  ensurePrivateDir(runtimeDir, 0o751, { parents: true });
  // Group and others may reach host.sock through it, never list or change it.
  fs.chmodSync(runtimeDir, 0o751);
  ensurePrivateDir(path.join(runtimeDir, 'agents'), 0o751);
}

/**
 * Take the runtime dir's lock, then the state dir's: one core per runtime dir
 * and one per state dir. Returns the release of both; throws a sentence
 * naming the core that holds either.
 */
export function lockHiveDirs({ stateDir, runtimeDir }: HiveDirs): () => void {
  const owner: LockOwner = { pid: process.pid, runtime_dir: runtimeDir, state_dir: stateDir, started_at: new Date().toISOString() };
  const runtimeLock = lockDirectory(runtimeDir, owner);
  if ('busy' in runtimeLock) {
    const who = runtimeLock.owner ? ` (pid ${runtimeLock.owner.pid}, state dir ${runtimeLock.owner.state_dir})` : '';
    throw new Error(`another hyperhive-core${who} is already running on ${runtimeDir}; stop it first or use another --runtime-dir`);
  }
  let stateLock;
  try {
    stateLock = lockDirectory(stateDir, owner);
  } catch (err) {
    runtimeLock.release();
    throw err;
  }
  if ('busy' in stateLock) {
    runtimeLock.release();
    const who = stateLock.owner ? ` (pid ${stateLock.owner.pid}, runtime dir ${stateLock.owner.runtime_dir})` : '';
    throw new Error(`another hyperhive-core${who} is already using the state dir ${stateDir}; stop it first or use another --state-dir`);
  }
  return () => {
    stateLock.release();
    runtimeLock.release();
  };
}

/** Listening on Unix socket files: stale files replaced only when nothing answers, modes set, group given. */
import fs from 'node:fs';
import net from 'node:net';
import { execFileSync } from 'node:child_process';

/** Listen on a Unix socket, replacing a stale socket file only after a connect attempt fails. */
export async function listen(server: net.Server, socketPath: string, mode: number): Promise<void> {
  if (fs.existsSync(socketPath)) {
    if (await isAlive(socketPath)) throw new Error(`${socketPath} is in use by another process`);
    fs.rmSync(socketPath, { force: true });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  fs.chmodSync(socketPath, mode);
}

/** True when something accepts connections on `socketPath`. */
export function isAlive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createConnection(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Give `file` to `group`; a failure is logged, not fatal (the socket still works for its owner). */
export function chgrp(file: string, group: string, log: (m: string) => void): void {
  try {
    const entry = execFileSync('getent', ['group', group], { encoding: 'utf8' });
    const gid = Number(entry.split(':')[2]);
    fs.chownSync(file, -1, gid);
  } catch (err) {
    log(`could not give ${file} to group ${group}: ${(err as Error).message}`);
  }
}

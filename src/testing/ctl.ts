/** Test helper: run the compiled `hyperhive` ctl against a host socket and collect what it printed. */
import { spawn } from 'node:child_process';
import { entries } from './hive.js';

/** What one ctl run printed, and how it exited. */
export interface CtlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `hyperhive <args>` with `HYPERHIVE_SOCKET` set to `socket` (stdin from `options.stdin`). */
export function runCtl(socket: string, args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CtlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entries.ctl, ...args], {
      env: { ...process.env, HYPERHIVE_SOCKET: socket, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * Run one external command with a deadline and bounded output. On the
 * deadline its whole process group gets SIGTERM, then SIGKILL, so nothing it
 * started keeps running on our behalf.
 */
import { spawn } from 'node:child_process';

/** How a command ended. */
export type CommandOutcome =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
  | { kind: 'timed-out'; stdout: string; stderr: string }
  | { kind: 'not-started'; error: string };

const OUTPUT_CAP = 16 * 1024;
const KILL_GRACE_MS = 2000;

/** Keeps the last `OUTPUT_CAP` bytes of a stream. */
class Tail {
  private chunks: Buffer[] = [];
  private bytes = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes - this.chunks[0]!.length >= OUTPUT_CAP) this.bytes -= this.chunks.shift()!.length;
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - OUTPUT_CAP)).toString('utf8');
  }
}

/** Run `file args…`; never rejects. */
export function runBounded(file: string, args: readonly string[], options: { timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: options.env ?? process.env });
    const stdout = new Tail();
    const stderr = new Tail();
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    let timedOut = false;
    let settled = false;
    const settle = (outcome: CommandOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(killTimer);
      resolve(outcome);
    };
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => {
        killGroup('SIGKILL');
        // Grandchildren holding the pipes open must not hold us too.
        setTimeout(() => settle({ kind: 'timed-out', stdout: stdout.text(), stderr: stderr.text() }), 500).unref();
      }, KILL_GRACE_MS);
    }, options.timeoutMs);
    child.once('error', (err: NodeJS.ErrnoException) => {
      settle({ kind: 'not-started', error: err.code === 'ENOENT' ? `${file} was not found` : err.message });
    });
    child.once('close', (code, signal) => {
      if (timedOut) {
        killGroup('SIGKILL');
        settle({ kind: 'timed-out', stdout: stdout.text(), stderr: stderr.text() });
      } else settle({ kind: 'exited', code, signal, stdout: stdout.text(), stderr: stderr.text() });
    });
  });
}

/** The last few lines of `text`, for an error sentence. */
export function lastLines(text: string, count = 3, maxChars = 600): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const tail = lines.slice(-count).join(' / ');
  return tail.length > maxChars ? `…${tail.slice(-maxChars)}` : tail;
}

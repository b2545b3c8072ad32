/** Runs hyperhive-tui in a real pseudo-terminal (util-linux `script`) and watches what it draws. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import stripAnsi from 'strip-ansi';

/** The bundled console (what the `hyperhive-tui` bin runs) and the unbundled tsc output. */
export const TUI_BUNDLE = fileURLToPath(new URL('../../bundle/hyperhive-tui.mjs', import.meta.url));
export const TUI_UNBUNDLED = fileURLToPath(new URL('../../src/tui/main.js', import.meta.url));

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A console running in a pty. */
export interface PtyTui {
  child: ChildProcess;
  startedAt: bigint;
  /** Everything drawn so far (raw, escapes included). */
  output(): string;
  /** Bytes drawn so far. */
  outputLength(): number;
  /** Type into the terminal. */
  write(keys: string): void;
  /** Resolve with ms since `fromNs` once `check` holds on the ANSI-stripped output written after offset `from`. */
  waitFor(check: (text: string) => boolean, opts?: { from?: number; fromNs?: bigint; timeoutMs?: number }): Promise<number>;
  /** The node process's pid (for CPU and RSS readings). */
  nodePid(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Start `<entry> <args>` in a pty of `columns`×`rows`: executed directly, as
 * the `hyperhive-tui` bin is (its shebang carries the node flags), with this
 * node first on PATH.
 */
export function startPtyTui(entry: string, args: string[], opts: { columns?: number; rows?: number; env?: NodeJS.ProcessEnv; command?: string } = {}): PtyTui {
  const cmd = opts.command ?? `exec ${[entry, ...args].map(shellQuote).join(' ')}`;
  const startedAt = process.hrtime.bigint();
  const child = spawn('script', ['-qfec', `stty cols ${opts.columns ?? 120} rows ${opts.rows ?? 40}; ${cmd}`, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    detached: true,
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`, ...opts.env },
  });
  const chunks: string[] = [];
  let length = 0;
  let text = '';
  let dirty = false;
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    chunks.push(chunk);
    length += chunk.length;
    dirty = true;
    for (const w of waiters) w();
  });
  const output = () => {
    if (dirty) {
      text = chunks.join('');
      chunks.length = 0;
      chunks.push(text);
      dirty = false;
    }
    return text;
  };
  return {
    child,
    startedAt,
    output,
    outputLength: () => length,
    write: (keys) => child.stdin!.write(keys),
    waitFor(check, { from = 0, fromNs = startedAt, timeoutMs = 10_000 } = {}) {
      return new Promise((resolve, reject) => {
        const test = () => {
          // Only the new part is searched (frames are large; the whole log is not rescanned).
          const all = output();
          if (check(stripAnsi(all.slice(Math.max(0, from))))) {
            const ms = Number(process.hrtime.bigint() - fromNs) / 1e6;
            cleanup();
            resolve(ms);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`the console did not draw the expected frame within ${timeoutMs} ms; last output:\n${output().slice(-2000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(test);
        };
        waiters.add(test);
        test();
      });
    },
    nodePid() {
      // script → (exec) node: the node process is script's only child.
      try {
        const children = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
        return children.length ? Number(children[0]) : undefined;
      } catch {
        return undefined;
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** utime+stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ = 100)
}

/** Resident set size of a process, in MB. */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * Runs one claude command: wake-up text on stdin, stdout parsed into items,
 * stderr into notes, heartbeats while it runs, and a cancel that escalates
 * from SIGINT to SIGKILL.
 */
import { spawn } from 'node:child_process';
import { LineSplitter } from '../protocol/index.js';
import { RunTally, StreamParser, type RunExit, type StreamItem } from './stream-parser.js';

/** The heartbeat fields, as the runner measures them. */
export interface HeartbeatSample {
  elapsed_secs: number;
  stdout_bytes: number;
  stdout_delta_bytes: number;
  stagnant_heartbeats: number;
  pid: number | null;
  pid_alive: boolean;
}

/** What one run needs. */
export interface RunSpec {
  command: readonly string[];
  args: readonly string[];
  stdin: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  heartbeatMs: number;
  /** Wait this long after SIGINT before SIGKILL. */
  cancelGraceMs?: number;
  onItem: (item: StreamItem) => void;
  onHeartbeat: (beat: HeartbeatSample) => void;
}

/** A run in progress: `done` settles when the process has exited and its output is drained. */
export interface RunningCommand {
  readonly pid: number | null;
  readonly done: Promise<RunExit & { tally: RunTally }>;
  /** SIGINT now, SIGKILL after the grace period. Idempotent. */
  cancel(): void;
  /** SIGKILL at once (harness shutdown). */
  kill(): void;
}

function alive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signal the command's whole process group (it was started detached), falling back to the pid. */
function signalGroup(pid: number | null, signal: NodeJS.Signals): void {
  if (pid === null) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Start the command. Items reach `onItem` in stdout order, already tallied. */
export function runCommand(spec: RunSpec): RunningCommand {
  const [file, ...prefix] = spec.command;
  if (!file) throw new Error('the agent command is empty');
  const started = Date.now();
  const tally = new RunTally();
  const parser = new StreamParser();
  const stderrLines = new LineSplitter(64 * 1024);
  let stdoutBytes = 0;
  let lastBeatBytes = 0;
  let stagnant = 0;
  let cancelled = false;
  let killTimer: NodeJS.Timeout | null = null;

  const deliver = (item: StreamItem) => {
    tally.observe(item);
    spec.onItem(item);
  };

  // detached: its own process group, so cancel reaches the MCP servers claude started too.
  const child = spawn(file, [...prefix, ...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid ?? null;

  child.stdin.on('error', () => {
    // The command may exit without reading stdin; that is its business.
  });
  child.stdin.end(spec.stdin);

  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    for (const item of parser.push(chunk)) deliver(item);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    for (const piece of stderrLines.push(chunk)) {
      if (piece.kind === 'line') deliver({ kind: 'note', text: `stderr: ${piece.line}` });
    }
  });

  const beat = setInterval(() => {
    const delta = stdoutBytes - lastBeatBytes;
    lastBeatBytes = stdoutBytes;
    stagnant = delta === 0 ? stagnant + 1 : 0;
    spec.onHeartbeat({
      elapsed_secs: (Date.now() - started) / 1000,
      stdout_bytes: stdoutBytes,
      stdout_delta_bytes: delta,
      stagnant_heartbeats: stagnant,
      pid,
      pid_alive: alive(pid),
    });
  }, spec.heartbeatMs);
  beat.unref();

  const done = new Promise<RunExit & { tally: RunTally }>((resolve) => {
    let spawnError: Error | null = null;
    child.on('error', (err) => {
      spawnError = err;
    });
    // 'close' waits for stdout/stderr to end, so every item is delivered before `done` settles.
    child.on('close', (code, signal) => {
      clearInterval(beat);
      if (killTimer) clearTimeout(killTimer);
      for (const item of parser.end()) deliver(item);
      const tail = stderrLines.flush();
      if (tail) deliver({ kind: 'note', text: `stderr: ${tail}` });
      if (!spawnError) return resolve({ exitCode: code, signal: signal ?? null, cancelled, tally });
      const cannotStart = `cannot run ${JSON.stringify(file)}: ${spawnError.message}`;
      deliver({ kind: 'note', text: cannotStart });
      resolve({ exitCode: 127, signal: signal ?? null, cancelled, tally, cannotStart });
    });
  });

  return {
    pid,
    done,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      signalGroup(pid, 'SIGINT');
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), spec.cancelGraceMs ?? 5000);
      killTimer.unref();
    },
    kill() {
      cancelled = true;
      signalGroup(pid, 'SIGKILL');
    },
  };
}

/**
 * Running the `git` CLI for the config repos: no shell, a deadline, a cap
 * on what it may print, and an environment of our own (no user or system
 * config, no prompts, no GIT_* variables inherited), so a repo's owner or
 * the core's environment cannot change what a command does.
 */
import { execFile, execFileSync, type ExecFileException } from 'node:child_process';

/** Longest a git command may run. */
const DEFAULT_TIMEOUT_MS = 60_000;
/** Most a git command may print (a diff has its own, larger cap). */
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/** Who the core's own commits are by (seed commits of new agents). */
const CORE_IDENTITY = { name: 'hyperhive-core', email: 'core@hyperhive.invalid' };

export interface GitOptions {
  /** The repo to run in (`git -C`). */
  repo?: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** Extra environment (commit dates). */
  env?: Record<string, string>;
}

/** A git command that failed: its message is a sentence; `stderr` and `exitCode` for callers that look closer. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | null,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** The environment every git command runs with. */
function gitEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GIT_')) env[key] = value;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: CORE_IDENTITY.name,
    GIT_AUTHOR_EMAIL: CORE_IDENTITY.email,
    GIT_COMMITTER_NAME: CORE_IDENTITY.name,
    GIT_COMMITTER_EMAIL: CORE_IDENTITY.email,
    LC_ALL: 'C',
    ...extra,
  };
}

/** `git [-C repo] -c core.hooksPath=/dev/null args…`: hooks never run, in any repo. */
function gitArgs(args: readonly string[], repo: string | undefined): string[] {
  return [...(repo ? ['-C', repo] : []), '-c', 'core.hooksPath=/dev/null', ...args];
}

function describe(args: readonly string[], err: ExecFileException & { stderr?: string | Buffer }, options: GitOptions): GitError {
  const what = `git ${args.filter((a) => !a.startsWith('-c')).slice(0, 2).join(' ')}`;
  const stderr = String(err.stderr ?? '').trim();
  if (err.code === 'ENOENT') return new GitError('git was not found on PATH; config repos need the git command-line tool', stderr, null);
  if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return new GitError(`${what} printed more than ${Math.round((options.maxBytes ?? DEFAULT_MAX_BYTES) / 1048576)} MiB`, stderr, null, true);
  }
  if (err.killed || err.signal) return new GitError(`${what} did not finish within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s and was stopped`, stderr, null);
  const said = stderr.split('\n').filter(Boolean).slice(-2).join(' / ').slice(0, 400);
  return new GitError(`${what} failed${said ? `: ${said}` : ''}`, stderr, typeof err.code === 'number' ? err.code : null);
}

/** Run git; resolves with its stdout, rejects with a `GitError`. */
export function git(args: readonly string[], options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      gitArgs(args, options.repo),
      { env: gitEnv(options.env), timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: options.maxBytes ?? DEFAULT_MAX_BYTES, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) reject(describe(args, Object.assign(err, { stderr }), options));
        else resolve(stdout);
      },
    );
  });
}

/** Run a quick git command synchronously (inside a store transaction); throws a `GitError`. */
export function gitSync(args: readonly string[], options: GitOptions = {}): string {
  try {
    return execFileSync('git', gitArgs(args, options.repo), {
      env: gitEnv(options.env),
      timeout: options.timeoutMs ?? 10_000,
      killSignal: 'SIGKILL',
      maxBuffer: options.maxBytes ?? DEFAULT_MAX_BYTES,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    throw describe(args, err as ExecFileException & { stderr?: string }, options);
  }
}

/** A full commit id. */
export function isFullSha(text: string): boolean {
  return /^[0-9a-f]{40}$/.test(text);
}

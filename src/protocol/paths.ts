/** Default locations of state and sockets, shared by every program. */
import os from 'node:os';
import path from 'node:path';

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** State dir (sqlite, per-agent state, config repos). */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (isRoot()) return '/var/lib/hyperhive';
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'hyperhive');
}

/** Runtime dir (sockets). */
export function defaultRuntimeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (isRoot()) return '/run/hyperhive';
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'hyperhive');
  return `/tmp/hyperhive-${process.getuid?.() ?? 'user'}`;
}

export function hostSocketPath(runtimeDir: string): string {
  return path.join(runtimeDir, 'host.sock');
}

export function readOnlyHostSocketPath(runtimeDir: string): string {
  return path.join(runtimeDir, 'host-ro.sock');
}

/** `<runtime>/agents/<name>/mcp.sock`; `name` must already be a checked agent name. */
export function agentSocketPath(runtimeDir: string, name: string): string {
  return path.join(runtimeDir, 'agents', name, 'mcp.sock');
}

/** The host socket a client should use: `--socket`, then `HYPERHIVE_SOCKET`, then the default. */
export function resolveHostSocket(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.HYPERHIVE_SOCKET || hostSocketPath(defaultRuntimeDir(env));
}

/**
 * An agent's claude configuration dir (`CLAUDE_CONFIG_DIR`: its login,
 * credentials and settings), inside its state dir: `<state>/agents/<name>/claude`
 * on the host, `/state/claude` in a container (the same directory).
 */
export function claudeConfigDirOf(agentStateDir: string): string {
  return path.join(agentStateDir, 'claude');
}

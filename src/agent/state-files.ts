/**
 * The files in an agent's state dir that the harness reads between turns:
 * the persisted model, the paused marker, the session marker and the work
 * dir's claude settings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { claudeConfigDirOf } from '../protocol/index.js';
import { MCP_SERVER_NAME } from './mcp-config.js';

/** Where one agent's harness keeps its state. */
export interface StatePaths {
  /** claude's working directory. */
  workDir: string;
  /** The model chosen by `set_model`, kept across restarts. */
  modelFile: string;
  /** Present while the agent is paused (the marker survives a harness restart). */
  pausedMarker: string;
  /** Present once a turn succeeded: `--continue` has a conversation to continue. */
  sessionMarker: string;
  /** claude's configuration and credentials (`CLAUDE_CONFIG_DIR`), this agent's alone. */
  claudeConfigDir: string;
}

/** The state paths under `stateDir`, creating the dir and the work dir. */
export function prepareStateDir(stateDir: string): StatePaths {
  fs.mkdirSync(stateDir, { recursive: true });
  const workDir = path.join(stateDir, 'work');
  fs.mkdirSync(workDir, { recursive: true });
  // Credentials live here: readable by this agent's user only.
  const claudeConfigDir = claudeConfigDirOf(stateDir);
  fs.mkdirSync(claudeConfigDir, { recursive: true, mode: 0o700 });
  return {
    claudeConfigDir,
    workDir,
    modelFile: path.join(stateDir, 'model'),
    pausedMarker: path.join(stateDir, 'paused'),
    sessionMarker: path.join(stateDir, 'session-started'),
  };
}

/**
 * The hive's own MCP tools never ask, so they are allowed in the work dir's
 * project settings (kept if present). Nothing else is: every other tool that
 * needs permission goes through the permission prompt (the hive's rules,
 * then the operator), so rules are how an operator pre-allows tools.
 */
export function allowHiveTools(workDir: string): void {
  const file = path.join(workDir, '.claude', 'settings.json');
  if (fs.existsSync(file)) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ permissions: { allow: [`mcp__${MCP_SERVER_NAME}`] } }, null, 2) + '\n');
  } catch {
    // best-effort: without it claude asks through the permission prompt, and the core allows the hive's tools at once
  }
}

/** The persisted model, or null when none was chosen. */
export function readPersistedModel(file: string): string | null {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    return text.length > 0 ? text : null;
  } catch {
    return null;
  }
}

/** Create `file` empty unless it exists; best-effort. */
export function touch(file: string): void {
  try {
    if (!fs.existsSync(file)) fs.writeFileSync(file, '');
  } catch {
    // best-effort: without it the next turn simply starts a new session
  }
}

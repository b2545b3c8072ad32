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

/**
 * The model chosen by `set_model`, or null when none was chosen or when the
 * agent's configured model changed since (an approved config change wins
 * over an earlier choice). An older plain-text file holds only the model.
 */
export function readPersistedModel(file: string, configured: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
  if (text.length === 0) return null;
  if (!text.startsWith('{')) return text;
  try {
    const saved = JSON.parse(text) as { model?: unknown; configured?: unknown };
    if (typeof saved.model !== 'string' || saved.model === '') return null;
    return saved.configured === configured ? saved.model : null;
  } catch {
    return null;
  }
}

/** What the model file holds: the chosen model, and the configured one it was chosen over. */
export function persistedModelText(model: string, configured: string): string {
  return JSON.stringify({ model, configured }) + '\n';
}

/**
 * Place the approved standing instructions in the work dir as `CLAUDE.md`
 * (claude reads it from there), whole or not at all; an approved config
 * without them removes the file. Returns a problem sentence, or null.
 */
export function placeInstructions(workDir: string, source: string): string | null {
  const target = path.join(workDir, 'CLAUDE.md');
  let text: string | null;
  try {
    text = fs.readFileSync(source, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return `cannot read the approved CLAUDE.md at ${source}: ${(err as Error).message}`;
    text = null;
  }
  try {
    if (text === null) {
      fs.rmSync(target, { force: true });
      return null;
    }
    const temp = `${target}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temp, text);
      fs.renameSync(temp, target);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  } catch (err) {
    return `cannot place CLAUDE.md in ${workDir}: ${(err as Error).message}`;
  }
  return null;
}

/**
 * Why the agent's command cannot be started, or null when it can: its
 * program (a path, relative to the work dir, or a name found on PATH) must
 * be an executable file.
 */
export function commandProblem(command: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string | null {
  const program = command[0];
  if (!program) return 'the agent command is empty';
  const runnable = (file: string) => {
    try {
      if (!fs.statSync(file).isFile()) return false;
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (program.includes('/')) {
    return runnable(path.resolve(cwd, program)) ? null : `cannot run ${JSON.stringify(program)}: no executable file there`;
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return dirs.some((dir) => runnable(path.join(dir, program))) ? null : `cannot run ${JSON.stringify(program)}: not found on PATH`;
}

/** Create `file` empty unless it exists; best-effort. */
export function touch(file: string): void {
  try {
    if (!fs.existsSync(file)) fs.writeFileSync(file, '');
  } catch {
    // best-effort: without it the next turn simply starts a new session
  }
}

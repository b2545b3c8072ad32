/**
 * The agents the hive knows: those of the config file and those created by an
 * approved spawn, stored in the `agents` table, with what each reported of
 * itself (status text, active model) and its pause marker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { agentNameProblem, PauseReason, type AgentConfig, type HiveConfig } from '../protocol/index.js';
import type { AgentDirectory, KnownAgent, StatusChanged, UnitOfWork } from './ports.js';
import { ensurePrivateDir, writeFileAtomic } from './disk/index.js';
import { nowRfc3339, nowUnix, refuse, type Refusal } from './refusal.js';

/** One agent the hive knows. */
export interface AgentRecord extends KnownAgent {
  source: 'config' | 'spawn';
  statusText?: string;
  statusSetAt?: string;
  activeModel?: string;
  deployedSha?: string;
}

type AgentRow = {
  name: string;
  config_json: string;
  source: 'config' | 'spawn';
  status_text: string | null;
  status_set_at: string | null;
  active_model: string | null;
  deployed_sha: string | null;
};

export class AgentRegistry implements AgentDirectory {
  private readonly records = new Map<string, AgentRecord>();
  /** Paused agents and why (the marker file's content). */
  private readonly paused = new Map<string, PauseReason>();

  constructor(
    private readonly work: UnitOfWork,
    private readonly config: HiveConfig,
    private readonly stateDir: string,
    private readonly statusChanged: StatusChanged,
  ) {
    this.load();
  }

  /** Sync the table with the config file, then read every agent that is not removed. */
  private load(): void {
    const db = this.work.db;
    const now = nowUnix();
    this.work.commit(() => {
      const upsert = db.prepare(
        `INSERT INTO agents (name, config_json, source, created_at) VALUES (?, ?, 'config', ?)
         ON CONFLICT(name) DO UPDATE SET config_json = excluded.config_json, source = 'config', removed_at = NULL`,
      );
      for (const [name, agentConfig] of Object.entries(this.config.agents)) upsert.run(name, JSON.stringify(agentConfig), now);
      // Agents that left the config file are gone; spawned ones stay.
      const names = Object.keys(this.config.agents);
      const stale = db.prepare("SELECT name FROM agents WHERE source = 'config' AND removed_at IS NULL").all() as { name: string }[];
      for (const { name } of stale) if (!names.includes(name)) db.prepare('UPDATE agents SET removed_at = ? WHERE name = ?').run(now, name);
    });
    for (const row of db.prepare('SELECT * FROM agents WHERE removed_at IS NULL ORDER BY name').all() as AgentRow[]) {
      const record: AgentRecord = { name: row.name, config: JSON.parse(row.config_json) as AgentConfig, source: row.source };
      if (row.status_text !== null && row.status_set_at !== null) {
        record.statusText = row.status_text;
        record.statusSetAt = row.status_set_at;
      }
      if (row.active_model) record.activeModel = row.active_model;
      if (row.deployed_sha) record.deployedSha = row.deployed_sha;
      this.records.set(row.name, record);
      const reason = readPauseMarker(this.pauseMarker(row.name));
      if (reason) this.paused.set(row.name, reason);
    }
  }

  get manager(): string | null {
    return this.config.manager;
  }

  agent(name: string): AgentRecord | undefined {
    return this.records.get(name);
  }

  agentNames(): string[] {
    return [...this.records.keys()].sort();
  }

  /** A refusal for an unknown or invalid agent name, or null when `name` is an agent. */
  check(name: string): Refusal | null {
    const problem = agentNameProblem(name);
    if (problem) return refuse('bad_request', problem);
    if (!this.records.has(name)) return refuse('not_found', `no agent named ${JSON.stringify(name)}`);
    return null;
  }

  isManager(name: string): boolean {
    return this.config.manager === name;
  }

  agentStateDir(name: string): string {
    return path.join(this.stateDir, 'agents', name);
  }

  /** The model the harness runs now, else the configured one, else the template's. */
  modelOf(name: string): string {
    const record = this.records.get(name);
    return record?.activeModel ?? record?.config.model ?? this.config.agent_template.model;
  }

  /** Store an agent created by an approved spawn (inside the caller's transaction). */
  addSpawned(name: string, config: AgentConfig): void {
    this.work.db
      .prepare(
        `INSERT INTO agents (name, config_json, source, created_at) VALUES (?, ?, 'spawn', ?)
         ON CONFLICT(name) DO UPDATE SET config_json = excluded.config_json, source = 'spawn', removed_at = NULL,
           status_text = NULL, status_set_at = NULL, active_model = NULL`,
      )
      .run(name, JSON.stringify(config), nowUnix());
    this.records.set(name, { name, config, source: 'spawn' });
  }

  /** Mark an agent removed (inside the caller's transaction); its row stays for history. */
  remove(name: string): void {
    this.work.db.prepare('UPDATE agents SET removed_at = ? WHERE name = ?').run(nowUnix(), name);
    this.records.delete(name);
  }

  setStatusText(name: string, text: string): void {
    const record = this.records.get(name)!;
    const at = nowRfc3339();
    this.work.commit(() => {
      this.work.db.prepare('UPDATE agents SET status_text = ?, status_set_at = ? WHERE name = ?').run(text, at, name);
      record.statusText = text;
      record.statusSetAt = at;
      this.statusChanged(name);
    });
  }

  setActiveModel(name: string, model: string): void {
    const record = this.records.get(name);
    if (!record || record.activeModel === model) return;
    record.activeModel = model;
    this.work.db.prepare('UPDATE agents SET active_model = ? WHERE name = ?').run(model, name);
  }

  isPaused(name: string): boolean {
    return this.paused.has(name);
  }

  /** Why `name` is paused, or undefined when it is not. */
  pauseReason(name: string): PauseReason | undefined {
    return this.paused.get(name);
  }

  /**
   * Write or remove the pause marker, whose content is the reason (the
   * truth, so it works on a stopped agent): written whole or not at all,
   * never through a link. True when paused-or-not changed; a refusal naming
   * the path and the cause when the disk said no.
   */
  setPauseMarker(name: string, reason: PauseReason | null): boolean | Refusal {
    const marker = this.pauseMarker(name);
    try {
      ensurePrivateDir(path.dirname(marker), 0o750);
      if (reason) writeFileAtomic(marker, `${JSON.stringify(reason)}\n`);
      else fs.rmSync(marker, { force: true });
    } catch (err) {
      return refuse('unavailable', `cannot ${reason ? 'pause' : 'resume'} ${name}: ${(err as Error).message}`);
    }
    const changed = (reason !== null) !== this.paused.has(name);
    if (reason) this.paused.set(name, reason);
    else this.paused.delete(name);
    return changed;
  }

  private pauseMarker(name: string): string {
    return path.join(this.agentStateDir(name), 'paused');
  }
}

/**
 * The reason in a pause marker, or undefined when there is none. A marker
 * written before reasons were kept (`paused at … by …`), or one that cannot
 * be read as a reason, stands for an operator's pause.
 */
function readPauseMarker(file: string): PauseReason | undefined {
  let text: string;
  let since: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    since = Math.floor(fs.statSync(file).mtimeMs / 1000);
  } catch {
    return undefined;
  }
  try {
    const parsed = PauseReason.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // an older marker's text
  }
  const by = / by (.+)$/.exec(text.trim())?.[1];
  return { kind: 'operator', text: by ? `paused by ${by}` : 'paused by the operator', since, ...(by && { by }) };
}

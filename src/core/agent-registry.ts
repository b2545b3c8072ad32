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
  /** The config it runs (its deployed `agent.json`; another while an approved change is tried). */
  config: AgentConfig;
  source: 'config' | 'spawn';
  statusText?: string;
  statusSetAt?: string;
  activeModel?: string;
  deployedSha?: string;
}

/** A kept agent as the registry stores it. */
export interface KeptAgentRow {
  name: string;
  destroyedAt: number;
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
  /** Agents whose config file entry differs from the config they run (their approved one). */
  readonly configDrift: string[] = [];

  constructor(
    private readonly work: UnitOfWork,
    private readonly config: HiveConfig,
    private readonly stateDir: string,
    private readonly statusChanged: StatusChanged,
  ) {
    this.load();
  }

  /**
   * Sync the table with the config file, then read every agent that is not
   * removed. A config file entry only seeds an agent: once it has a deployed
   * config (its applied repo), that is what runs, and a differing entry is
   * noted in `configDrift`.
   */
  private load(): void {
    const db = this.work.db;
    const now = nowUnix();
    this.work.commit(() => {
      const upsert = db.prepare(
        `INSERT INTO agents (name, config_json, source, created_at) VALUES (?, ?, 'config', ?)
         ON CONFLICT(name) DO UPDATE SET config_json = CASE WHEN deployed_sha IS NULL THEN excluded.config_json ELSE config_json END,
           source = 'config', removed_at = NULL`,
      );
      const deployed = db.prepare('SELECT config_json FROM agents WHERE name = ? AND deployed_sha IS NOT NULL');
      for (const [name, agentConfig] of Object.entries(this.config.agents)) {
        const json = JSON.stringify(agentConfig);
        const row = deployed.get(name) as { config_json: string } | undefined;
        if (row && !sameConfig(row.config_json, json)) this.configDrift.push(name);
        upsert.run(name, json, now);
      }
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

  /**
   * Store an agent created by an approved spawn (inside the caller's
   * transaction). A revival keeps the kept agent's deployed commit; a new
   * agent starts with none (its repos are made next).
   */
  addSpawned(name: string, config: AgentConfig, revival = false): void {
    this.work.db
      .prepare(
        `INSERT INTO agents (name, config_json, source, created_at) VALUES (?, ?, 'spawn', ?)
         ON CONFLICT(name) DO UPDATE SET config_json = excluded.config_json, source = 'spawn', removed_at = NULL,
           status_text = NULL, status_set_at = NULL, active_model = NULL${revival ? '' : ', deployed_sha = NULL'}`,
      )
      .run(name, JSON.stringify(config), nowUnix());
    const row = this.work.db.prepare('SELECT deployed_sha FROM agents WHERE name = ?').get(name) as { deployed_sha: string | null };
    this.records.set(name, { name, config, source: 'spawn', ...(row.deployed_sha ? { deployedSha: row.deployed_sha } : {}) });
  }

  /**
   * The config `name` runs from now on: its deployed commit and that
   * commit's `agent.json` (inside the caller's transaction).
   */
  setDeployed(name: string, sha: string, config: AgentConfig): void {
    this.work.db.prepare('UPDATE agents SET deployed_sha = ?, config_json = ? WHERE name = ?').run(sha, JSON.stringify(config), name);
    const record = this.records.get(name);
    if (record) Object.assign(record, { deployedSha: sha, config });
  }

  /**
   * The config the backend starts `name` with while an approved change is
   * tried (not stored: the deployed config stays the truth until it is
   * recorded with `setDeployed`).
   */
  setRunningConfig(name: string, config: AgentConfig): void {
    const record = this.records.get(name);
    if (record) record.config = config;
  }

  /** The config stored for `name` (its deployed one), live or kept. */
  storedConfig(name: string): AgentConfig | undefined {
    const row = this.work.db.prepare('SELECT config_json FROM agents WHERE name = ?').get(name) as { config_json: string } | undefined;
    return row ? (JSON.parse(row.config_json) as AgentConfig) : undefined;
  }

  /** Agents destroyed without purge (or gone from the config file) whose state is still on disk, newest first. */
  kept(): KeptAgentRow[] {
    const rows = this.work.db
      .prepare('SELECT name, removed_at, deployed_sha FROM agents WHERE removed_at IS NOT NULL ORDER BY removed_at DESC, name')
      .all() as { name: string; removed_at: number; deployed_sha: string | null }[];
    return rows
      .filter((r) => !this.records.has(r.name) && (fs.existsSync(this.agentStateDir(r.name)) || fs.existsSync(path.join(this.stateDir, 'applied', r.name))))
      .map((r) => ({ name: r.name, destroyedAt: r.removed_at, ...(r.deployed_sha ? { deployedSha: r.deployed_sha } : {}) }));
  }

  /** Forget a kept agent for good (purge; inside the caller's transaction). */
  deleteKept(name: string): void {
    this.work.db.prepare('DELETE FROM agents WHERE name = ? AND removed_at IS NOT NULL').run(name);
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

/** Two stored configs are the same when they say the same thing (key order aside). */
function sameConfig(a: string, b: string): boolean {
  const canonical = (json: string) => JSON.stringify(sortKeys(JSON.parse(json)));
  return canonical(a) === canonical(b);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  return value;
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

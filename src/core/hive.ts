/**
 * The hive: the core's state and every operation on it. One sqlite writer;
 * a state change and its dashboard events commit in one transaction and are
 * broadcast after the commit. Sockets are a thin shell around this class.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './store/database.js';
import { DashboardChannel } from './events/dashboard-channel.js';
import { AgentEventLog } from './events/agent-event-log.js';
import { Broker } from './broker.js';
import { Questions } from './questions.js';
import { Approvals } from './approvals.js';
import { Reminders } from './reminders.js';
import { deriveStatusRow, idleRuntime, type AgentRuntime } from './status.js';
import { nowRfc3339, nowUnix, refuse, type Refusal } from './refusal.js';
import type { LifecycleBackend, LifecycleHost } from './lifecycle/backend.js';
import {
  agentNameProblem,
  agentSocketPath,
  type AgentConfig,
  type AgentStatusRow,
  type ControlMessage,
  type HiveConfig,
  type LastTurn,
  type LiveEventInput,
  type StateSnapshot,
  type TransientEntry,
  type TransientKind,
  type TurnStat,
  type TurnStatInput,
  type OperatorControlAction,
} from '../protocol/index.js';
import type { z } from 'zod';

/** One agent the hive knows. */
export interface AgentRecord {
  name: string;
  config: AgentConfig;
  source: 'config' | 'spawn';
  statusText?: string;
  statusSetAt?: string;
  activeModel?: string;
  deployedSha?: string;
}

/** A harness's `control` subscription, as the hive sees it. */
export interface ControlChannel {
  send(message: ControlMessage): void;
  close(): void;
}

/** Opens and closes per-agent sockets (the server layer provides it). */
export interface AgentSocketRegistry {
  open(name: string): Promise<void>;
  close(name: string): Promise<void>;
}

export interface HiveOptions {
  db: Db;
  config: HiveConfig;
  stateDir: string;
  runtimeDir: string;
  agentEntry: string;
  makeBackend: (host: LifecycleHost) => LifecycleBackend;
  log?: (message: string) => void;
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

export class Hive {
  readonly db: Db;
  readonly config: HiveConfig;
  readonly stateDir: string;
  readonly runtimeDir: string;
  readonly dashboard: DashboardChannel;
  readonly agentEvents: AgentEventLog;
  readonly broker: Broker;
  readonly questions: Questions;
  readonly approvals: Approvals;
  readonly reminders: Reminders;
  readonly backend: LifecycleBackend;
  readonly log: (message: string) => void;
  sockets: AgentSocketRegistry = { open: async () => {}, close: async () => {} };
  /** Called with each agent_status row as it changes (subscribe_agent_status). */
  readonly statusListeners = new Set<(row: AgentStatusRow) => void>();

  private readonly agents = new Map<string, AgentRecord>();
  private readonly runtime = new Map<string, AgentRuntime>();
  private readonly statusRows = new Map<string, AgentStatusRow>();
  private readonly statusJson = new Map<string, string>();
  private readonly transients = new Map<string, TransientEntry>();
  private readonly paused = new Set<string>();
  private readonly controls = new Map<string, ControlChannel>();
  private readonly lastTurns = new Map<string, LastTurn>();
  /** The serialized `agent_status` answer, rebuilt only after a row changed. */
  private agentStatusAnswer: Buffer | null = null;
  private commitDepth = 0;
  private afterCommitQueue: (() => void)[] = [];
  private closing = false;

  constructor(options: HiveOptions) {
    this.db = options.db;
    this.config = options.config;
    this.stateDir = options.stateDir;
    this.runtimeDir = options.runtimeDir;
    this.log = options.log ?? ((m) => process.stderr.write(`hyperhive-core: ${m}\n`));
    this.dashboard = new DashboardChannel(this.db);
    this.agentEvents = new AgentEventLog(this.db);
    this.broker = new Broker(this);
    this.questions = new Questions(this);
    this.approvals = new Approvals(this);
    this.reminders = new Reminders(this);
    const hive = this;
    this.backend = options.makeBackend({
      config: options.config,
      stateDir: options.stateDir,
      runtimeDir: options.runtimeDir,
      agentEntry: options.agentEntry,
      agentConfig: (name) => hive.agents.get(name)?.config,
      agentSocketPath: (name) => agentSocketPath(options.runtimeDir, name),
      agentStateDir: (name) => hive.agentStateDir(name),
      controlConnected: (name) => hive.controls.has(name),
      sendControl: (name, message) => hive.sendControl(name, message),
      statusChanged: (name) => hive.refreshStatus(name),
      agentStarted: (name, reason) => hive.broker.sendHelper(name, { event: 'restarted', reason }),
      log: (message) => hive.log(message),
    });
    this.approvals.onApprove('spawn', (approval) => this.applySpawn(approval.agent));
    this.loadAgents();
  }

  // ------------------------------------------------------------ transactions

  /** Run `fn` in one transaction; its dashboard events are broadcast after the outermost commit. */
  commit<T>(fn: () => T): T {
    if (this.commitDepth > 0) {
      this.commitDepth++;
      try {
        return this.db.transaction(fn)();
      } finally {
        this.commitDepth--;
      }
    }
    const startSeq = this.dashboard.currentSeq;
    this.commitDepth = 1;
    let result: T;
    try {
      result = this.db.transaction(fn)();
    } catch (err) {
      this.dashboard.rollback(startSeq);
      this.afterCommitQueue = [];
      throw err;
    } finally {
      this.commitDepth = 0;
    }
    this.dashboard.flush();
    const queued = this.afterCommitQueue;
    this.afterCommitQueue = [];
    for (const fn of queued) fn();
    return result;
  }

  /** Run `fn` once the current transaction commits (at once when there is none). */
  afterCommit(fn: () => void): void {
    if (this.commitDepth > 0) this.afterCommitQueue.push(fn);
    else fn();
  }

  audit(actor: string | undefined, action: string, target: string | null, detail?: unknown): void {
    this.db
      .prepare('INSERT INTO audit (at, actor, action, target, detail_json) VALUES (?, ?, ?, ?, ?)')
      .run(nowUnix(), actor ?? null, action, target, detail === undefined ? null : JSON.stringify(detail));
  }

  // ------------------------------------------------------------ agents

  private loadAgents(): void {
    const now = nowUnix();
    this.commit(() => {
      const upsert = this.db.prepare(
        `INSERT INTO agents (name, config_json, source, created_at) VALUES (?, ?, 'config', ?)
         ON CONFLICT(name) DO UPDATE SET config_json = excluded.config_json, source = 'config', removed_at = NULL`,
      );
      for (const [name, agentConfig] of Object.entries(this.config.agents)) upsert.run(name, JSON.stringify(agentConfig), now);
      // Agents that left the config file are gone; spawned ones stay.
      const names = Object.keys(this.config.agents);
      const stale = this.db.prepare("SELECT name FROM agents WHERE source = 'config' AND removed_at IS NULL").all() as { name: string }[];
      for (const { name } of stale) if (!names.includes(name)) this.db.prepare('UPDATE agents SET removed_at = ? WHERE name = ?').run(now, name);
    });
    for (const row of this.db.prepare('SELECT * FROM agents WHERE removed_at IS NULL ORDER BY name').all() as AgentRow[]) {
      const record: AgentRecord = { name: row.name, config: JSON.parse(row.config_json) as AgentConfig, source: row.source };
      if (row.status_text !== null && row.status_set_at !== null) {
        record.statusText = row.status_text;
        record.statusSetAt = row.status_set_at;
      }
      if (row.active_model) record.activeModel = row.active_model;
      if (row.deployed_sha) record.deployedSha = row.deployed_sha;
      this.agents.set(row.name, record);
      this.runtime.set(row.name, idleRuntime(nowUnix()));
      if (fs.existsSync(this.pauseMarker(row.name))) this.paused.add(row.name);
    }
    const lastTurn = this.db.prepare('SELECT row_json FROM turn_stats WHERE id IN (SELECT MAX(id) FROM turn_stats GROUP BY agent)');
    for (const { row_json } of lastTurn.all() as { row_json: string }[]) {
      const stat = JSON.parse(row_json) as TurnStat;
      this.lastTurns.set(stat.agent, toLastTurn(stat));
    }
    for (const name of this.agents.keys()) this.refreshStatus(name);
  }

  agent(name: string): AgentRecord | undefined {
    return this.agents.get(name);
  }

  agentNames(): string[] {
    return [...this.agents.keys()].sort();
  }

  agentStateDir(name: string): string {
    return path.join(this.stateDir, 'agents', name);
  }

  private pauseMarker(name: string): string {
    return path.join(this.agentStateDir(name), 'paused');
  }

  modelOf(name: string): string {
    const record = this.agents.get(name);
    return record?.activeModel ?? record?.config.model ?? this.config.agent_template.model;
  }

  isManager(name: string): boolean {
    return this.config.manager === name;
  }

  /** A refusal for an unknown or invalid agent name, or null when `name` is an agent. */
  checkAgent(name: string): Refusal | null {
    const problem = agentNameProblem(name);
    if (problem) return refuse('bad_request', problem);
    if (!this.agents.has(name)) return refuse('not_found', `no agent named ${JSON.stringify(name)}`);
    return null;
  }

  // ------------------------------------------------------------ status

  /** Recompute `name`'s roster row; emit `agent_status` when it changed. */
  refreshStatus(name: string): void {
    if (this.closing) return;
    const record = this.agents.get(name);
    if (!record) return;
    const backendStatus = this.backend.status(name);
    const row = deriveStatusRow({
      name,
      parent: record.config.parent,
      running: backendStatus.running,
      failed: backendStatus.failed,
      paused: this.paused.has(name),
      model: this.modelOf(name),
      deployedSha: record.deployedSha,
      statusText: record.statusText,
      statusSetAt: record.statusSetAt,
      unread: this.broker.unread(name),
      pendingReminders: this.reminders.pendingCount(name),
      lastTurn: this.lastTurns.get(name),
      transient: this.transients.get(name)?.kind,
      runtime: this.runtime.get(name) ?? idleRuntime(nowUnix()),
      stallHeartbeats: this.config.stall_heartbeats,
    });
    const json = JSON.stringify(row);
    if (this.statusJson.get(name) === json) return;
    this.statusJson.set(name, json);
    this.statusRows.set(name, row);
    this.agentStatusAnswer = null;
    this.commit(() => {
      this.dashboard.append('agent_status', { row });
      // Like the dashboard event, the status stream only hears of the row once it is committed.
      this.afterCommit(() => {
        for (const listener of this.statusListeners) listener(row);
      });
    });
  }

  /** The whole `agent_status` response line, encoded once and reused until a row changes. */
  agentStatusResponse(): Buffer {
    this.agentStatusAnswer ??= Buffer.from(
      `{"version":1,"ok":true,"agent_statuses":[${this.agentNames().map((n) => this.statusJson.get(n)).filter(Boolean).join(',')}]}\n`,
    );
    return this.agentStatusAnswer;
  }

  statusRowsList(): AgentStatusRow[] {
    return this.agentNames().map((n) => this.statusRows.get(n)!).filter(Boolean);
  }

  /** The dashboard snapshot, cut at the current seq. */
  snapshot(): StateSnapshot {
    return {
      seq: this.dashboard.currentSeq,
      agents: this.statusRowsList(),
      approvals: this.approvals.list(),
      questions: this.questions.list(),
      transients: Object.fromEntries(this.transients),
      operator_inbox: this.broker.unreadOperatorMessages(500),
    };
  }

  // ------------------------------------------------------------ control channel

  /** A harness subscribed to control: it is now this agent's session. Returns the detach function. */
  attachControl(name: string, channel: ControlChannel): () => void {
    const previous = this.controls.get(name);
    if (previous) previous.close();
    this.controls.set(name, channel);
    this.runtime.set(name, idleRuntime(nowUnix()));
    this.broker.newSession(name);
    this.refreshStatus(name);
    return () => {
      if (this.controls.get(name) !== channel) return;
      this.controls.delete(name);
      const rt = this.runtime.get(name);
      if (rt) Object.assign(rt, idleRuntime(nowUnix()), { contextTokens: rt.contextTokens });
      this.refreshStatus(name);
    };
  }

  isPaused(name: string): boolean {
    return this.paused.has(name);
  }

  controlConnected(name: string): boolean {
    return this.controls.has(name);
  }

  sendControl(name: string, message: ControlMessage): boolean {
    const channel = this.controls.get(name);
    if (!channel) return false;
    channel.send(message);
    return true;
  }

  // ------------------------------------------------------------ agent reports

  /** Persist and stream a batch of live events, and fold them into the agent's runtime state. */
  ingestEvents(name: string, events: readonly LiveEventInput[]): { first_seq: number; last_seq: number } {
    const batch = this.agentEvents.append(name, events);
    const rt = this.runtime.get(name);
    let changed = false;
    if (rt) {
      for (const ev of events) {
        switch (ev.kind) {
          case 'turn_state_changed':
            rt.turnState = ev.state;
            rt.turnStateSince = ev.since_unix;
            rt.stagnantHeartbeats = 0;
            changed = true;
            break;
          case 'token_usage_changed':
            if (ev.usage.context_tokens !== undefined && ev.usage.context_tokens !== rt.contextTokens) {
              rt.contextTokens = ev.usage.context_tokens;
              changed = true;
            }
            break;
          case 'heartbeat':
            if (ev.stagnant_heartbeats !== rt.stagnantHeartbeats) {
              rt.stagnantHeartbeats = ev.stagnant_heartbeats;
              changed = true;
            }
            break;
          case 'turn_end':
            rt.stagnantHeartbeats = 0;
            changed = true;
            break;
          case 'model_changed':
            this.setActiveModel(name, ev.model);
            changed = true;
            break;
          default:
            break;
        }
      }
    }
    if (changed) this.refreshStatus(name);
    return { first_seq: batch.firstSeq, last_seq: batch.lastSeq };
  }

  private setActiveModel(name: string, model: string): void {
    const record = this.agents.get(name);
    if (!record || record.activeModel === model) return;
    record.activeModel = model;
    this.db.prepare('UPDATE agents SET active_model = ? WHERE name = ?').run(model, name);
  }

  setStatusText(name: string, text: string): void {
    const record = this.agents.get(name)!;
    const at = nowRfc3339();
    this.commit(() => {
      this.db.prepare('UPDATE agents SET status_text = ?, status_set_at = ? WHERE name = ?').run(text, at, name);
      record.statusText = text;
      record.statusSetAt = at;
      this.refreshStatus(name);
    });
  }

  recordTurnStat(name: string, input: TurnStatInput): TurnStat {
    return this.commit(() => {
      const info = this.db.prepare('INSERT INTO turn_stats (agent, ended_at, row_json) VALUES (?, ?, ?)').run(name, input.ended_at, '{}');
      const stat: TurnStat = { id: Number(info.lastInsertRowid), agent: name, ...input };
      this.db.prepare('UPDATE turn_stats SET row_json = ? WHERE id = ?').run(JSON.stringify(stat), stat.id);
      this.dashboard.append('turn_stat', { stat });
      this.lastTurns.set(name, toLastTurn(stat));
      this.refreshStatus(name);
      return stat;
    });
  }

  turnStats(agent: string | undefined, limit: number, before: number | undefined): TurnStat[] {
    const clauses: string[] = [];
    const args: unknown[] = [];
    if (agent) {
      clauses.push('agent = ?');
      args.push(agent);
    }
    if (before !== undefined) {
      clauses.push('id < ?');
      args.push(before);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT row_json FROM turn_stats ${where} ORDER BY id DESC LIMIT ?`).all(...args, limit) as { row_json: string }[];
    return rows.map((r) => JSON.parse(r.row_json) as TurnStat);
  }

  // ------------------------------------------------------------ lifecycle

  /** Run a lifecycle action inside a transient that is cleared on every exit path. */
  async withTransient<T>(name: string, kind: TransientKind, action: () => Promise<T>): Promise<T> {
    const since = nowUnix();
    this.transients.set(name, { kind, since });
    this.commit(() => this.dashboard.append('transient_set', { name, transient: kind, since }));
    this.refreshStatus(name);
    try {
      return await action();
    } finally {
      if (this.transients.get(name)?.kind === kind) this.transients.delete(name);
      this.commit(() => this.dashboard.append('transient_cleared', { name, transient: kind }));
      this.refreshStatus(name);
    }
  }

  /** Resolve a lifecycle scope to agent names, refusing empty scopes and unknown names. */
  resolveScope(scope: { agent_names?: string[]; all?: boolean } | undefined): string[] | Refusal {
    if (scope?.all) return this.agentNames();
    const names = scope?.agent_names ?? [];
    if (names.length === 0) return refuse('bad_request', 'empty scope: name the agents in scope.agent_names, or say "all": true');
    for (const name of names) {
      const problem = this.checkAgent(name);
      if (problem) return problem;
    }
    return [...new Set(names)];
  }

  async start(names: string[], actor?: string): Promise<true | Refusal> {
    this.audit(actor, 'start', names.join(','));
    const errors: string[] = [];
    for (const name of names) {
      try {
        await this.withTransient(name, 'starting', () => this.backend.start(name));
      } catch (err) {
        errors.push(`${name}: ${(err as Error).message}`);
      }
    }
    return errors.length ? refuse('unavailable', errors.join('; ')) : true;
  }

  async stop(names: string[], graceful: boolean, actor?: string): Promise<true | Refusal> {
    this.audit(actor, 'stop', names.join(','), { graceful });
    const errors: string[] = [];
    await Promise.all(
      names.map(async (name) => {
        try {
          await this.withTransient(name, 'stopping', () => this.backend.stop(name, { graceful }));
        } catch (err) {
          errors.push(`${name}: ${(err as Error).message}`);
        }
      }),
    );
    return errors.length ? refuse('unavailable', errors.join('; ')) : true;
  }

  async restart(name: string, actor?: string): Promise<true | Refusal> {
    this.audit(actor, 'restart', name);
    try {
      await this.withTransient(name, 'restarting', () => this.backend.restart(name));
      return true;
    } catch (err) {
      return refuse('unavailable', `${name}: ${(err as Error).message}`);
    }
  }

  /** Pause or resume: the marker file is the truth (it works on a stopped agent), the harness is told. */
  setPaused(name: string, paused: boolean, actor?: string): void {
    const marker = this.pauseMarker(name);
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    if (paused) fs.writeFileSync(marker, `paused at ${nowRfc3339()} by ${actor ?? 'operator'}\n`);
    else fs.rmSync(marker, { force: true });
    const changed = paused !== this.paused.has(name);
    if (paused) this.paused.add(name);
    else this.paused.delete(name);
    if (changed) {
      this.commit(() => this.audit(actor, paused ? 'pause' : 'resume', name));
      this.sendControl(name, { action: paused ? 'pause' : 'resume' });
    }
    this.refreshStatus(name);
  }

  /** Operator control actions on a running agent's harness. */
  control(name: string, action: z.infer<typeof OperatorControlAction>, model: string | undefined, actor?: string): true | Refusal {
    if (action === 'set_model' && !model) return refuse('bad_request', 'set_model needs a "model"');
    if (!this.controls.has(name)) return refuse('unavailable', `${name} is not running (its harness is not connected)`);
    this.sendControl(name, model ? { action, model, ...(actor ? { actor } : {}) } : { action, ...(actor ? { actor } : {}) });
    this.commit(() => this.audit(actor, `control:${action}`, name, model ? { model } : undefined));
    return true;
  }

  /** Queue a spawn approval for a new agent `name`. */
  requestSpawn(name: string, description: string | undefined, requestedBy: string): number | Refusal {
    const problem = agentNameProblem(name);
    if (problem) return refuse('bad_request', problem);
    if (this.agents.has(name)) return refuse('conflict', `an agent named ${name} already exists`);
    const pending = this.approvals.pendingSpawn(name);
    if (pending) return refuse('conflict', `a spawn of ${name} is already waiting for approval (#${pending.id})`);
    return this.approvals.add({ agent: name, kind: 'spawn', description, requested_by: requestedBy });
  }

  /** Approving a spawn: create the agent from the template, open its socket, start it. */
  private async applySpawn(name: string): Promise<string | null> {
    if (this.agents.has(name)) return `an agent named ${name} already exists`;
    return this.withTransient(name, 'spawning', async () => {
      const config = this.config.agent_template;
      const record: AgentRecord = { name, config, source: 'spawn' };
      this.commit(() => {
        this.db
          .prepare(
            `INSERT INTO agents (name, config_json, source, created_at) VALUES (?, ?, 'spawn', ?)
             ON CONFLICT(name) DO UPDATE SET config_json = excluded.config_json, source = 'spawn', removed_at = NULL,
               status_text = NULL, status_set_at = NULL, active_model = NULL`,
          )
          .run(name, JSON.stringify(config), nowUnix());
        this.agents.set(name, record);
        this.runtime.set(name, idleRuntime(nowUnix()));
      });
      const stateDirExisted = fs.existsSync(this.agentStateDir(name));
      fs.mkdirSync(this.agentStateDir(name), { recursive: true, mode: 0o750 });
      await this.sockets.open(name);
      try {
        await this.backend.create(name);
      } catch (err) {
        // No half-created agent: forget it again; a state dir kept from an earlier life stays.
        await this.sockets.close(name);
        this.forgetAgent(name);
        if (!stateDirExisted) fs.rmSync(this.agentStateDir(name), { recursive: true, force: true });
        return `could not create ${name}: ${(err as Error).message}`;
      }
      this.refreshStatus(name);
      try {
        await this.backend.start(name);
      } catch (err) {
        // Under the external backend nothing can be started here; the agent exists and waits for its harness.
        if (this.backend.kind !== 'external') return `created ${name} but could not start it: ${(err as Error).message}`;
      }
      return null;
    });
  }

  /** Remove an agent: stop it, close its socket, forget it; its state stays unless `purge`. */
  async destroy(name: string, purge: boolean, actor?: string): Promise<true | Refusal> {
    this.audit(actor, 'destroy', name, { purge });
    await this.withTransient(name, 'destroying', async () => {
      await this.backend.destroy(name, { purge });
      this.controls.get(name)?.close();
      await this.sockets.close(name);
      this.forgetAgent(name);
      if (purge) {
        this.agentEvents.purge(name);
        fs.rmSync(this.agentStateDir(name), { recursive: true, force: true });
      }
    });
    this.transients.delete(name);
    return true;
  }

  /** Mark `name` removed and drop it from every in-memory view. */
  private forgetAgent(name: string): void {
    this.commit(() => {
      this.db.prepare('UPDATE agents SET removed_at = ? WHERE name = ?').run(nowUnix(), name);
      this.agents.delete(name);
      this.statusRows.delete(name);
      this.statusJson.delete(name);
      this.agentStatusAnswer = null;
      this.runtime.delete(name);
      this.dashboard.append('agent_removed', { name });
    });
  }

  /**
   * Bring a running agent to its current config (an approved config change):
   * the backend's `update` when it has one, else a restart. Shown as `rebuilding`.
   */
  async update(name: string, actor?: string): Promise<true | Refusal> {
    this.audit(actor, 'update', name);
    const backend = this.backend;
    try {
      await this.withTransient(name, 'rebuilding', () => (backend.update ? backend.update(name) : backend.restart(name)));
      return true;
    } catch (err) {
      return refuse('unavailable', `${name}: ${(err as Error).message}`);
    }
  }

  /** Start every agent the backend should run (process backend at core start). */
  async startAll(): Promise<void> {
    for (const name of this.agentNames()) {
      await this.backend.create(name);
      if (this.backend.kind === 'external') continue;
      try {
        await this.withTransient(name, 'starting', () => this.backend.start(name));
      } catch (err) {
        this.log(`could not start ${name}: ${(err as Error).message}`);
      }
    }
  }

  /** Timers that run from the store (reminders, question deadlines) start here. */
  startTimers(): void {
    this.reminders.schedule();
    this.questions.schedule();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.reminders.stop();
    this.questions.stop();
    this.broker.wakeAll();
    await this.backend.close();
    for (const channel of this.controls.values()) channel.close();
    this.dashboard.close();
    this.agentEvents.close();
  }
}

function toLastTurn(stat: TurnStat): LastTurn {
  const last: LastTurn = { ended_at: Math.floor(stat.ended_at), duration_ms: stat.duration_ms, result_kind: stat.result_kind };
  if (stat.cost_usd !== undefined) last.cost_usd = stat.cost_usd;
  return last;
}

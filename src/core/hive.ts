/**
 * The hive: composes the core's parts over one store and runs their life
 * (harness sessions, live reports, timers, shutdown). Services get only the
 * ports they use (ports.ts); the sockets are a thin shell around this class.
 */
import os from 'node:os';
import path from 'node:path';
import type { Db } from './store/index.js';
import { AgentEventLog, DashboardChannel } from './events/index.js';
import { CONTAINER_PATHS, type LifecycleBackend, type LifecycleHost } from './lifecycle/index.js';
import { agentSocketPath, localTimeZone, type HiveConfig, type HiveInfo, type LiveEventInput, type StateSnapshot, type TurnStat, type TurnStatInput } from '../protocol/index.js';
import { nowUnix } from './refusal.js';
import type { AgentSocketRegistry, ServicePorts } from './ports.js';
import { StoreUnitOfWork } from './unit-of-work.js';
import { AgentRegistry } from './agent-registry.js';
import { StatusBoard, type StatusSources } from './status-board.js';
import { ControlChannels, type ControlChannel } from './control-channels.js';
import { AgentLifecycle } from './agent-lifecycle.js';
import { Broker } from './broker.js';
import { Questions } from './questions.js';
import { Approvals } from './approvals.js';
import { Reminders } from './reminders.js';
import { TurnStats } from './turn-stats.js';
import { Spawns } from './spawn.js';
import { ApplyCommits } from './apply-commits.js';
import { Tombstones } from './tombstones.js';
import { AgentRepos, ConfigRepos } from './config-repos/index.js';
import { agentPageUrl, needsUpdate } from './status.js';
import { buildSnapshot } from './snapshot.js';
import { StoreUpkeep } from './store-upkeep.js';
import { BudgetBook, SpendLedger } from './spend/index.js';
import { Holds } from './holds.js';
import { LoginSessions } from './login/index.js';
import { refuse } from './refusal.js';
import { RuleBook, ToolPermissions } from './permissions/index.js';
import { SearchService } from './search/index.js';
import { IncidentLog } from './incident-log.js';
import { Recaps } from './recap.js';
import { MessageFlow } from './message-flow.js';
import { Schedules } from './schedules/index.js';
import { systemClock, type Clock } from './clock.js';
import { ResourceSampler, type ResourcesAnswer } from './resources/index.js';

export interface HiveOptions {
  db: Db;
  config: HiveConfig;
  stateDir: string;
  runtimeDir: string;
  agentEntry: string;
  makeBackend: (host: LifecycleHost) => LifecycleBackend;
  /** The store's file: the search index's worker reads the events from it. */
  storeFile: string;
  /** Opens and closes the per-agent sockets (the daemon's server layer). */
  sockets: AgentSocketRegistry;
  /** The core's version, for the snapshot. */
  version?: string;
  log?: (message: string) => void;
  /** Milliseconds since the epoch: budget days and pause deadlines go by it (tests give their own). */
  nowMs?: () => number;
  /** Wall-clock time for what runs on a calendar (scheduled prompts); tests pass a clock they move. */
  clock?: Clock;
}

export class Hive {
  readonly config: HiveConfig;
  readonly dashboard: DashboardChannel;
  readonly agentEvents: AgentEventLog;
  readonly agents: AgentRegistry;
  readonly status: StatusBoard;
  readonly broker: Broker;
  readonly questions: Questions;
  readonly approvals: Approvals;
  readonly reminders: Reminders;
  readonly turnStats: TurnStats;
  readonly lifecycle: AgentLifecycle;
  readonly spawns: Spawns;
  readonly repos: ConfigRepos;
  readonly agentRepos: AgentRepos;
  readonly applyCommits: ApplyCommits;
  readonly tombstones: Tombstones;
  readonly holds: Holds;
  readonly logins: LoginSessions;
  readonly rules: RuleBook;
  readonly permissions: ToolPermissions;
  /** Full-text search over the agents' streams; null when its index could not be opened. */
  readonly search: SearchService | null;
  readonly recaps: Recaps;
  readonly messageFlow: MessageFlow;
  private readonly incidents: IncidentLog;
  readonly schedules: Schedules;
  private readonly resources: ResourceSampler;
  private readonly controls = new ControlChannels();
  private readonly upkeep: StoreUpkeep;
  private readonly backend: LifecycleBackend;
  /** The deployed commit each agent's current harness session started on (for `needs_update`). */
  private readonly runningSha = new Map<string, string>();
  private readonly info: HiveInfo;

  constructor(options: HiveOptions) {
    const { db, config, stateDir, runtimeDir, sockets } = options;
    this.config = config;
    this.info = { name: config.name, version: options.version ?? 'unknown', started_at: nowUnix(), models: [...config.models] };
    const log = options.log ?? ((m: string) => process.stderr.write(`hyperhive-core: ${m}\n`));
    const { retention } = config;
    const mib = (n: number) => Math.floor(n * 1024 * 1024);
    const days = (n: number) => Math.floor(n * 86_400);
    this.dashboard = new DashboardChannel(db, { maxEvents: retention.dashboard_events.max_events, maxBytes: mib(retention.dashboard_events.max_mib) });
    this.agentEvents = new AgentEventLog(db, {
      maxEvents: retention.agent_events.max_events,
      maxBytes: mib(retention.agent_events.max_mib),
      maxAgeSeconds: days(retention.agent_events.max_days),
    });
    this.search = SearchService.open(db, { storeFile: options.storeFile, indexFile: path.join(stateDir, 'search.sqlite') }, () => this.agentEvents.currentSeq, log);
    if (this.search) this.agentEvents.onChange = () => this.search!.notify();
    const work = new StoreUnitOfWork(db, this.dashboard);
    this.incidents = new IncidentLog(db, () => this.agentEvents.currentSeq);
    this.recaps = new Recaps(db, this.incidents);
    this.messageFlow = new MessageFlow(db);
    this.status = new StatusBoard(work, (name) => this.statusSources(name), (previous, row) => this.incidents.noteStatus(previous, row));
    const statusChanged = (name: string) => this.status.refresh(name);
    this.agents = new AgentRegistry(work, config, stateDir, statusChanged);
    this.broker = new Broker({ work, agents: this.agents, statusChanged }, {
      maxBytesPerInbox: mib(retention.messages.max_mib),
      maxAgeSeconds: days(retention.messages.max_days),
      unreadBytesPerSender: mib(retention.messages.unread_mib_per_sender),
    });
    this.upkeep = new StoreUpkeep(db, [() => this.agentEvents.sweep(), () => this.broker.ledger.sweep(), () => this.dashboard.prune(), () => this.incidents.prune()], log);
    const ports: ServicePorts = { work, agents: this.agents, statusChanged, mail: this.broker };
    this.questions = new Questions(ports);
    this.approvals = new Approvals(ports);
    this.reminders = new Reminders(ports);
    const clock = options.clock;
    const nowMs = options.nowMs ?? (clock ? () => clock.now() : Date.now);
    const ledger = new SpendLedger(db, config.budgets.timezone ?? localTimeZone(), nowMs);
    const book = new BudgetBook(work, config.budgets, log);
    this.turnStats = new TurnStats(ports, (stat) => this.holds.turnRecorded(stat));
    this.repos = new ConfigRepos(stateDir);
    this.agentRepos = new AgentRepos({ work, agents: this.agents, repos: this.repos, hiveName: config.name, log });
    for (const name of this.agents.configDrift) {
      log(`${name}: its entry in the config file differs from the config it runs (its approved agent.json); the approved config stays — change it through a proposal`);
    }
    const controls = this.controls;
    this.backend = options.makeBackend({
      config,
      stateDir,
      runtimeDir,
      agentEntry: options.agentEntry,
      agentConfig: (name) => this.agents.agent(name)?.config,
      agentSocketPath: (name) => agentSocketPath(runtimeDir, name),
      agentStateDir: (name) => this.agents.agentStateDir(name),
      controlConnected: (name) => controls.connected(name),
      controlGeneration: (name) => controls.generation(name),
      instructionsFile: (name) => this.agentRepos.instructionsFile(name),
      proposedRepoDir: (name) => this.repos.proposedDir(name),
      agentNames: () => this.agents.agentNames(),
      sendControl: (name, message) => controls.send(name, message),
      statusChanged,
      agentStarted: (name, reason) => {
        this.incidents.record(name, 'started', reason);
        this.broker.notify(name, { event: 'restarted', reason });
      },
      log,
    });
    this.rules = new RuleBook(work, this.agents);
    this.rules.syncConfig(config);
    this.permissions = new ToolPermissions({
      work,
      approvals: this.approvals,
      rules: this.rules,
      pathsOf: (name) => {
        // Rules read paths as claude sees them; the diff reads the file where the core sees it.
        const hostWorkDir = path.join(this.agents.agentStateDir(name), 'work');
        if (config.backend !== 'nixos-container') return { workDir: hostWorkDir, home: os.homedir(), hostWorkDir };
        return { workDir: path.join(CONTAINER_PATHS.state, 'work'), home: CONTAINER_PATHS.home, hostWorkDir };
      },
      note: (name, text, detail) => {
        if (this.agents.agent(name)) this.ingestEvents(name, [{ kind: 'note', text, ...detail }]);
      },
      timeoutSeconds: config.permission_timeout_seconds,
    });
    const parts = { work, agents: this.agents, status: this.status, controls, backend: this.backend, sockets };
    this.lifecycle = new AgentLifecycle({
      ...parts,
      agentEvents: this.agentEvents,
      models: config.models,
      log,
      interrupted: (name, why) => this.permissions.cancelWaiting(name, why),
    });
    const repoParts = { repos: this.repos, agentRepos: this.agentRepos };
    this.spawns = new Spawns({ ...parts, ...repoParts, config, approvals: this.approvals, lifecycle: this.lifecycle });
    this.applyCommits = new ApplyCommits({ ...parts, repos: this.repos, rules: this.rules, approvals: this.approvals, lifecycle: this.lifecycle, runsDeployed: (name) => this.runsDeployed(name) });
    this.tombstones = new Tombstones({ work, stateDir, agents: this.agents, approvals: this.approvals, lifecycle: this.lifecycle, agentEvents: this.agentEvents });
    this.holds = new Holds({ work, agents: this.agents, lifecycle: this.lifecycle, config, ledger, book, statusChanged, nowMs, log });
    const backend = this.backend;
    this.logins = new LoginSessions({
      work,
      command: (name) => {
        if (!backend.loginCommand) {
          return refuse('unavailable', `the ${backend.kind} backend runs ${name} elsewhere: log claude in where it runs (\`claude auth login\` with CLAUDE_CONFIG_DIR set to its state dir's claude folder)`);
        }
        try {
          return backend.loginCommand(name);
        } catch (err) {
          return refuse('unavailable', `cannot log ${name} in: ${(err as Error).message}`);
        }
      },
      succeeded: (name, actor) => this.holds.loginSucceeded(name, actor),
      nowMs,
      log,
    });
    this.schedules = new Schedules({ work, agents: this.agents, mail: this.broker, approvals: this.approvals, clock: options.clock ?? systemClock, log });
    this.resources = new ResourceSampler({
      enabled: this.backend.kind === 'process',
      sampleSeconds: config.resources.sample_seconds,
      agentNames: () => this.agents.agentNames(),
      harnessPid: (name) => this.backend.status(name).pid,
      log,
    });
    for (const name of this.agents.agentNames()) {
      this.status.resetRuntime(name);
      this.status.refresh(name);
    }
  }

  /** What an agent's roster row is made of, gathered from the part that owns each piece. */
  private statusSources(name: string): ReturnType<StatusSources> {
    const record = this.agents.agent(name);
    if (!record) return undefined;
    const backendStatus = this.backend.status(name);
    return {
      name,
      parent: record.config.parent,
      running: backendStatus.running,
      failed: backendStatus.failed,
      pauseReason: this.agents.pauseReason(name),
      model: this.agents.modelOf(name),
      deployedSha: record.deployedSha,
      needsUpdate: needsUpdate(backendStatus.running, record.deployedSha, this.runningSha.get(name)),
      statusText: record.statusText,
      statusSetAt: record.statusSetAt,
      unread: this.broker.unread(name),
      pendingReminders: this.reminders.pendingCount(name),
      lastTurn: this.turnStats.lastTurn(name),
      transient: this.lifecycle.transient(name),
      stallHeartbeats: this.config.stall_heartbeats,
      url: agentPageUrl(this.config.domain, name),
      // The rows are first derived while the hive is still being composed.
      ...(this.holds && { spend: this.holds.agentSpend(name) }),
    };
  }

  agentNames(): string[] {
    return this.agents.agentNames();
  }

  /** The dashboard snapshot, cut at the current seq, its lists bounded to fit one line. */
  snapshot(): StateSnapshot {
    return buildSnapshot({
      seq: this.dashboard.currentSeq,
      agents: this.status.list(),
      transients: this.lifecycle.transientsByAgent(),
      approvals: (bytes) => this.approvals.list(bytes),
      questions: (bytes) => this.questions.list(bytes),
      unreadOperatorMessages: (bytes) => this.broker.operatorInbox(undefined, 500, true, bytes),
      approvalsPending: () => this.approvals.pendingCount(),
      questionsOpen: () => this.questions.openCount(),
      operatorUnread: () => this.broker.unreadOperatorCount(),
      spend: this.holds.hiveSpend(),
      hive: this.info,
      today: this.turnStats.today(),
    });
  }

  /**
   * A harness subscribed to control: it is now this agent's session. Returns
   * the detach function, or null while another harness holds the session.
   */
  attachControl(name: string, channel: ControlChannel): (() => void) | null {
    if (!this.controls.attach(name, channel)) return null;
    this.runsDeployed(name, false);
    this.status.resetRuntime(name);
    this.broker.newSession(name);
    this.status.refresh(name);
    return () => {
      if (!this.controls.detach(name, channel)) return;
      this.permissions.cancelWaiting(name, "the agent's harness went away");
      this.status.sessionEnded(name);
      this.status.refresh(name);
    };
  }

  /** Store a harness's stats row, then the pauses it calls for; says whether the agent is now paused (the harness then waits). */
  recordTurn(name: string, row: TurnStatInput): { id: number; paused: boolean } {
    this.holds.tick();
    const stat = this.recordTurnStat(name, row);
    this.holds.afterTurn(stat);
    return { id: stat.id, paused: this.agents.isPaused(name) };
  }

  /** Persist and stream a batch of live events, and fold them into the agent's roster row. */
  ingestEvents(name: string, events: readonly LiveEventInput[]): { first_seq: number; last_seq: number } {
    const batch = this.agentEvents.append(name, events);
    for (const ev of events) {
      if (ev.kind === 'turn_start') this.resources.turnStarted(name);
      else if (ev.kind === 'turn_end') this.resources.turnEnded(name);
    }
    const folded = this.status.fold(name, events);
    if (folded?.model !== undefined) this.agents.setActiveModel(name, folded.model);
    if (folded?.changed) this.status.refresh(name);
    return { first_seq: batch.firstSeq, last_seq: batch.lastSeq };
  }

  /** Where the manager finds `agent`'s proposed config repo (as its harness sees the filesystem), and what it holds. */
  configRepoFor(agent: string): Record<string, unknown> {
    const path = this.backend.proposedRepoPath?.(agent) ?? this.repos.proposedDir(agent);
    const deployed = this.agents.agent(agent)?.deployedSha;
    return {
      agent,
      path,
      ...(deployed ? { deployed_sha: deployed } : {}),
      how: `Edit agent.json or CLAUDE.md in ${path}, commit there (git -C ${path} commit -am "…"), then call request_apply_commit with {"agent":"${agent}","commit_ref":<the commit id>} — it runs once the operator approves.`,
    };
  }

  /** `name`'s harness session runs its deployed commit. */
  private runsDeployed(name: string, refresh = true): void {
    const sha = this.agents.agent(name)?.deployedSha;
    if (sha) this.runningSha.set(name, sha);
    else this.runningSha.delete(name);
    if (refresh) this.status.refresh(name);
  }

  /** Give every agent its config repos, on its deployed commit (at start, after interrupted approvals are mended). */
  async prepareConfigRepos(): Promise<void> {
    await this.agentRepos.prepareAll();
    for (const name of this.agents.agentNames()) this.status.refresh(name);
  }

  /** Store a harness's stats row with the peaks the core sampled during that turn. */
  recordTurnStat(name: string, row: TurnStatInput): TurnStat {
    return this.turnStats.record(name, row, this.resources.finishTurn(name));
  }

  /** Every running agent's latest resource sample (the `resources` verb). */
  resourcesAnswer(): ResourcesAnswer {
    return this.resources.answer();
  }

  /** Finish or roll back approvals a crash left half-applied (at start, before any agent starts). */
  async recoverInterruptedApprovals(log: (message: string) => void): Promise<void> {
    for (const outcome of await this.approvals.recoverInterrupted()) {
      log(`approval #${outcome.id} was being applied when the core stopped: ${outcome.status}${outcome.note ? ` (${outcome.note})` : ''}`);
    }
    const leftovers = this.permissions.cancelLeftovers();
    if (leftovers) log(`cancelled ${leftovers} tool approval${leftovers > 1 ? 's' : ''} whose requests ended with the previous core`);
  }

  /** Timers that run from the store (reminders, question deadlines) start here. */
  startTimers(): void {
    this.reminders.schedule();
    this.questions.schedule();
    this.holds.start();
    this.rules.schedule();
    this.schedules.start();
    this.resources.start();
    this.upkeep.start();
    this.search?.start();
  }

  async close(): Promise<void> {
    this.upkeep.stop();
    this.holds.stop();
    this.logins.closeAll();
    this.status.close();
    this.reminders.stop();
    this.questions.stop();
    this.rules.stop();
    this.permissions.close();
    this.schedules.stop();
    this.resources.stop();
    // Stop the agents first: a harness woken while it still runs only asks again and waits anew.
    await this.backend.close();
    this.broker.wakeAll();
    this.controls.closeAll();
    this.dashboard.close();
    this.agentEvents.close();
    await this.search?.close();
  }
}

/**
 * The harness turn loop: wait while paused, long-poll the inbox, run one turn
 * per message, emit live events, record the stats row, ack (see
 * docs/architecture.md). Controls arrive on the `control` subscription and take
 * effect between (or, for cancel, during) turns. This file composes the
 * pieces: `TurnRunner` runs a turn, `TurnControls` holds what the controls
 * asked for, `LiveEvents` feeds the sinks.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ControlMessage, InboxMessage } from '../protocol/index.js';
import { AgentLink } from './agent-link.js';
import { AgentStore } from './agent-store.js';
import { LiveEvents } from './live-events.js';
import { writeMcpConfig } from './mcp-config.js';
import type { EventSink } from './sinks/sink.js';
import { allowHiveTools, commandProblem, persistedModelText, placeInstructions, prepareStateDir, readPersistedModel, type StatePaths } from './state-files.js';
import { EXIT_CANNOT_RUN, keepControlSubscribed, TurnControls, WOKEN } from './turn-controls.js';
import { TurnRunner } from './turn-runner.js';

export { EXIT_RESTART } from './turn-controls.js';

/** After a held turn the core did not pause for, the first wait before trying again; doubling to the max. */
const HOLD_BACKOFF_FIRST_MS = 30_000;
const HOLD_BACKOFF_MAX_MS = 15 * 60_000;

/** How the harness is set up (from the command line). */
export interface HarnessOptions {
  name: string;
  socketPath: string;
  stateDir: string;
  model: string;
  command: string[];
  manager: boolean;
  /** Absolute path of hyperhive-agent's main.js (the MCP server entry). */
  agentEntry: string;
  jsonlPath?: string;
  jsonlMaxBytes?: number;
  /** The agent's approved CLAUDE.md, placed in its work dir at start (absent there: the work dir's is removed). */
  instructionsFile?: string;
  /** MCP servers from the agent config, offered beside the hive's own. */
  extraMcpServers?: Record<string, unknown>;
  heartbeatMs?: number;
  recvWaitMs?: number;
  cancelGraceMs?: number;
  historyCap?: number;
  /** Environment for the command (defaults to the harness's own). */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Extra sinks (tests, benchmarks). */
  extraSinks?: EventSink[];
}

/** One agent's harness. `run()` resolves with the process exit code. */
export class Harness {
  private readonly link: AgentLink;
  private readonly store: AgentStore;
  private readonly events: LiveEvents;
  private readonly controls: TurnControls;
  private readonly turns: TurnRunner;
  private readonly log: (line: string) => void;
  private readonly paths: StatePaths;
  private readonly recvWaitMs: number;
  private model: string;
  private mcpConfigPath = '';
  private pendingRecv: Promise<InboxMessage[] | Error> | null = null;
  private held: InboxMessage[] = [];
  private controlUp = false;
  private closed = false;
  private holdBackoffMs = HOLD_BACKOFF_FIRST_MS;

  constructor(private readonly opts: HarnessOptions) {
    this.log = opts.log ?? ((line) => process.stderr.write(`[hyperhive-agent ${opts.name}] ${line}\n`));
    this.paths = prepareStateDir(opts.stateDir);
    this.recvWaitMs = opts.recvWaitMs ?? 30_000;
    this.model = readPersistedModel(this.paths.modelFile, opts.model) ?? opts.model;
    this.link = new AgentLink(opts.socketPath);
    this.store = new AgentStore(path.join(opts.stateDir, 'agent.sqlite'));
    this.events = new LiveEvents({
      store: this.store,
      link: this.link,
      log: this.log,
      historyCap: opts.historyCap,
      jsonlPath: opts.jsonlPath,
      jsonlMaxBytes: opts.jsonlMaxBytes,
      extraSinks: opts.extraSinks,
    });
    this.controls = new TurnControls({
      emit: (event) => this.events.emit(event),
      model: () => this.model,
      setModel: (model) => this.setModel(model),
    });
    this.turns = new TurnRunner({
      name: opts.name,
      command: opts.command,
      env: opts.env,
      heartbeatMs: opts.heartbeatMs ?? 5000,
      cancelGraceMs: opts.cancelGraceMs,
      workDir: this.paths.workDir,
      sessionMarker: this.paths.sessionMarker,
      claudeConfigDir: this.paths.claudeConfigDir,
      mcpConfigPath: () => this.mcpConfigPath,
      model: () => this.model,
      link: this.link,
      store: this.store,
      events: this.events,
      controls: this.controls,
      log: this.log,
    });
  }

  /** The model the next turn will use. */
  get activeModel(): string {
    return this.model;
  }

  /** True while the core holds this harness's control subscription. */
  get controlConnected(): boolean {
    return this.controlUp;
  }

  /** Run until stopped; resolves with the exit code. */
  async run(): Promise<number> {
    // A command that cannot start would fail every turn: say so now, before taking the agent's session.
    const cannotRun = commandProblem(this.opts.command, this.opts.env ?? process.env, this.paths.workDir);
    if (cannotRun) {
      this.log(`${cannotRun}; stopping (fix the agent's command, then start it)`);
      // In the agent's stream too, where the operator looks first.
      this.events.emit({ kind: 'note', text: cannotRun });
      await this.events.close();
      this.store.close();
      this.link.close();
      return EXIT_CANNOT_RUN;
    }
    if (this.opts.instructionsFile) {
      const problem = placeInstructions(this.paths.workDir, this.opts.instructionsFile);
      if (problem) this.log(problem);
    }
    this.mcpConfigPath = writeMcpConfig(this.opts.stateDir, {
      name: this.opts.name,
      socketPath: this.opts.socketPath,
      manager: this.opts.manager,
      agentEntry: this.opts.agentEntry,
      extraServers: this.opts.extraMcpServers,
    });
    allowHiveTools(this.paths.workDir);
    this.events.startFlushing();
    void keepControlSubscribed(this.link, {
      onMessage: (m) => this.handleControl(m),
      onAck: (ack) => {
        this.controls.paused = ack.paused;
        this.controls.poke();
      },
      onConnected: (up) => {
        this.controlUp = up;
      },
      closed: () => this.closed,
      log: this.log,
    });
    this.events.emit({ kind: 'status_changed', status: 'online' });
    this.events.emit({ kind: 'model_changed', model: this.model });
    this.events.emitTurnState('idle');
    try {
      await this.loop();
    } finally {
      await this.shutdown();
    }
    return this.controls.stopRequest?.exitCode ?? 0;
  }

  /** Stop from outside (SIGTERM): the running command is killed and its message stays unacked. */
  terminate(): void {
    this.controls.terminate();
  }

  /** Apply one control action. */
  handleControl(message: ControlMessage): void {
    this.controls.apply(message);
  }

  private async loop(): Promise<void> {
    const controls = this.controls;
    while (!controls.stopRequest) {
      // Turns only while this harness is the agent's session: a second harness (an orphan, a
      // stray start) is refused the session by the core and so never takes a turn.
      if (!this.controlUp) {
        await controls.sleepOrWake(1000);
        continue;
      }
      if (this.isPaused()) {
        await controls.sleepOrWake(1000);
        continue;
      }
      if (controls.pendingCompact) {
        controls.pendingCompact = false;
        await this.turns.compactTurn();
        continue;
      }
      const next = this.held.shift();
      if (next) {
        const controlsBefore = controls.applied;
        const outcome = await this.turns.turn(next, this.held.length);
        if (!outcome.held) {
          this.holdBackoffMs = HOLD_BACKOFF_FIRST_MS;
          continue;
        }
        // claude cannot work (not logged in, usage limit): keep the message for when it can.
        this.held.unshift(next);
        // The core paused the agent for it; a resume sent since then is newer and stands.
        if (outcome.pausedByCore && controls.applied === controlsBefore) controls.paused = true;
        else if (!outcome.pausedByCore) {
          // A core that did not pause it: wait before trying again rather than burn turns.
          this.log(`${outcome.kind}: trying the message again in ${Math.round(this.holdBackoffMs / 1000)} s`);
          await controls.sleepOrWake(this.holdBackoffMs);
          this.holdBackoffMs = Math.min(this.holdBackoffMs * 2, HOLD_BACKOFF_MAX_MS);
        }
        continue;
      }
      if (!this.pendingRecv) {
        this.pendingRecv = this.link.recv(this.recvWaitMs, 1).catch((err: Error) => err);
      }
      const got = await Promise.race([this.pendingRecv, controls.woken]);
      if (got === WOKEN) continue;
      this.pendingRecv = null;
      if (got instanceof Error) {
        this.log(`cannot reach the core: ${got.message}; retrying`);
        await controls.sleepOrWake(1000);
        continue;
      }
      this.held.push(...got);
    }
  }

  private setModel(model: string): void {
    this.model = model;
    try {
      // Whole or not at all: a torn write (full disk) must not leave an empty model file behind.
      const temp = `${this.paths.modelFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(temp, persistedModelText(model, this.opts.model));
        fs.renameSync(temp, this.paths.modelFile);
      } finally {
        fs.rmSync(temp, { force: true });
      }
    } catch (err) {
      this.log(`cannot persist the model: ${(err as Error).message}`);
    }
    this.events.emit({ kind: 'model_changed', model });
  }

  private isPaused(): boolean {
    return this.controls.paused || fs.existsSync(this.paths.pausedMarker);
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.events.stopFlushing();
    this.events.emitTurnState('idle');
    this.events.emit({ kind: 'status_changed', status: 'stopped' });
    await this.events.close();
    this.store.close();
    this.link.close();
  }
}

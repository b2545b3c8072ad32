/** The lifecycle interface every backend (external, process, nixos-container) implements. */
import type { AgentConfig, ControlMessage, HiveConfig } from '../../protocol/index.js';

/** What a backend reports about one agent. */
export interface BackendStatus {
  running: boolean;
  failed: boolean;
  /** OS pid of the harness when the backend knows it. */
  pid?: number;
}

/** What the core hands a backend: paths, config, and ways to tell the core things. */
export interface LifecycleHost {
  readonly config: HiveConfig;
  readonly stateDir: string;
  readonly runtimeDir: string;
  /** Absolute path of the hyperhive-agent entry script (node runs it). */
  readonly agentEntry: string;
  /** The agent's config (from the file, or created by an approved spawn). */
  agentConfig(name: string): AgentConfig | undefined;
  /** `<runtime>/agents/<name>/mcp.sock` */
  agentSocketPath(name: string): string;
  /** `<state>/agents/<name>` */
  agentStateDir(name: string): string;
  /** True while the agent's harness holds a `control` subscription. */
  controlConnected(name: string): boolean;
  /** Counts the agent's harness sessions: it grows each time a harness takes the `control` subscription. */
  controlGeneration(name: string): number;
  /** The agent's approved `CLAUDE.md` on the host (in its applied repo), or null when it has no applied repo. */
  instructionsFile(name: string): string | null;
  /** `<state>/agents/<name>/config`: the agent's proposed config repo on the host. */
  proposedRepoDir(name: string): string;
  /** Every agent of the hive, sorted. */
  agentNames(): string[];
  /** Send a control line to the agent's harness; false when none is connected. */
  sendControl(name: string, message: ControlMessage): boolean;
  /** The backend's view of an agent changed (started, exited, failed). */
  statusChanged(name: string): void;
  /** The agent was (re)started: the core puts a `restarted` helper event in its inbox. */
  agentStarted(name: string, reason: string): void;
  log(message: string): void;
}

/** One lifecycle backend. Every method is idempotent where that makes sense. */
export interface LifecycleBackend {
  readonly kind: HiveConfig['backend'];
  /** Prepare on-disk state for a new agent (state dir etc.). */
  create(name: string): Promise<void>;
  start(name: string): Promise<void>;
  stop(name: string, options: { graceful: boolean }): Promise<void>;
  restart(name: string): Promise<void>;
  status(name: string): BackendStatus;
  /**
   * Bring a created agent to its current config (an approved config change)
   * without losing its state. Optional: the core restarts the agent instead
   * when a backend has none. Rejects with a sentence when the change cannot
   * be applied; the agent is then left as it was.
   */
  update?(name: string): Promise<void>;
  /** Where the manager's harness finds `agent`'s proposed config repo, when that is not the host path (a container's bind mount). */
  proposedRepoPath?(agent: string): string;
  /** Stop and forget the agent; remove its state when `purge`. */
  destroy(name: string, options: { purge: boolean }): Promise<void>;
  /**
   * How claude's login runs for `name` in its environment (its claude config
   * dir): the command for a pseudo-terminal. Absent when agents run where the
   * core cannot reach (the external backend).
   */
  loginCommand?(name: string): { argv: string[]; env: NodeJS.ProcessEnv; cwd: string };
  /** Stop what a previous core of this backend started and left running (at start, before agent sockets open). */
  stopLeftovers?(): Promise<void>;
  /** Stop everything it started (core shutdown). */
  close(): Promise<void>;
}

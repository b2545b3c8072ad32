/**
 * What the core's services (broker, approvals, questions, reminders, turn
 * stats) may use of the hive around them. Each gets these in its constructor
 * and nothing more, so none of them knows the hive that composes them.
 */
import type { Db } from './store/index.js';
import type { AgentConfig, DashboardEventFields, DashboardEventKind, HelperEvent } from '../protocol/index.js';

/**
 * One transaction over the store: state changes, their dashboard events and
 * audit rows commit together; the events are broadcast after the commit.
 */
export interface UnitOfWork {
  /** The store; statements run inside `commit` belong to its transaction. */
  readonly db: Db;
  /** Run `fn` in one transaction (nested calls join the outer one). */
  commit<T>(fn: () => T): T;
  /** Run `fn` once the current transaction commits (at once when there is none). */
  afterCommit(fn: () => void): void;
  /** Append a dashboard event to the current transaction. */
  announce<K extends DashboardEventKind>(kind: K, fields: DashboardEventFields<K>): void;
  /** Record who did what, in the current transaction. */
  audit(actor: string | undefined, action: string, target: string | null, detail?: unknown): void;
}

/** An agent as a service sees it. */
export interface KnownAgent {
  readonly name: string;
  readonly config: AgentConfig;
}

/** Looking agents up. */
export interface AgentDirectory {
  agent(name: string): KnownAgent | undefined;
  /** Every agent's name, sorted. */
  agentNames(): string[];
  /** The manager's name (always reachable by message), or null. */
  readonly manager: string | null;
}

/** Something that feeds an agent's roster row changed: recompute it. */
export type StatusChanged = (agent: string) => void;

/** Putting messages into an agent's inbox (the broker provides it). */
export interface AgentMail {
  /** A helper event (a `system` message whose body is JSON); nothing when the agent is gone. */
  notify(agent: string, event: HelperEvent): void;
  /** A plain message from a sender that is no agent (`reminder`); nothing when the agent is gone. */
  post(from: string, agent: string, body: string): void;
}

/** Every port; a service's constructor takes the ones it uses. */
export interface ServicePorts {
  work: UnitOfWork;
  agents: AgentDirectory;
  statusChanged: StatusChanged;
  mail: AgentMail;
}

/** Opens and closes per-agent sockets (the server layer provides it). */
export interface AgentSocketRegistry {
  open(name: string): Promise<void>;
  close(name: string): Promise<void>;
}

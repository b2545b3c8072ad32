/**
 * The roster: each agent's live runtime state and its current `agent_status`
 * row. A row is derived afresh when something feeding it changed, and only a
 * row that differs is announced (dashboard event, then status listeners once
 * it commits).
 */
import type { AgentStatusRow, LiveEventInput } from '../protocol/index.js';
import type { UnitOfWork } from './ports.js';
import { nowUnix } from './refusal.js';
import { deriveStatusRow, foldLiveEvents, idleRuntime, type AgentRuntime, type FoldedEvents, type StatusInputs } from './status.js';

/** Everything a row is derived from except the runtime, or undefined for an agent the hive does not know. */
export type StatusSources = (name: string) => Omit<StatusInputs, 'runtime'> | undefined;

export class StatusBoard {
  /** Called with each row as it changes, after it commits (subscribe_agent_status). */
  readonly listeners = new Set<(row: AgentStatusRow) => void>();
  private readonly runtimes = new Map<string, AgentRuntime>();
  private readonly rows = new Map<string, AgentStatusRow>();
  private readonly rowJson = new Map<string, string>();
  private changes = 0;
  private closed = false;

  constructor(
    private readonly work: UnitOfWork,
    private readonly sources: StatusSources,
    /** Told of each change of a row, inside the unit of work that announces it (the incident log). */
    private readonly changed?: (previous: AgentStatusRow | undefined, row: AgentStatusRow) => void,
  ) {}

  /** Bumped whenever a row changes or goes: a cache of the rows is good while this is unchanged. */
  get version(): number {
    return this.changes;
  }

  /** Recompute `name`'s row; announce it when it changed. */
  refresh(name: string): void {
    if (this.closed) return;
    const inputs = this.sources(name);
    if (!inputs) return;
    const row = deriveStatusRow({ ...inputs, runtime: this.runtimes.get(name) ?? idleRuntime(nowUnix()) });
    const json = JSON.stringify(row);
    if (this.rowJson.get(name) === json) return;
    const previous = this.rows.get(name);
    this.rowJson.set(name, json);
    this.rows.set(name, row);
    this.changes++;
    this.work.commit(() => {
      this.changed?.(previous, row);
      this.work.announce('agent_status', { row });
      // Like the dashboard event, the status stream only hears of the row once it is committed.
      this.work.afterCommit(() => {
        for (const listener of this.listeners) listener(row);
      });
    });
  }

  /** A new agent, or a new harness session: the turn starts idle. */
  resetRuntime(name: string): void {
    this.runtimes.set(name, idleRuntime(nowUnix()));
  }

  /** The harness went away: idle, but the last known context size stays. */
  sessionEnded(name: string): void {
    const runtime = this.runtimes.get(name);
    if (runtime) this.runtimes.set(name, { ...idleRuntime(nowUnix()), contextTokens: runtime.contextTokens });
  }

  /** Fold live events into `name`'s runtime; null for an agent without one. */
  fold(name: string, events: readonly LiveEventInput[]): FoldedEvents | null {
    const runtime = this.runtimes.get(name);
    if (!runtime) return null;
    const folded = foldLiveEvents(runtime, events);
    if (folded.runtime !== runtime) this.runtimes.set(name, folded.runtime);
    return folded;
  }

  /** The agent is gone: drop its row and runtime (the caller announces `agent_removed`). */
  forget(name: string): void {
    this.rows.delete(name);
    this.rowJson.delete(name);
    this.runtimes.delete(name);
    this.changes++;
  }

  /** Every row, by agent name. */
  list(): AgentStatusRow[] {
    return [...this.rows.keys()].sort().map((name) => this.rows.get(name)!);
  }

  /** Every row as JSON, by agent name. */
  listJson(): string[] {
    return [...this.rowJson.keys()].sort().map((name) => this.rowJson.get(name)!);
  }

  /** Stop deriving rows (shutdown). */
  close(): void {
    this.closed = true;
  }
}

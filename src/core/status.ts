/**
 * An agent's roster row, derived purely from what the core knows about it,
 * and the stall rule: live events fold into the runtime state (turn state,
 * context size, stagnant heartbeats), and a running turn is stalled once its
 * stagnant heartbeats reach the hive's `stall_heartbeats` threshold.
 */
import type { AgentSpend, AgentStatusRow, LastTurn, LiveEventInput, PauseReason, TransientKind, TurnState } from '../protocol/index.js';

/**
 * `needs_update`: the agent runs, an approved commit is deployed, and the
 * harness session running now started on another commit (or on none known).
 */
export function needsUpdate(running: boolean, deployedSha: string | undefined, runningSha: string | undefined): boolean {
  return running && deployedSha !== undefined && runningSha !== deployedSha;
}

/** What the core tracks per agent from its live events (in memory, rebuilt on restart). */
export interface AgentRuntime {
  turnState: TurnState;
  turnStateSince: number;
  contextTokens?: number;
  stagnantHeartbeats: number;
}

export interface StatusInputs {
  name: string;
  parent?: string;
  running: boolean;
  failed: boolean;
  /** Why it is paused; undefined when it is not. */
  pauseReason?: PauseReason;
  model: string;
  deployedSha?: string;
  /** The agent runs, but not its deployed commit (an approved change it has not been restarted on). */
  needsUpdate?: boolean;
  statusText?: string;
  statusSetAt?: string;
  unread: number;
  pendingReminders: number;
  lastTurn?: LastTurn;
  transient?: TransientKind;
  runtime: AgentRuntime;
  /** The stall threshold: stagnant heartbeats of a running turn that make it stalled. */
  stallHeartbeats: number;
  url?: string;
  spend?: AgentSpend;
}

/**
 * Build the row. `status_text` (and its time) only while running; turn state
 * idle when not running; `needs_login` while paused for want of a login.
 */
export function deriveStatusRow(i: StatusInputs): AgentStatusRow {
  const row: AgentStatusRow = {
    name: i.name,
    running: i.running,
    failed: i.failed,
    needs_update: i.needsUpdate ?? false,
    needs_login: i.pauseReason?.kind === 'login',
    paused: i.pauseReason !== undefined,
    pending_reminders: i.pendingReminders,
    turn_state: i.running ? i.runtime.turnState : 'idle',
    turn_state_since: i.runtime.turnStateSince,
    unread: i.unread,
  };
  if (i.parent) row.parent = i.parent;
  if (i.deployedSha) row.deployed_sha = i.deployedSha.slice(0, 12);
  row.active_model = i.model;
  if (i.running && i.statusText !== undefined && i.statusSetAt) {
    row.status_text = i.statusText;
    row.status_set_at = i.statusSetAt;
  }
  if (i.url) row.url = i.url;
  if (i.runtime.contextTokens !== undefined) row.context_tokens = i.runtime.contextTokens;
  if (i.lastTurn) row.last_turn = i.lastTurn;
  if (i.transient) row.transient = i.transient;
  row.stalled = i.running && row.turn_state !== 'idle' && i.runtime.stagnantHeartbeats >= i.stallHeartbeats;
  if (i.pauseReason) row.pause_reason = i.pauseReason;
  if (i.spend) row.spend = i.spend;
  return row;
}

/** The agent's page on the hive's web front (`https://<domain>/agent/<name>/`), when the hive has a domain. */
export function agentPageUrl(domain: string | null, name: string): string | undefined {
  return domain ? `https://${domain}/agent/${encodeURIComponent(name)}/` : undefined;
}

/** A fresh runtime record for an agent the core has just learnt of. */
export function idleRuntime(nowSeconds: number): AgentRuntime {
  return { turnState: 'idle', turnStateSince: nowSeconds, stagnantHeartbeats: 0 };
}

/** What a batch of live events changed. */
export interface FoldedEvents {
  /** The runtime after the batch (the same object when nothing in it changed). */
  runtime: AgentRuntime;
  /** True when the roster row may have changed. */
  changed: boolean;
  /** The model the harness last switched to in the batch, if it did. */
  model?: string;
}

/**
 * Fold a batch of live events into an agent's runtime: a turn state change or
 * a turn's end restarts the stagnant count, a heartbeat carries the harness's own count.
 */
export function foldLiveEvents(runtime: AgentRuntime, events: readonly LiveEventInput[]): FoldedEvents {
  let next = runtime;
  let changed = false;
  let model: string | undefined;
  const edit = (): AgentRuntime => (next === runtime ? (next = { ...runtime }) : next);
  for (const ev of events) {
    switch (ev.kind) {
      case 'turn_state_changed':
        Object.assign(edit(), { turnState: ev.state, turnStateSince: ev.since_unix, stagnantHeartbeats: 0 });
        changed = true;
        break;
      case 'token_usage_changed':
        if (ev.usage.context_tokens !== undefined && ev.usage.context_tokens !== next.contextTokens) {
          edit().contextTokens = ev.usage.context_tokens;
          changed = true;
        }
        break;
      case 'heartbeat':
        if (ev.stagnant_heartbeats !== next.stagnantHeartbeats) {
          edit().stagnantHeartbeats = ev.stagnant_heartbeats;
          changed = true;
        }
        break;
      case 'turn_end':
        edit().stagnantHeartbeats = 0;
        changed = true;
        break;
      case 'model_changed':
        model = ev.model;
        changed = true;
        break;
      default:
        break;
    }
  }
  return model === undefined ? { runtime: next, changed } : { runtime: next, changed, model };
}

/** Pure derivation of an agent's roster row from what the core knows about it. */
import type { AgentStatusRow, LastTurn, TransientKind, TurnState } from '../protocol/index.js';

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
  paused: boolean;
  model: string;
  deployedSha?: string;
  statusText?: string;
  statusSetAt?: string;
  unread: number;
  pendingReminders: number;
  lastTurn?: LastTurn;
  transient?: TransientKind;
  runtime: AgentRuntime;
  stallHeartbeats: number;
  url?: string;
}

/** Build the row. `status_text` (and its time) only while running; turn state idle when not running. */
export function deriveStatusRow(i: StatusInputs): AgentStatusRow {
  const row: AgentStatusRow = {
    name: i.name,
    running: i.running,
    failed: i.failed,
    needs_update: false,
    needs_login: false,
    paused: i.paused,
    pending_reminders: i.pendingReminders,
    turn_state: i.running ? i.runtime.turnState : 'idle',
    turn_state_since: i.runtime.turnStateSince,
    unread: i.unread,
  };
  if (i.parent) row.parent = i.parent;
  if (i.deployedSha) row.deployed_sha = i.deployedSha;
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
  return row;
}

/** A fresh runtime record for an agent the core has just learnt of. */
export function idleRuntime(nowSeconds: number): AgentRuntime {
  return { turnState: 'idle', turnStateSince: nowSeconds, stagnantHeartbeats: 0 };
}

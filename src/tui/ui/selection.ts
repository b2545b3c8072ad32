/** What the cursor is on in the current view: the agent, the attention item, the message, the approval. */
import type { KeptAgent, OperatorMessage, Schedule, TurnStat } from '../../protocol/index.js';
import { attentionKey, isHoldItem, type AttentionItem } from '../client/attention-queue.js';
import type { ItemKind } from '../keys/keymap.js';
import { clamp, type KeyEnv, type ListName, type UiState } from './ui-state.js';

/** The agent the current view acts on, if any (none while the roster's cursor is on a kept agent; in the attention queue, the one an agent's hold is about). */
export function selectedAgent(ui: UiState, env: KeyEnv): string | undefined {
  if (ui.view === 'stream') return ui.streamAgents[ui.focusPane] ?? ui.streamAgents[0];
  if (ui.view === 'agents' && !selectedKept(ui, env)) return env.roster[clamp(ui.cursor.agents, 0, env.roster.length - 1)]?.name;
  if (ui.view === 'attention') {
    const item = selectedAttention(ui, env);
    return item && isHoldItem(item) && item.agents.length === 1 ? item.agents[0] : undefined;
  }
  return undefined;
}

/** The kept agent under the roster's cursor: the kept rows follow the agents. */
export function selectedKept(ui: UiState, env: KeyEnv): KeptAgent | undefined {
  if (ui.view !== 'agents') return undefined;
  return env.kept?.[ui.cursor.agents - env.roster.length];
}

/** The attention item under the cursor. */
export function selectedAttention(ui: UiState, env: KeyEnv): AttentionItem | undefined {
  return env.attention[clamp(ui.cursor.attention, 0, env.attention.length - 1)];
}

/** The inbox message under the cursor. */
export function selectedMessage(ui: UiState, env: KeyEnv): OperatorMessage | undefined {
  return env.inbox[clamp(ui.cursor.inbox, 0, env.inbox.length - 1)];
}

/** The stats row under the cursor. */
export function selectedStat(ui: UiState, env: KeyEnv): TurnStat | undefined {
  return env.stats[clamp(ui.cursor.stats, 0, env.stats.length - 1)];
}

/** The schedule under the cursor. */
export function selectedSchedule(ui: UiState, env: KeyEnv): Schedule | undefined {
  return env.schedules[clamp(ui.cursor.schedules, 0, env.schedules.length - 1)];
}

/** The approval the current view acts on: the one shown, or the one under the cursor. */
export function selectedApprovalId(ui: UiState, env: KeyEnv): number | undefined {
  if (ui.view === 'approval') return ui.approvalId;
  const item = selectedAttention(ui, env);
  return item?.kind === 'approval' ? item.id : undefined;
}

/** The list the current view shows, if it is one `/` filters. */
export function listOf(view: UiState['view']): ListName | undefined {
  return view === 'agents' || view === 'attention' || view === 'inbox' || view === 'stats' || view === 'schedules' ? view : undefined;
}

/** The kind of item under the cursor, which decides the keys that act on it. */
export function selectedItemKind(ui: UiState, env: KeyEnv): ItemKind {
  switch (ui.view) {
    case 'agents':
      return selectedKept(ui, env) ? 'kept' : selectedAgent(ui, env) ? 'agent' : 'none';
    case 'stream':
      return selectedAgent(ui, env) ? 'agent' : 'none';
    case 'attention':
      return selectedAttention(ui, env)?.kind ?? 'none';
    case 'inbox':
      return selectedMessage(ui, env) ? 'message' : 'none';
    case 'stats':
      return selectedStat(ui, env) ? 'turn' : 'none';
    case 'schedules':
      return selectedSchedule(ui, env) ? 'schedule' : 'none';
    case 'approval':
      return ui.approvalId !== undefined ? 'approval' : 'none';
    case 'rules':
      return env.rules?.length ? 'rule' : 'none';
    default:
      return 'none';
  }
}

/** Each list's rows by key, in the order shown. */
function listKeys(env: KeyEnv): Record<ListName, string[]> {
  return {
    agents: [...env.roster.map((r) => r.name), ...(env.kept ?? []).map(keptKey)],
    attention: env.attention.map(attentionKey),
    inbox: env.inbox.map((m) => String(m.id)),
    stats: env.stats.map((t) => String(t.id)),
    schedules: env.schedules.map((s) => String(s.id)),
  };
}

/** A kept agent's row key (a name has no `:`, so it never equals an agent's). */
const keptKey = (k: KeptAgent) => `kept:${k.name}`;

const LISTS: ListName[] = ['agents', 'attention', 'inbox', 'stats', 'schedules'];

/**
 * The cursors moved to follow the rows they were on: when rows arrive above
 * (a question sorting before the approval under the cursor), the cursor
 * stays on the approval, so a key never acts on a row the operator did not pick.
 */
export function followSelection(ui: UiState, env: KeyEnv): UiState {
  const keys = listKeys(env);
  let cursor = ui.cursor;
  for (const list of LISTS) {
    const key = ui.selected[list];
    if (key === undefined || keys[list][ui.cursor[list]] === key) continue;
    const at = keys[list].indexOf(key);
    if (at >= 0) cursor = { ...cursor, [list]: at };
  }
  return cursor === ui.cursor ? ui : { ...ui, cursor };
}

/** Note which row each cursor is on, for `followSelection`. */
export function rememberSelection(ui: UiState, env: KeyEnv): UiState {
  const keys = listKeys(env);
  let selected = ui.selected;
  for (const list of LISTS) {
    const key = keys[list][Math.max(0, Math.min(ui.cursor[list], keys[list].length - 1))];
    if (key !== selected[list]) selected = { ...selected, [list]: key };
  }
  return selected === ui.selected ? ui : { ...ui, selected };
}

/** What the cursor is on in the current view: the agent, the attention item, the approval. */
import type { AttentionItem } from '../client/attention-queue.js';
import type { ItemKind } from '../keys/keymap.js';
import { clamp, type KeyEnv, type UiState } from './ui-state.js';

/** The agent the current view acts on, if any. */
export function selectedAgent(ui: UiState, env: KeyEnv): string | undefined {
  if (ui.view === 'stream') return ui.streamAgents[ui.focusPane] ?? ui.streamAgents[0];
  if (ui.view === 'agents') return env.roster[clamp(ui.cursor.agents, 0, env.roster.length - 1)]?.name;
  return undefined;
}

/** The attention item under the cursor. */
export function selectedAttention(ui: UiState, env: KeyEnv): AttentionItem | undefined {
  return env.attention[clamp(ui.cursor.attention, 0, env.attention.length - 1)];
}

/** The approval the current view acts on: the one shown, or the one under the cursor. */
export function selectedApprovalId(ui: UiState, env: KeyEnv): number | undefined {
  if (ui.view === 'approval') return ui.approvalId;
  const item = selectedAttention(ui, env);
  return item?.kind === 'approval' ? item.id : undefined;
}

/** The kind of item under the cursor, which decides the keys that act on it. */
export function selectedItemKind(ui: UiState, env: KeyEnv): ItemKind {
  switch (ui.view) {
    case 'agents':
    case 'stream':
      return selectedAgent(ui, env) ? 'agent' : 'none';
    case 'attention':
      return selectedAttention(ui, env)?.kind ?? 'none';
    case 'approval':
      return ui.approvalId !== undefined ? 'approval' : 'none';
    case 'rules':
      return env.rules?.length ? 'rule' : 'none';
    default:
      return 'none';
  }
}

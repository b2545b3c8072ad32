/** Filtering a list with `/` (applied as it is typed; Esc clears it) and marking rows with Space. */
import { attentionKey } from '../client/attention-queue.js';
import type { Command } from '../keys/keymap.js';
import { toggled } from './list.js';
import { listOf, selectedAgent, selectedAttention } from './selection.js';
import { clamp, stay, type Handler, type KeyEnv, type ListName, type UiState } from './ui-state.js';

/** Set a list's filter; the cursor goes back to its first row. */
export function withFilter(ui: UiState, list: ListName, value: string): UiState {
  return { ...ui, filters: { ...ui.filters, [list]: value }, cursor: { ...ui.cursor, [list]: 0 } };
}

function rowCount(ui: UiState, env: KeyEnv): number {
  return ui.view === 'agents' ? env.roster.length : env.attention.length;
}

/** `/` and Space. */
export const LIST_COMMANDS = {
  filter: (ui) => {
    const list = listOf(ui.view);
    if (!list) return stay(ui);
    return stay({ ...ui, modal: { kind: 'input', purpose: 'filter', list, label: '/', value: ui.filters[list] } });
  },
  mark: (ui, env) => {
    const view = ui.view;
    if (view !== 'agents' && view !== 'attention') return stay(ui);
    const item = view === 'agents' ? selectedAgent(ui, env) : selectedAttention(ui, env);
    if (item === undefined) return stay(ui);
    const key = typeof item === 'string' ? item : attentionKey(item);
    // The cursor moves on, so Space Space Space marks three rows.
    const cursor = clamp(ui.cursor[view] + 1, 0, Math.max(0, rowCount(ui, env) - 1));
    return stay({ ...ui, marks: { ...ui.marks, [view]: toggled(ui.marks[view], key) }, cursor: { ...ui.cursor, [view]: cursor } });
  },
} satisfies Partial<Record<Command, Handler>>;

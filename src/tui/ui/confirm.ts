/**
 * The confirm-before-act rule: a request from a command whose keymap row
 * `confirms`, and every action on marked rows, waits on a confirm line where
 * only `y` sends it and every other key (Enter and Esc too) cancels, so the
 * destructive choice is never the default. Other requests go out at once.
 */
import type { Command } from '../keys/keymap.js';
import { stay, type Ask, type Effect, type Handler, type MarkList, type Result, type UiState } from './ui-state.js';

function withoutMarks(ui: UiState, marks: MarkList | undefined): UiState {
  return marks ? { ...ui, marks: { ...ui.marks, [marks]: [] } } : ui;
}

/** Hold the requests on a confirm line, or send them now. */
export function confirmOrSend(result: Result, ask: Ask, confirms: boolean): Result {
  if (confirms || ask.clearMarks) {
    return { ui: { ...result.ui, modal: { kind: 'confirm', prompt: ask.prompt, requests: ask.requests, clearMarks: ask.clearMarks } }, effects: result.effects };
  }
  return { ui: result.ui, effects: [...result.effects, ...ask.requests.map((pending) => ({ type: 'request' as const, pending }))] };
}

/** The confirm line's two answers. */
export const CONFIRM_COMMANDS = {
  confirm_yes: (ui) => {
    if (ui.modal?.kind !== 'confirm') return stay(ui);
    const effects: Effect[] = ui.modal.requests.map((pending) => ({ type: 'request', pending }));
    if (ui.modal.quit) effects.push({ type: 'quit' });
    return { ui: withoutMarks({ ...ui, modal: undefined }, ui.modal.clearMarks), effects };
  },
  confirm_no: (ui) => {
    if (ui.modal?.kind !== 'confirm') return stay(ui);
    const what = ui.modal.quit ? 'quit' : ui.modal.requests.map((r) => r.what).join(', ');
    return stay({ ...ui, modal: undefined, flash: { text: `cancelled: ${what}`, tone: 'info' } });
  },
} satisfies Partial<Record<Command, Handler>>;

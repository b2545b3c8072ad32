/**
 * The confirm-before-act rule: a request from a command whose keymap row
 * `confirms`, and every action on marked rows, waits on a confirm line where
 * only `y` sends it and every other key (Enter and Esc too) cancels, so the
 * destructive choice is never the default. An irreversible one (`confirms:
 * 'typed'`) waits until the name of what it acts on is typed: anything else,
 * or Esc, cancels. Other requests go out at once.
 */
import type { Binding, Command } from '../keys/keymap.js';
import { flash, stay, type Ask, type Effect, type Handler, type MarkList, type Modal, type Outcome, type Result, type UiState } from './ui-state.js';

function withoutMarks(ui: UiState, marks: MarkList | undefined): UiState {
  return marks ? { ...ui, marks: { ...ui.marks, [marks]: [] } } : ui;
}

/** Hold the requests on a confirm line, or send them now. */
export function confirmOrSend(result: Result, ask: Ask, confirms: Binding['confirms']): Result {
  if (confirms === 'typed' && ask.typed !== undefined) {
    return { ui: { ...result.ui, modal: { kind: 'input', purpose: 'confirm', label: ask.prompt, value: '', expect: ask.typed, requests: ask.requests } }, effects: result.effects };
  }
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

type TypedConfirm = Extract<Modal, { purpose: 'confirm' }>;

/** Enter on a typed confirmation: the requests go out only when the text is the name asked for. */
export function submitTypedConfirm(closed: UiState, modal: TypedConfirm): Outcome {
  const what = modal.requests.map((r) => r.what).join(', ');
  const typed = modal.value.trim();
  if (typed !== modal.expect) {
    const said = typed ? `"${typed.slice(0, 63)}" is not ${modal.expect}` : 'nothing typed';
    return flash(closed, `cancelled: ${what} (${said}); nothing changed`, 'info');
  }
  return { ui: closed, effects: modal.requests.map((pending) => ({ type: 'request', pending })) };
}

/** Esc on a typed confirmation. */
export function cancelTypedConfirm(closed: UiState, modal: TypedConfirm): Outcome {
  return flash(closed, `cancelled: ${modal.requests.map((r) => r.what).join(', ')}; nothing changed`, 'info');
}

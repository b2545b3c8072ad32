/**
 * A pick list (the models an agent may be set to): j/k or 1–9 move, Enter
 * chooses, `e` types a name instead. The answer form shares these keys, so
 * each command goes to whichever of the two is open.
 */
import type { Command } from '../keys/keymap.js';
import { ANSWER_FORM_COMMANDS } from './answer-form.js';
import { clamp, stay, type Handler, type Modal, type UiState } from './ui-state.js';

type PickModal = Extract<Modal, { kind: 'pick' }>;

function onPick(change: (modal: PickModal, input: string) => Partial<PickModal>): Handler {
  return (ui: UiState, _env, call) => (ui.modal?.kind === 'pick' ? stay({ ...ui, modal: { ...ui.modal, ...change(ui.modal, call.input ?? '') } }) : stay(ui));
}

const PICK_COMMANDS = {
  option_pick: onPick((m, input) => (Number(input) >= 1 && Number(input) <= m.options.length ? { cursor: Number(input) - 1 } : {})),
  option_next: onPick((m) => ({ cursor: clamp(m.cursor + 1, 0, Math.max(0, m.options.length - 1)) })),
  option_prev: onPick((m) => ({ cursor: clamp(m.cursor - 1, 0, Math.max(0, m.options.length - 1)) })),
  answer_free_text: onPick(() => ({ typing: true })),
  answer_options: onPick((m) => (m.options.length > 0 ? { typing: false } : {})),
} satisfies Partial<Record<Command, Handler>>;

/** The shared keys, sent to the pick list or the answer form, whichever is open. */
export const CHOICE_COMMANDS = Object.fromEntries(
  (Object.keys(PICK_COMMANDS) as (keyof typeof PICK_COMMANDS)[]).map((command) => [
    command,
    ((ui, env, call) => (ui.modal?.kind === 'pick' ? PICK_COMMANDS[command](ui, env, call) : ANSWER_FORM_COMMANDS[command](ui, env, call))) as Handler,
  ]),
) as Record<keyof typeof PICK_COMMANDS, Handler>;

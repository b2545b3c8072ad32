/**
 * The answer form for an operator question: options picked with 1–9 or
 * j/k (Space toggles when several are allowed), or a free-text answer.
 * Enter sends; if the question closed meanwhile, the form says so and closes.
 */
import type { Question } from '../../protocol/index.js';
import type { Command } from '../keys/keymap.js';
import { clamp, flash, stay, type Handler, type KeyEnv, type Modal, type Outcome, type UiState } from './ui-state.js';

type AnswerModal = Extract<Modal, { kind: 'answer' }>;

/** Run `handle` on the open form and its question, or close the form if the question is gone. */
function withForm(handle: (ui: UiState, modal: AnswerModal, q: Question, input: string) => Outcome): Handler {
  return (ui: UiState, env: KeyEnv, call) => {
    const modal = ui.modal;
    if (modal?.kind !== 'answer') return stay(ui);
    const item = env.queue.find((x) => x.kind === 'question' && x.id === modal.questionId);
    if (item?.kind !== 'question') return flash({ ...ui, modal: undefined }, `question #${modal.questionId} is no longer open`);
    return handle(ui, modal, item.question, call.input ?? '');
  };
}

const set = (ui: UiState, modal: AnswerModal, change: Partial<AnswerModal>): Outcome => stay({ ...ui, modal: { ...modal, ...change } });

function toggle(list: number[], i: number): number[] {
  return list.includes(i) ? list.filter((x) => x !== i) : [...list, i];
}

function send(ui: UiState, q: Question, answer: string): Outcome {
  return { ui: { ...ui, modal: undefined }, effects: [], ask: { prompt: `send this answer to question #${q.id}?`, requests: [{ request: { cmd: 'answer', id: q.id, answer }, what: `answer question #${q.id}` }] } };
}

/** The form's keys. */
export const ANSWER_FORM_COMMANDS = {
  option_pick: withForm((ui, modal, q, input) => {
    const i = Number(input) - 1;
    if (!(i >= 0 && i < q.options.length)) return stay(ui);
    return set(ui, modal, q.multi ? { cursor: i, picked: toggle(modal.picked, i) } : { cursor: i, picked: [i] });
  }),
  option_next: withForm((ui, modal, q) => set(ui, modal, { cursor: clamp(modal.cursor + 1, 0, q.options.length - 1) })),
  option_prev: withForm((ui, modal, q) => set(ui, modal, { cursor: clamp(modal.cursor - 1, 0, q.options.length - 1) })),
  option_toggle: withForm((ui, modal, q) => (q.multi ? set(ui, modal, { picked: toggle(modal.picked, modal.cursor) }) : stay(ui))),
  answer_free_text: withForm((ui, modal) => set(ui, modal, { typing: true })),
  answer_options: withForm((ui, modal) => set(ui, modal, { typing: false })),
  answer_send: withForm((ui, modal, q) => {
    if (modal.typing) return modal.text.trim() ? send(ui, q, modal.text) : flash(ui, 'empty answer not sent');
    if (!q.multi) return send(ui, q, q.options[modal.cursor] ?? '');
    if (modal.picked.length === 0) return flash(ui, 'pick at least one option (Space toggles)');
    return send(ui, q, [...modal.picked].sort((a, b) => a - b).map((i) => q.options[i]!).join(', '));
  }),
} satisfies Partial<Record<Command, Handler>>;

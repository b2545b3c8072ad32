/** The context the keymap is read in, derived from the UI state and the hive. */
import type { KeyContext, Mode } from '../keys/keymap.js';
import { selectedAttention, selectedItemKind } from './selection.js';
import { isHoldItem } from '../client/attention-queue.js';
import { holdStopsWork } from '../client/hold-items.js';
import { selectedToolApproval } from './rule-form.js';
import type { KeyEnv, Modal, UiState } from './ui-state.js';

/** Who owns the keyboard. */
export function modeOf(modal: Modal | undefined): Mode {
  if (!modal) return 'normal';
  switch (modal.kind) {
    case 'confirm':
      return 'confirm';
    case 'answer':
      return modal.typing ? 'answer_text' : 'answer';
    case 'pick':
      return modal.typing ? 'pick_text' : 'pick';
    case 'input':
      return modal.purpose === 'argument' || modal.purpose === 'confirm' ? 'input' : modal.purpose;
    case 'rule':
      return 'rule';
  }
}

/** View, mode, selected item kind and flags, as the keymap reads them. */
export function keyContextOf(ui: UiState, env: KeyEnv): KeyContext {
  const ctx: KeyContext = { view: ui.view, mode: modeOf(ui.modal), item: selectedItemKind(ui, env), readOnly: env.readOnly, live: env.live };
  if (env.decisionsOnly) ctx.decisionsOnly = true;
  if (ui.modal?.kind === 'answer') {
    const id = ui.modal.questionId;
    const item = env.queue.find((x) => x.kind === 'question' && x.id === id);
    if (item?.kind === 'question') ctx.flags = { multiChoice: item.question.multi, freeTextOnly: item.question.options.length === 0 };
  } else if (ui.view === 'stream') {
    ctx.flags = { searching: Boolean(ui.scroll[ui.streamAgents[ui.focusPane] ?? '']?.search) };
  } else if (ctx.item === 'approval' && selectedToolApproval(ui, env)) {
    ctx.flags = { toolApproval: true };
  } else if (ctx.item === 'budget' || ctx.item === 'limit') {
    const item = selectedAttention(ui, env);
    ctx.flags = { holdPaused: item !== undefined && isHoldItem(item) && holdStopsWork(item) };
  }
  return ctx;
}

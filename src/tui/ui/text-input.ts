/**
 * One-line text inputs (a deny note, a message, a model, a stream search,
 * the `:` command line, a free-text answer): typing, deleting, Esc, and what
 * Enter does with the text. Enter never runs a command itself: it hands the
 * dispatcher the command to run next.
 */
import { resolveCommandLine } from '../keys/command-line.js';
import type { Command } from '../keys/keymap.js';
import { printableText } from '../keys/resolve.js';
import { MAX_RULE_LENGTH } from '../../protocol/light.js';
import { startSearch } from './stream-scroll.js';
import { flash, stay, type Handler, type Modal, type UiState } from './ui-state.js';

/** Longest text an input holds; an answer may be longer than a note. */
const INPUT_MAX_CHARS = 4096;
const ANSWER_MAX_CHARS = 8192;

function editText(ui: UiState, edit: (text: string) => string): UiState {
  const m = ui.modal;
  if (m?.kind === 'input') return { ...ui, modal: { ...m, value: edit(m.value).slice(0, INPUT_MAX_CHARS) } as Modal };
  if (m?.kind === 'answer' && m.typing) return { ...ui, modal: { ...m, text: edit(m.text).slice(0, ANSWER_MAX_CHARS) } };
  if (m?.kind === 'rule') return { ...ui, modal: { ...m, text: edit(m.text).slice(0, MAX_RULE_LENGTH) } };
  return ui;
}

/** Editing keys and the inputs' Enter and Esc. */
export const TEXT_INPUT_COMMANDS = {
  command_line: (ui) => stay({ ...ui, modal: { kind: 'input', purpose: 'command', label: ':', value: '' } }),
  insert_text: (ui, _env, call) => {
    const text = printableText(call.input ?? '', {});
    return stay(editText(ui, (value) => value + text));
  },
  delete_char: (ui) => stay(editText(ui, (value) => value.slice(0, -1))),
  cancel: (ui) => stay({ ...ui, modal: undefined }),
  submit: (ui, env) => {
    const modal = ui.modal;
    if (modal?.kind !== 'input') return stay(ui);
    const closed: UiState = { ...ui, modal: undefined };
    const value = modal.value.trim();
    switch (modal.purpose) {
      case 'argument':
        return { ui: closed, effects: [], next: { ...modal.call, text: modal.value } };
      case 'search':
        return startSearch(closed, env, value);
      case 'command': {
        if (!value) return stay(closed);
        const resolved = resolveCommandLine(value);
        if (!resolved.ok) return flash(closed, resolved.error);
        return { ui: closed, effects: [], next: { command: resolved.command, ...(resolved.args && { text: resolved.args.join(' ') }) } };
      }
    }
  },
} satisfies Partial<Record<Command, Handler>>;

/**
 * One-line text inputs (a deny note, a message, a stream search, a list
 * filter, the `:` command line, a free-text answer, a typed model): typing,
 * deleting, Esc, and what Enter does with the text. Enter never runs a
 * command itself: it hands the dispatcher the command to run next. A filter
 * applies as it is typed; Esc clears it.
 */
import { completeCommandLine, resolveCommandLine, type CommandLineSources } from '../keys/command-line.js';
import type { Command } from '../keys/keymap.js';
import { printableText } from '../keys/resolve.js';
import { MAX_RULE_LENGTH } from '../../protocol/light.js';
import { cancelTypedConfirm, submitTypedConfirm } from './confirm.js';
import { withFilter } from './list-commands.js';
import { startSearch } from './stream-scroll.js';
import { flash, stay, type Handler, type KeyEnv, type Modal, type UiState } from './ui-state.js';

/** Longest text an input holds; an answer may be longer than a note. */
const INPUT_MAX_CHARS = 4096;
const ANSWER_MAX_CHARS = 8192;

function editText(ui: UiState, edit: (text: string) => string): UiState {
  const m = ui.modal;
  if (m?.kind === 'input') {
    const value = edit(m.value).slice(0, INPUT_MAX_CHARS);
    if (m.purpose === 'filter') return { ...withFilter(ui, m.list, value), modal: { ...m, value } };
    if (m.purpose === 'command') return { ...ui, modal: { ...m, value, hint: undefined } };
    return { ...ui, modal: { ...m, value } as Modal };
  }
  if (m?.kind === 'answer' && m.typing) return { ...ui, modal: { ...m, text: edit(m.text).slice(0, ANSWER_MAX_CHARS) } };
  if (m?.kind === 'rule') return { ...ui, modal: { ...m, text: edit(m.text).slice(0, MAX_RULE_LENGTH) } };
  if (m?.kind === 'pick' && m.typing) return { ...ui, modal: { ...m, text: edit(m.text).slice(0, INPUT_MAX_CHARS) } };
  return ui;
}

/** What `:` arguments may name, from the hive as keys see it. */
export function commandLineSources(env: KeyEnv): CommandLineSources {
  const ids = (kind: string) => env.queue.flatMap((x) => (x.kind === kind && typeof x.id === 'number' ? [x.id] : []));
  return {
    agents: Object.keys(env.agents).sort(),
    kept: (env.kept ?? []).map((k) => k.name).sort(),
    approvals: ids('approval'),
    questions: ids('question'),
    messages: ids('message'),
    schedules: env.schedules.filter((s) => s.state !== 'ended').map((s) => s.id),
    models: env.models,
  };
}

/** Editing keys and the inputs' Enter and Esc. */
export const TEXT_INPUT_COMMANDS = {
  command_line: (ui) => stay({ ...ui, modal: { kind: 'input', purpose: 'command', label: ':', value: '' } }),
  insert_text: (ui, _env, call) => {
    const text = printableText(call.input ?? '', {});
    return stay(editText(ui, (value) => value + text));
  },
  delete_char: (ui) => stay(editText(ui, (value) => value.slice(0, -1))),
  cancel: (ui) => {
    const m = ui.modal;
    if (m?.kind === 'input' && m.purpose === 'filter') return stay({ ...withFilter(ui, m.list, ''), modal: undefined });
    if (m?.kind === 'input' && m.purpose === 'confirm') return cancelTypedConfirm({ ...ui, modal: undefined }, m);
    return stay({ ...ui, modal: undefined });
  },
  complete: (ui, env) => {
    const m = ui.modal;
    if (m?.kind !== 'input' || m.purpose !== 'command') return stay(ui);
    const done = completeCommandLine(m.value, commandLineSources(env));
    const hint = done.candidates.length > 1 ? done.candidates.slice(0, 12).join(' ') : done.candidates.length === 0 ? 'no completion' : undefined;
    return stay({ ...ui, modal: { ...m, value: done.text, hint } });
  },
  submit: (ui, env) => {
    const modal = ui.modal;
    if (modal?.kind === 'pick') {
      const choice = modal.typing ? modal.text.trim() : (modal.options[modal.cursor] ?? '');
      return { ui: { ...ui, modal: undefined }, effects: [], next: { ...modal.call, text: choice } };
    }
    if (modal?.kind !== 'input') return stay(ui);
    const closed: UiState = { ...ui, modal: undefined };
    const value = modal.value.trim();
    switch (modal.purpose) {
      case 'argument':
        return { ui: closed, effects: [], next: { ...modal.call, text: modal.value } };
      case 'search':
        return startSearch(closed, env, value);
      case 'filter':
        return stay(closed);
      case 'confirm':
        return submitTypedConfirm(closed, modal);
      case 'command': {
        if (!value) return stay(closed);
        const resolved = resolveCommandLine(value, commandLineSources(env));
        if (!resolved.ok) return flash(closed, resolved.error);
        return { ui: closed, effects: [], next: resolved.call };
      }
    }
  },
} satisfies Partial<Record<Command, Handler>>;

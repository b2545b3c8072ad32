/**
 * The dispatcher: a key is resolved in the keymap for the current context,
 * and the row it picks is run — after the one check of its `mutation` flag
 * (read-only hides it, not live disables it), with its `confirms` flag
 * deciding whether the requests it asks for wait on a confirm line. Pure:
 * the container runs the effects.
 */
import type { Command, KeyFlags } from '../keys/keymap.js';
import { bindingOf, resolveBinding, unavailableReason } from '../keys/resolve.js';
import type { Binding } from '../keys/keymap.js';
import { ANSWER_FORM_COMMANDS } from './answer-form.js';
import { HIVE_COMMANDS } from './commands.js';
import { RULE_COMMANDS } from './rule-form.js';
import { CONFIRM_COMMANDS, confirmOrSend } from './confirm.js';
import { EXPORT_COMMANDS } from './export.js';
import { keyContextOf } from './key-context.js';
import { KEPT_COMMANDS } from './kept-commands.js';
import { LIST_COMMANDS } from './list-commands.js';
import { NAVIGATION_COMMANDS } from './navigation.js';
import { CHOICE_COMMANDS } from './pick-list.js';
import { followSelection, rememberSelection } from './selection.js';
import { reportCommands } from './report-commands.js';
import { STREAM_COMMANDS } from './stream-scroll.js';
import { SCHEDULE_COMMANDS } from './schedule-commands.js';
import { TEXT_INPUT_COMMANDS } from './text-input.js';
import { APPROVAL_COMMANDS } from './approval-scroll.js';
import { flash, type Call, type Handler, type KeyEnv, type Result, type UiState } from './ui-state.js';

const HANDLERS: Record<Command, Handler> = {
  ...NAVIGATION_COMMANDS,
  ...STREAM_COMMANDS,
  ...LIST_COMMANDS,
  ...EXPORT_COMMANDS,
  ...HIVE_COMMANDS,
  ...CONFIRM_COMMANDS,
  ...TEXT_INPUT_COMMANDS,
  ...ANSWER_FORM_COMMANDS,
  ...APPROVAL_COMMANDS,
  ...RULE_COMMANDS,
  ...CHOICE_COMMANDS,
  ...SCHEDULE_COMMANDS,
  ...KEPT_COMMANDS,
  ...reportCommands(NAVIGATION_COMMANDS.filter_agent),
};

/** A key as the terminal layer delivers it: Ink's flags, plus a whole paste or a mouse wheel step. */
export interface KeyPress extends KeyFlags {
  /** Pasted text: it goes into the open input whole, and is never read as keys. */
  paste?: string;
  /** A mouse wheel step: scrolls lists and streams like k/j. */
  wheel?: 'up' | 'down';
}

/** Apply one key press: to the rows the cursors are on, whatever arrived since. */
export function handleKey(ui: UiState, env: KeyEnv, input: string, key: KeyPress): Result {
  const result = handleKeyOn(followSelection(ui, env), env, input, key);
  return { ...result, ui: rememberSelection(result.ui, env) };
}

function handleKeyOn(ui: UiState, env: KeyEnv, input: string, key: KeyPress): Result {
  if (key.paste !== undefined) return handlePaste(ui, env, key.paste);
  if (key.wheel) return handleKeyOn(ui, env, '', key.wheel === 'up' ? { upArrow: true } : { downArrow: true });
  const ctx = keyContextOf(ui, env);
  const found = resolveBinding(input, key, ctx);
  if (!found) return { ui, effects: [] };
  // A key in a view replaces the last message; keys in a modal leave it for when the modal closes.
  const start = ctx.mode === 'normal' ? { ...ui, flash: undefined } : ui;
  if ('hidden' in found) return flash(start, unavailableReason(found.hidden, ctx, env.notLiveReason)!);
  return run(start, env, found.binding, { command: found.binding.command, input });
}

/** A paste goes into a text field whole; outside one it does nothing (pasted text is never a command). */
function handlePaste(ui: UiState, env: KeyEnv, text: string): Result {
  const mode = keyContextOf(ui, env).mode;
  const typing = ui.modal?.kind === 'input' || mode === 'answer_text' || mode === 'pick_text';
  if (!typing) return ui.modal ? { ui, effects: [] } : flash(ui, 'paste ignored: open an input first (m, d, /, :)', 'info');
  // One line: newlines in a paste become spaces, so a paste never submits.
  return run(ui, env, bindingOf('insert_text'), { command: 'insert_text', input: text.replace(/\r\n|\r|\n/g, ' ') });
}

/** Run a command by name, as the `:` line does (its first keymap row speaks for it). */
export function runCommand(ui: UiState, env: KeyEnv, call: Call): Result {
  return run(ui, env, bindingOf(call.command), call);
}

function run(ui: UiState, env: KeyEnv, binding: Binding, call: Call): Result {
  const blocked = unavailableReason(binding, env, env.notLiveReason);
  if (blocked) return flash(ui, blocked);
  const out = HANDLERS[call.command](ui, env, call);
  let result: Result = { ui: out.ui, effects: out.effects };
  if (out.ask) result = confirmOrSend(result, out.ask, binding.confirms);
  if (out.next) {
    const then = runCommand(result.ui, env, out.next);
    result = { ui: then.ui, effects: [...result.effects, ...then.effects] };
  }
  return result;
}

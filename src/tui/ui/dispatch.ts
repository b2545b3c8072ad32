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
import { keyContextOf } from './key-context.js';
import { NAVIGATION_COMMANDS } from './navigation.js';
import { STREAM_COMMANDS } from './stream-scroll.js';
import { TEXT_INPUT_COMMANDS } from './text-input.js';
import { flash, type Call, type Handler, type KeyEnv, type Result, type UiState } from './ui-state.js';

const HANDLERS: Record<Command, Handler> = {
  ...NAVIGATION_COMMANDS,
  ...STREAM_COMMANDS,
  ...HIVE_COMMANDS,
  ...CONFIRM_COMMANDS,
  ...TEXT_INPUT_COMMANDS,
  ...ANSWER_FORM_COMMANDS,
  ...RULE_COMMANDS,
};

/** Apply one key press. */
export function handleKey(ui: UiState, env: KeyEnv, input: string, key: KeyFlags): Result {
  const ctx = keyContextOf(ui, env);
  const found = resolveBinding(input, key, ctx);
  if (!found) return { ui, effects: [] };
  // A key in a view replaces the last message; keys in a modal leave it for when the modal closes.
  const start = ctx.mode === 'normal' ? { ...ui, flash: undefined } : ui;
  if ('hidden' in found) return flash(start, unavailableReason(found.hidden, ctx, env.notLiveReason)!);
  return run(start, env, found.binding, { command: found.binding.command, input });
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
  if (out.ask) result = confirmOrSend(result, out.ask, Boolean(binding.confirms));
  if (out.next) {
    const then = runCommand(result.ui, env, out.next);
    result = { ui: then.ui, effects: [...result.effects, ...then.effects] };
  }
  return result;
}

/**
 * Reading the keymap in a context: which rows apply, whether a row may be
 * used (read-only hides every mutation, decisions-only every mutation HTTP
 * does not take; while not live they show but are disabled — decided here
 * and nowhere else), and which row a key picks.
 */
import { KEYMAP, type Binding, type Command, type ContextFlags, type KeyContext, type KeyFlags, type KeySpec } from './keymap.js';

/** Whether a row can be used in a context. */
export type Availability = 'enabled' | 'disabled' | 'hidden';

/** The mutations the HTTP API takes: a console attached over HTTP with a token offers these and no others. */
export const DECISION_COMMANDS: ReadonlySet<Command> = new Set<Command>(['approve', 'deny', 'answer', 'cancel_question', 'answer_send']);

/** Read-only hides every mutation, decisions-only every other one; while not live they stay visible but disabled. */
export function availability(binding: Pick<Binding, 'mutation' | 'command'>, ctx: Pick<KeyContext, 'readOnly' | 'live' | 'decisionsOnly'>): Availability {
  if (!binding.mutation) return 'enabled';
  if (ctx.readOnly || (ctx.decisionsOnly && !DECISION_COMMANDS.has(binding.command))) return 'hidden';
  return ctx.live ? 'enabled' : 'disabled';
}

/** The sentence for a row that cannot be used, if it cannot. */
export function unavailableReason(binding: Pick<Binding, 'mutation' | 'command'>, ctx: Pick<KeyContext, 'readOnly' | 'live' | 'decisionsOnly'>, notLiveReason: string): string | undefined {
  switch (availability(binding, ctx)) {
    case 'hidden':
      return ctx.readOnly ? 'read-only: actions are hidden' : 'over HTTP only approve, deny, answer and cancel are offered; use the host socket for the rest';
    case 'disabled':
      return `actions are disabled: ${notLiveReason}`;
    case 'enabled':
      return undefined;
  }
}

/** The view and mode (and flags) fit; the selected item is checked apart. */
export function appliesIn(b: Binding, ctx: Pick<KeyContext, 'view' | 'mode' | 'flags'>): boolean {
  if (b.views && !b.views.includes(ctx.view)) return false;
  if (!(b.modes ?? ['normal']).includes(ctx.mode)) return false;
  if (b.when) {
    for (const [flag, want] of Object.entries(b.when) as [keyof ContextFlags, boolean][]) {
      if (Boolean(ctx.flags?.[flag]) !== want) return false;
    }
  }
  return true;
}

/** The row acts on the kind of item under the cursor. */
export function fitsItem(b: Binding, ctx: Pick<KeyContext, 'item'>): boolean {
  return !b.items || b.items.includes(ctx.item);
}

/** Rows that apply in a context and are not hidden, in table order. */
export function bindingsFor(ctx: KeyContext): Binding[] {
  return KEYMAP.filter((b) => appliesIn(b, ctx) && fitsItem(b, ctx) && availability(b, ctx) !== 'hidden');
}

/** Printable text from a key press (pastes arrive as several characters). */
export function printableText(input: string, key: KeyFlags): string {
  if (key.ctrl || key.meta || key.escape || key.return || key.tab) return '';
  // eslint-disable-next-line no-control-regex
  return input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function matches(spec: KeySpec, input: string, key: KeyFlags): boolean {
  if ('named' in spec) return Boolean(key[spec.named]) && (spec.shift === undefined || Boolean(key.shift) === spec.shift);
  if ('char' in spec) {
    if (spec.ctrl) return Boolean(key.ctrl) && input.toLowerCase() === spec.char;
    return !key.ctrl && !key.meta && input === spec.char;
  }
  if ('digit' in spec) return !key.ctrl && !key.meta && /^[1-9]$/.test(input);
  if ('text' in spec) return !key.backspace && !key.delete && printableText(input, key) !== '';
  return true;
}

/** What a key picks in a context. */
export type KeyResolution =
  /** A row to run. `fits` is false when the row wants another kind of item (its command then says so). */
  | { binding: Binding; fits: boolean }
  /** Only rows hidden by read-only take this key. */
  | { hidden: Binding }
  | undefined;

/**
 * The row a key picks: the first that applies and fits the selected item;
 * else, if read-only hides the one that would, that; else the first that
 * applies to another kind of item (so `a` on a question can say "no approval
 * selected"); else a hidden one (so read-only can say why nothing happened).
 */
export function resolveBinding(input: string, key: KeyFlags, ctx: KeyContext): KeyResolution {
  let hiddenFit: Binding | undefined;
  let otherItem: Binding | undefined;
  let hiddenOther: Binding | undefined;
  for (const b of KEYMAP) {
    if (!appliesIn(b, ctx) || !b.keys.some((k) => matches(k, input, key))) continue;
    const hidden = availability(b, ctx) === 'hidden';
    if (fitsItem(b, ctx)) {
      if (!hidden) return { binding: b, fits: true };
      hiddenFit ??= b;
    } else if (hidden) hiddenOther ??= b;
    else otherItem ??= b;
  }
  if (hiddenFit) return { hidden: hiddenFit };
  if (otherItem) return { binding: otherItem, fits: false };
  return hiddenOther ? { hidden: hiddenOther } : undefined;
}

/** The command a key runs in a context (a row for the selected item, not hidden), if any. */
export function resolveKey(input: string, key: KeyFlags, ctx: KeyContext): Command | undefined {
  const found = resolveBinding(input, key, ctx);
  return found && 'binding' in found && found.fits ? found.binding.command : undefined;
}

/** The row that speaks for a command run by name (from the `:` line or a submitted input): its first row. */
export function bindingOf(command: Command): Binding {
  return KEYMAP.find((b) => b.command === command)!;
}

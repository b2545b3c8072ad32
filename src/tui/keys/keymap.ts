/**
 * The keymap: one table of bindings from which key resolution, the footer's
 * hints, the help view and the `:` command line are all generated.
 */

/** The views a binding can apply in. */
export type ViewName = 'agents' | 'stream' | 'attention' | 'approval' | 'stats' | 'help';

/** Everything a key can ask for. */
export type Command =
  | 'quit'
  | 'force_quit'
  | 'back'
  | 'help'
  | 'command_line'
  | 'view_agents'
  | 'view_attention'
  | 'view_stats'
  | 'next_view'
  | 'up'
  | 'down'
  | 'page_up'
  | 'page_down'
  | 'top'
  | 'bottom'
  | 'open'
  | 'approve'
  | 'deny'
  | 'cancel_question'
  | 'mark_read'
  | 'message'
  | 'pause'
  | 'restart'
  | 'cancel_turn'
  | 'new_session'
  | 'set_model'
  | 'tile'
  | 'focus_next_pane'
  | 'search'
  | 'search_next'
  | 'search_prev'
  | 'prev_turn'
  | 'next_turn'
  | 'sort_next'
  | 'sort_reverse'
  | 'filter_agent';

/** The subset of Ink's key flags the keymap reads. */
export interface KeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  meta?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

type NamedKey = 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'tab';

/** One key: a printable character, or a named key, optionally with ctrl. */
export type KeySpec = { char: string; ctrl?: boolean } | { named: NamedKey; shift?: boolean };

/** One binding: which keys, where, what it does, how it is described. */
export interface Binding {
  command: Command;
  keys: KeySpec[];
  /** How the keys are written in help and hints. */
  label: string;
  help: string;
  /** Views it applies in; omitted = every view. */
  views?: ViewName[];
  /** Changes the hive: hidden when read-only, disabled while not live. */
  mutation?: boolean;
  /** Asks for confirmation first. */
  confirms?: boolean;
  /** Shown in the footer. */
  hint?: string;
  /** Name on the `:` command line. */
  cmdName?: string;
}

const AGENT_VIEWS: ViewName[] = ['agents', 'stream'];
const LIST_VIEWS: ViewName[] = ['agents', 'attention', 'stats', 'stream', 'approval', 'help'];

/** Every binding, in help order. */
export const KEYMAP: readonly Binding[] = [
  { command: 'view_agents', keys: [{ char: '1' }], label: '1', help: 'agents (roster)', hint: 'agents', cmdName: 'agents' },
  { command: 'view_attention', keys: [{ char: '2' }], label: '2', help: 'attention queue (approvals, questions, messages)', hint: 'attention', cmdName: 'attention' },
  { command: 'view_stats', keys: [{ char: '3' }], label: '3', help: 'per-turn stats', hint: 'stats', cmdName: 'stats' },
  { command: 'next_view', keys: [{ named: 'tab' }], label: 'Tab', help: 'next view' },
  { command: 'help', keys: [{ char: '?' }], label: '?', help: 'help for this view', hint: 'help', cmdName: 'help' },
  { command: 'command_line', keys: [{ char: ':' }], label: ':', help: 'command line (:agents :attention :stats :help :q)' },
  { command: 'back', keys: [{ named: 'escape' }], label: 'Esc', help: 'back (never quits)', hint: 'back' },
  { command: 'quit', keys: [{ char: 'q' }], label: 'q', help: 'quit (from a top view; elsewhere back)', hint: 'quit', cmdName: 'q' },
  { command: 'force_quit', keys: [{ char: 'c', ctrl: true }], label: 'Ctrl-C', help: 'quit from anywhere' },
  { command: 'up', keys: [{ char: 'k' }, { named: 'upArrow' }], label: 'k/↑', help: 'move up / scroll up', views: LIST_VIEWS },
  { command: 'down', keys: [{ char: 'j' }, { named: 'downArrow' }], label: 'j/↓', help: 'move down / scroll down', views: LIST_VIEWS },
  { command: 'page_up', keys: [{ named: 'pageUp' }, { char: 'u', ctrl: true }], label: 'PgUp', help: 'page up', views: LIST_VIEWS },
  { command: 'page_down', keys: [{ named: 'pageDown' }, { char: 'd', ctrl: true }], label: 'PgDn', help: 'page down', views: LIST_VIEWS },
  { command: 'top', keys: [{ char: 'g' }, { named: 'home' }], label: 'g/Home', help: 'top', views: LIST_VIEWS },
  { command: 'bottom', keys: [{ char: 'G' }, { named: 'end' }], label: 'G/End', help: 'bottom (streams: follow the tail again)', views: LIST_VIEWS },
  { command: 'open', keys: [{ named: 'return' }], label: 'Enter', help: 'open (stream, approval, answer form)', views: ['agents', 'attention'], hint: 'open' },
  { command: 'approve', keys: [{ char: 'a' }], label: 'a', help: 'approve (confirm with y)', views: ['attention', 'approval'], mutation: true, confirms: true, hint: 'approve' },
  { command: 'deny', keys: [{ char: 'd' }], label: 'd', help: 'deny with a note', views: ['attention', 'approval'], mutation: true, hint: 'deny' },
  { command: 'cancel_question', keys: [{ char: 'x' }], label: 'x', help: 'cancel the question (confirm)', views: ['attention'], mutation: true, confirms: true },
  { command: 'mark_read', keys: [{ char: 'r' }], label: 'r', help: 'mark the operator message read', views: ['attention'], mutation: true },
  { command: 'message', keys: [{ char: 'm' }], label: 'm', help: 'message the agent', views: AGENT_VIEWS, mutation: true, hint: 'msg' },
  { command: 'pause', keys: [{ char: 'p' }], label: 'p', help: 'pause / resume the agent (confirm)', views: AGENT_VIEWS, mutation: true, confirms: true, hint: 'pause' },
  { command: 'restart', keys: [{ char: 'r' }], label: 'r', help: 'restart the agent (confirm)', views: AGENT_VIEWS, mutation: true, confirms: true },
  { command: 'cancel_turn', keys: [{ char: 'c' }], label: 'c', help: 'cancel the running turn (confirm)', views: AGENT_VIEWS, mutation: true, confirms: true },
  { command: 'search_next', keys: [{ char: 'n' }], label: 'n', help: 'next match (while a search is active)', views: ['stream'] },
  { command: 'new_session', keys: [{ char: 'n' }], label: 'n', help: 'new session (confirm; on a stream: when no search is active)', views: AGENT_VIEWS, mutation: true, confirms: true },
  { command: 'search_prev', keys: [{ char: 'N' }], label: 'N', help: 'previous match', views: ['stream'] },
  { command: 'set_model', keys: [{ char: 'M' }], label: 'M', help: 'set the model (confirm)', views: AGENT_VIEWS, mutation: true, confirms: true },
  { command: 'tile', keys: [{ char: 't' }], label: 't', help: 'add/remove the agent in the tiled stream view', views: ['agents'] },
  { command: 'focus_next_pane', keys: [{ char: 'l' }, { named: 'rightArrow' }], label: 'l/→', help: 'focus the next tiled stream', views: ['stream'] },
  { command: 'search', keys: [{ char: '/' }], label: '/', help: 'search the stream', views: ['stream'], hint: 'search' },
  { command: 'prev_turn', keys: [{ char: '[' }], label: '[', help: 'previous turn', views: ['stream'] },
  { command: 'next_turn', keys: [{ char: ']' }], label: ']', help: 'next turn', views: ['stream'] },
  { command: 'sort_next', keys: [{ char: 's' }], label: 's', help: 'sort by the next column', views: ['stats'], hint: 'sort' },
  { command: 'sort_reverse', keys: [{ char: 'S' }], label: 'S', help: 'reverse the sort', views: ['stats'] },
  { command: 'filter_agent', keys: [{ char: 'f' }], label: 'f', help: 'filter by agent (cycles; empty = all)', views: ['stats'], hint: 'filter' },
];

/** Context a key is resolved in. */
export interface KeyContext {
  view: ViewName;
  readOnly: boolean;
  /** A stream search is active, so `n` means "next match". */
  searching?: boolean;
}

function matches(spec: KeySpec, input: string, key: KeyFlags): boolean {
  if ('named' in spec) return Boolean(key[spec.named]) && (spec.shift === undefined || Boolean(key.shift) === spec.shift);
  if (spec.ctrl) return Boolean(key.ctrl) && input.toLowerCase() === spec.char;
  return !key.ctrl && !key.meta && input === spec.char;
}

/** Bindings that apply in a context (mutations hidden when read-only). */
export function bindingsFor(ctx: KeyContext): Binding[] {
  return KEYMAP.filter((b) => (!b.views || b.views.includes(ctx.view)) && !(ctx.readOnly && b.mutation));
}

/** The command a key asks for in a context, if any. */
export function resolveKey(input: string, key: KeyFlags, ctx: KeyContext): Command | undefined {
  for (const b of bindingsFor(ctx)) {
    if (b.command === 'search_next' && !ctx.searching) continue;
    if (b.command === 'new_session' && ctx.view === 'stream' && ctx.searching) continue;
    if (b.keys.some((k) => matches(k, input, key))) return b.command;
  }
  return undefined;
}

/** Footer hints for a context: `key label` pairs. */
export function footerHints(ctx: KeyContext): { key: string; label: string }[] {
  return bindingsFor(ctx)
    .filter((b) => b.hint)
    .map((b) => ({ key: b.label, label: b.hint! }));
}

/** Help rows for a context: view-specific bindings first, then global ones. */
export function helpRows(ctx: KeyContext): { section: string; rows: { key: string; help: string }[] }[] {
  const all = bindingsFor(ctx);
  const local = all.filter((b) => b.views && b.views.length < LIST_VIEWS.length);
  const general = all.filter((b) => !local.includes(b));
  const row = (b: Binding) => ({ key: b.label, help: b.help });
  return [
    { section: `in ${ctx.view}`, rows: local.map(row) },
    { section: 'everywhere', rows: general.map(row) },
  ].filter((s) => s.rows.length > 0);
}

/** `:` command-line words and the command each runs. */
export function commandLineTable(): Map<string, Command> {
  const table = new Map<string, Command>();
  for (const b of KEYMAP) if (b.cmdName) table.set(b.cmdName, b.command);
  table.set('quit', 'quit');
  return table;
}

/** Resolve a `:` command line; an unknown word is an error sentence. */
export function resolveCommandLine(text: string): { ok: true; command: Command } | { ok: false; error: string } {
  const word = text.trim().replace(/^:/, '').toLowerCase();
  const command = commandLineTable().get(word);
  if (command) return { ok: true, command };
  const known = [...commandLineTable().keys()].map((k) => `:${k}`).join(' ');
  return { ok: false, error: `unknown command ":${word.slice(0, 40)}" — try ${known}` };
}

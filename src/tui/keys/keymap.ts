/**
 * The keymap: the one table that says which key does what, where. Key
 * resolution (resolve.ts), the footer, the in-view hints, `?` help
 * (hints.ts) and the `:` command line (command-line.ts) are all read from
 * it, and the dispatcher (ui/dispatch.ts) reads each row's `mutation` and
 * `confirms` flags. A row applies in a context: the view, the mode (who owns
 * the keyboard), the kind of item under the cursor, and a few flags.
 */

/** The views a binding can apply in. */
export type ViewName = 'agents' | 'stream' | 'attention' | 'inbox' | 'approval' | 'stats' | 'schedules' | 'help' | 'search' | 'recap' | 'traffic' | 'rules';

/** Who owns the keyboard: the view (`normal`), or a modal on top of it. */
export type Mode = 'normal' | 'confirm' | 'input' | 'search' | 'filter' | 'command' | 'answer' | 'answer_text' | 'pick' | 'pick_text' | 'rule';

/** Every mode, in the order help lists them. */
export const MODES: readonly Mode[] = ['normal', 'confirm', 'input', 'search', 'filter', 'command', 'answer', 'answer_text', 'pick', 'pick_text', 'rule'];

/** What the cursor is on, as far as keys are concerned. */
export type ItemKind = 'agent' | 'kept' | 'approval' | 'question' | 'message' | 'turn' | 'schedule' | 'rule' | HoldItemKind | 'none';

/** Attention items about an agent's own state: claude's login, a budget (its pause or warning), an account's usage limit. */
export type HoldItemKind = 'login' | 'budget' | 'limit';

/** Facts about the context, beyond view, mode and item, that some rows depend on. */
export interface ContextFlags {
  /** The focused stream has an active search, so `n` means "next match". */
  searching: boolean;
  /** The question being answered takes several options. */
  multiChoice: boolean;
  /** The question being answered has no options, only free text. */
  freeTextOnly: boolean;
  /** The selected approval is a tool call claude waits on (`tool_permission`). */
  toolApproval: boolean;
  /** The selected attention item pauses agents (a budget warning does not). */
  holdPaused: boolean;
}

/** Everything a key can ask for. */
export type Command =
  | 'quit'
  | 'force_quit'
  | 'switch_context'
  | 'back'
  | 'help'
  | 'command_line'
  | 'view_agents'
  | 'view_attention'
  | 'view_stats'
  | 'view_inbox'
  | 'view_traffic'
  | 'view_recap'
  | 'search_hive'
  | 'follow'
  | 'next_view'
  | 'up'
  | 'down'
  | 'page_up'
  | 'page_down'
  | 'top'
  | 'bottom'
  | 'open'
  | 'open_stream'
  | 'answer'
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
  | 'login'
  | 'set_budget'
  | 'tile'
  | 'focus_next_pane'
  | 'focus_prev_pane'
  | 'filter'
  | 'mark'
  | 'copy'
  | 'pager'
  | 'pager_turn'
  | 'search'
  | 'search_next'
  | 'search_prev'
  | 'prev_turn'
  | 'next_turn'
  | 'sort_next'
  | 'sort_reverse'
  | 'filter_agent'
  // The approval view's diff.
  | 'next_file'
  | 'prev_file'
  | 'rebase_diff'
  | 'view_schedules'
  | 'propose_schedule'
  | 'schedule_pause'
  | 'schedule_delete'
  // Modal commands.
  | 'confirm_yes'
  | 'confirm_no'
  | 'submit'
  | 'cancel'
  | 'insert_text'
  | 'delete_char'
  | 'complete'
  | 'option_pick'
  | 'option_next'
  | 'option_prev'
  | 'option_toggle'
  | 'answer_free_text'
  | 'answer_options'
  | 'answer_send'
  // Tool permissions.
  | 'view_rules'
  | 'allow_with_rule'
  | 'deny_with_rule'
  | 'remove_rule'
  | 'rule_save'
  | 'rule_scope'
  | 'rule_expiry_next'
  | 'rule_expiry_prev'
  // Kept agents (destroyed with their state kept).
  | 'view_kept'
  | 'kept_details'
  | 'revive'
  | 'purge'
  // Holds in the attention view.
  | 'raise_budget';

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

/** Keys Ink names with a flag. */
export type NamedKey =
  | 'upArrow'
  | 'downArrow'
  | 'leftArrow'
  | 'rightArrow'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'tab'
  | 'backspace'
  | 'delete';

/** One key: a character (optionally with ctrl), a named key, or a class of keys whose text reaches the command. */
export type KeySpec =
  | { char: string; ctrl?: boolean }
  | { named: NamedKey; shift?: boolean }
  /** 1–9. */
  | { digit: true }
  /** Printable text, typed or pasted. */
  | { text: true }
  /** Any key no earlier row took. */
  | { other: true };

/** One binding: which keys, where, what it does, how it is described. */
export interface Binding {
  command: Command;
  keys: KeySpec[];
  /** How the keys are written in help and hints. */
  label: string;
  help: string;
  /** Views it applies in; omitted = every view. */
  views?: ViewName[];
  /** Modes it applies in; omitted = `normal` only. */
  modes?: Mode[];
  /** Kinds of selected item it acts on; omitted = whatever is selected. */
  items?: ItemKind[];
  /** Flags that must hold (an absent flag counts as false). */
  when?: Partial<ContextFlags>;
  /** Changes the hive: hidden when read-only, disabled while not live. */
  mutation?: boolean;
  /** The request it makes is confirmed first: `true`, on a line only `y` confirms; `'typed'` (irreversible), by typing the name of what it acts on. */
  confirms?: boolean | 'typed';
  /** The mode it opens (so help can describe that mode's keys too). */
  opens?: Mode;
  /** Shown in the footer and the in-view hints. */
  hint?: string;
  /** Names on the `:` command line; the first is the one help shows. */
  cmdNames?: string[];
  /** What the `:` command line takes after the name (see command-line.ts); none when absent. */
  cmdArgs?: CmdArg[];
}

/**
 * One argument of a `:` command: an approval or question id, an agent name,
 * a kept agent's name, a model, or the rest of the line as text. `?` marks one that may be left
 * out (the selected item, or no text, is used).
 */
export type CmdArg = 'approval' | 'approval?' | 'question' | 'question?' | 'message?' | 'schedule?' | 'agent' | 'agent?' | 'kept?' | 'model' | 'text' | 'text?';

/** The context a key is resolved in. */
export interface KeyContext {
  view: ViewName;
  mode: Mode;
  item: ItemKind;
  readOnly: boolean;
  /** Attached over HTTP with a token: only the decisions HTTP takes are offered. */
  decisionsOnly?: boolean;
  live: boolean;
  flags?: Partial<ContextFlags>;
}

const AGENT_VIEWS: ViewName[] = ['agents', 'stream'];
/** Every view; a row listing all of them is a general one in help. */
export const ALL_VIEWS: readonly ViewName[] = ['agents', 'attention', 'inbox', 'stats', 'schedules', 'stream', 'approval', 'help', 'search', 'recap', 'traffic', 'rules'];
/** Views of rows that lead somewhere (search hits, the recap, the traffic). */
export const REPORT_VIEWS: ViewName[] = ['search', 'recap', 'traffic'];
/** Views whose rows `/` filters. */
export const FILTER_VIEWS: ViewName[] = ['agents', 'attention', 'inbox', 'stats', 'schedules'];
const LIST_VIEWS: ViewName[] = [...ALL_VIEWS];
const TEXT_MODES: Mode[] = ['input', 'search', 'filter', 'command', 'answer_text', 'pick_text', 'rule'];
const ENTER: KeySpec = { named: 'return' };
const ESC: KeySpec = { named: 'escape' };
const TAB: KeySpec = { named: 'tab', shift: false };
const SHIFT_TAB: KeySpec = { named: 'tab', shift: true };

/** Every binding, in help order; where two rows take the same key in a context, the first wins. */
export const KEYMAP: readonly Binding[] = [
  { command: 'view_agents', keys: [{ char: '1' }], label: '1', help: 'agents (roster)', hint: 'agents', cmdNames: ['agents', 'roster'] },
  { command: 'view_attention', keys: [{ char: '2' }], label: '2', help: 'attention queue (approvals, questions, held agents, budget warnings, messages)', hint: 'attention', cmdNames: ['attention', 'queue'] },
  { command: 'view_stats', keys: [{ char: '3' }], label: '3', help: 'per-turn stats (:stats NAME shows one agent)', hint: 'stats', cmdNames: ['stats'], cmdArgs: ['agent?'] },
  { command: 'view_inbox', keys: [{ char: '4' }], label: '4', help: 'operator inbox (messages agents sent you, read ones too)', cmdNames: ['inbox'] },
  { command: 'view_schedules', keys: [{ char: '5' }], label: '5', help: 'scheduled prompts (p pauses, x deletes; :schedule proposes one)', cmdNames: ['schedules'] },
  { command: 'view_traffic', keys: [{ char: '6' }], label: '6', help: 'traffic between agents: who sent what to whom, unread/delivered/acked, who waits on whom (:traffic NAME keeps to one agent; 6 again asks afresh)', cmdNames: ['traffic', 'messages'], cmdArgs: ['agent?'] },
  { command: 'search_hive', keys: [], label: ':search TEXT', help: "full-text search of every agent's stored stream, by agent and turn (\"a phrase\", word*)", cmdNames: ['search', 'grep'], cmdArgs: ['text'] },
  { command: 'view_recap', keys: [], label: ':recap [2h]', help: 'what happened while you were away: the recap shown on attach again (else since your last look), or for the time given (30m, 2h, 1d)', cmdNames: ['recap'], cmdArgs: ['text?'] },
  { command: 'focus_next_pane', keys: [TAB, { char: 'L' }, { char: 'l' }, { named: 'rightArrow' }], label: 'Tab/L', help: 'next tiled stream (hidden panes come into view)', views: ['stream'] },
  { command: 'focus_prev_pane', keys: [SHIFT_TAB, { char: 'H' }, { char: 'h' }, { named: 'leftArrow' }], label: 'S-Tab/H', help: 'previous tiled stream', views: ['stream'] },
  { command: 'next_view', keys: [TAB], label: 'Tab', help: 'next view (agents → attention → stats → inbox → schedules)' },
  { command: 'help', keys: [{ char: '?' }], label: '?', help: 'help for this view (j/k scroll it)', hint: 'help', cmdNames: ['help'] },
  { command: 'command_line', keys: [{ char: ':' }], label: ':', help: 'command line: :approve 3, :deny 3 note, :answer 7 2, :send iris text, :model iris sonnet, :pause iris, :restart iris, :stats iris, :search flaky test, :recap 2h, :traffic iris, view names (Tab completes)', hint: 'cmd', opens: 'command' },
  { command: 'back', keys: [ESC], label: 'Esc', help: 'clear the search, filter or marks first; then back (never quits)', hint: 'back' },
  { command: 'quit', keys: [{ char: 'q' }], label: 'q', help: 'quit (from a top view; elsewhere back)', hint: 'quit' },
  { command: 'switch_context', keys: [], label: ':ctx NAME', help: 'switch to another hive of the contexts file (:ctx alone lists them)', cmdNames: ['ctx'], cmdArgs: ['text?'] },
  { command: 'force_quit', keys: [{ char: 'c', ctrl: true }], label: 'Ctrl-C', help: 'quit from anywhere', modes: [...MODES], cmdNames: ['q', 'quit'] },
  { command: 'up', keys: [{ char: 'k' }, { named: 'upArrow' }], label: 'k/↑', help: 'move up / scroll up (the mouse wheel too)', views: LIST_VIEWS },
  { command: 'down', keys: [{ char: 'j' }, { named: 'downArrow' }], label: 'j/↓', help: 'move down / scroll down (the mouse wheel too)', views: LIST_VIEWS },
  { command: 'page_up', keys: [{ named: 'pageUp' }, { char: 'u', ctrl: true }], label: 'PgUp', help: 'page up', views: LIST_VIEWS },
  { command: 'page_down', keys: [{ named: 'pageDown' }, { char: 'd', ctrl: true }], label: 'PgDn', help: 'page down', views: LIST_VIEWS },
  { command: 'top', keys: [{ char: 'g' }, { named: 'home' }], label: 'g/Home', help: 'top', views: LIST_VIEWS },
  { command: 'bottom', keys: [{ char: 'G' }, { named: 'end' }], label: 'G/End', help: 'bottom (streams: follow the tail again)', views: LIST_VIEWS },
  { command: 'open', keys: [ENTER], label: 'Enter', help: 'open what waits on the agent (approval, answer form, message), else its stream (l opens the stream)', views: ['agents'], items: ['agent'], hint: 'open' },
  { command: 'open_stream', keys: [{ char: 'l' }, { named: 'rightArrow' }], label: 'l/→', help: 'open its stream (with the tiled agents), even when something waits on it', views: ['agents'], items: ['agent'], hint: 'stream', cmdNames: ['stream', 'logs'], cmdArgs: ['agent?'] },
  { command: 'follow', keys: [ENTER], label: 'Enter', help: "go to the row's turn in its stream (older history paged in), or its approval, question, message or agent", views: REPORT_VIEWS, hint: 'go' },
  { command: 'open', keys: [ENTER], label: 'Enter', help: 'open the approval and its diff', views: ['attention'], items: ['approval'], hint: 'diff' },
  { command: 'answer', keys: [ENTER], label: 'Enter', help: 'answer the question (form)', views: ['attention'], items: ['question'], mutation: true, opens: 'answer', hint: 'answer', cmdNames: ['answer'], cmdArgs: ['question', 'text?'] },
  { command: 'mark', keys: [{ char: ' ' }], label: 'Space', help: 'mark the row (a/d/p/r then act on every marked row, after one confirmation)', views: ['agents', 'attention'], hint: 'mark' },
  { command: 'approve', keys: [{ char: 'a' }], label: 'a', help: 'approve, or every marked approval (confirm with y)', views: ['attention', 'approval'], items: ['approval'], mutation: true, confirms: true, hint: 'approve', cmdNames: ['approve'], cmdArgs: ['approval?'] },
  { command: 'deny', keys: [{ char: 'd' }], label: 'd', help: 'deny with a note, or every marked approval (confirm)', views: ['attention', 'approval'], items: ['approval'], mutation: true, opens: 'input', hint: 'deny', cmdNames: ['deny'], cmdArgs: ['approval?', 'text?'] },
  { command: 'cancel_question', keys: [{ char: 'x' }], label: 'x', help: 'cancel the question (confirm)', views: ['attention'], items: ['question'], mutation: true, confirms: true, hint: 'cancel question', cmdNames: ['cancel-question'], cmdArgs: ['question?'] },
  { command: 'mark_read', keys: [{ char: 'r' }], label: 'r', help: 'mark the operator message read, or every marked one', views: ['attention', 'inbox'], items: ['message'], mutation: true, hint: 'mark read', cmdNames: ['read'], cmdArgs: ['message?'] },
  { command: 'message', keys: [{ char: 'm' }], label: 'm', help: 'message the agent', views: AGENT_VIEWS, items: ['agent'], mutation: true, opens: 'input', hint: 'msg', cmdNames: ['send', 'msg'], cmdArgs: ['agent', 'text'] },
  { command: 'pause', keys: [{ char: 'p' }], label: 'p', help: 'pause / resume the agent, or every marked one (confirm)', views: AGENT_VIEWS, items: ['agent'], mutation: true, confirms: true, hint: 'pause', cmdNames: ['pause', 'resume'], cmdArgs: ['agent?'] },
  { command: 'restart', keys: [{ char: 'r' }], label: 'r', help: 'restart the agent (confirm)', views: AGENT_VIEWS, items: ['agent'], mutation: true, confirms: true, cmdNames: ['restart'], cmdArgs: ['agent?'] },
  { command: 'cancel_turn', keys: [{ char: 'c' }], label: 'c', help: 'cancel the running turn (confirm)', views: AGENT_VIEWS, items: ['agent'], mutation: true, confirms: true, cmdNames: ['cancel-turn'], cmdArgs: ['agent?'] },
  { command: 'search_next', keys: [{ char: 'n' }], label: 'n', help: 'repeat the search (up, as it went), wrapping round with "search wrapped"', views: ['stream'], when: { searching: true } },
  { command: 'new_session', keys: [{ char: 'n' }], label: 'n', help: 'new session (confirm; on a stream: when no search is active)', views: AGENT_VIEWS, items: ['agent'], when: { searching: false }, mutation: true, confirms: true, cmdNames: ['new-session'], cmdArgs: ['agent?'] },
  { command: 'search_prev', keys: [{ char: 'N' }], label: 'N', help: 'repeat the search the other way (down), wrapping round', views: ['stream'] },
  { command: 'set_model', keys: [{ char: 'M' }], label: 'M', help: 'set the model: pick one the hive takes (confirm)', views: AGENT_VIEWS, items: ['agent'], mutation: true, confirms: true, opens: 'pick', cmdNames: ['model'], cmdArgs: ['agent', 'model'] },
  { command: 'login', keys: [{ char: 'L' }], label: 'L', help: 'log the agent\'s claude in: the core runs claude\'s login, shows its sign-in address, and the code you paste goes back to it', views: ['agents'], items: ['agent'], mutation: true, opens: 'input', hint: 'login', cmdNames: ['login'], cmdArgs: ['agent?'] },
  { command: 'set_budget', keys: [], label: ':budget', help: 'set a daily budget in USD (none lifts it): :budget iris 10, :budget hive 50 (confirm; agents it no longer holds resume)', mutation: true, confirms: true, cmdNames: ['budget'], cmdArgs: ['text'] },
  { command: 'tile', keys: [{ char: 't' }], label: 't', help: 'add/remove the agent in the tiled stream view', views: ['agents'], items: ['agent'] },
  { command: 'sort_next', keys: [{ char: 's' }], label: 's', help: 'sort: needs you first → by name → by CPU → by memory (the last two where the core samples them; the sort shows in the title)', views: ['agents'], hint: 'sort' },
  { command: 'filter', keys: [{ char: '/' }], label: '/', help: 'filter the rows as you type (shown in the title; Esc clears it)', views: FILTER_VIEWS, opens: 'filter', hint: 'filter' },
  { command: 'search', keys: [{ char: '/' }], label: '/', help: 'search the stream up from the bottom (the search shows in the pane title until Esc)', views: ['stream'], opens: 'search', hint: 'search' },
  { command: 'prev_turn', keys: [{ char: '[' }], label: '[', help: 'previous turn header (to the top of the pane)', views: ['stream'] },
  { command: 'next_turn', keys: [{ char: ']' }], label: ']', help: 'next turn header (to the top of the pane)', views: ['stream'] },
  { command: 'copy', keys: [{ char: 'y' }], label: 'y', help: 'copy the selected item (message, question, stream line, diff, a tool call\'s command) to the clipboard (OSC 52)', views: ['agents', 'attention', 'inbox', 'stats', 'stream', 'approval'], hint: 'copy' },
  { command: 'pager', keys: [{ char: 'o' }], label: 'o', help: 'open the selected diff (every page of it), tool call, message or stream in $PAGER (default less -R)', views: ['attention', 'inbox', 'stream', 'approval'], hint: 'pager' },
  { command: 'pager_turn', keys: [{ char: 'O' }], label: 'O', help: 'open the turn at the top of the pane in $PAGER', views: ['stream'] },
  { command: 'sort_next', keys: [{ char: 's' }], label: 's', help: 'sort by the next column', views: ['stats'], hint: 'sort' },
  { command: 'sort_reverse', keys: [{ char: 'S' }], label: 'S', help: 'reverse the sort', views: ['stats'] },
  { command: 'filter_agent', keys: [{ char: 'f' }], label: 'f', help: 'filter by agent (cycles; empty = all)', views: ['stats', 'traffic'], hint: 'agent' },
  { command: 'open', keys: [ENTER], label: 'Enter', help: 'open the approval that decides (or decided) the schedule: a proposed one is approved or denied there', views: ['schedules'], items: ['schedule'], hint: 'approval' },
  { command: 'schedule_pause', keys: [{ char: 'p' }], label: 'p', help: 'pause / resume the schedule (confirm); resumed, it goes on from its next slot', views: ['schedules'], items: ['schedule'], mutation: true, confirms: true, hint: 'pause' },
  { command: 'schedule_delete', keys: [{ char: 'x' }], label: 'x', help: 'delete the schedule (confirm; a proposed one withdraws its approval; :delete-schedule ID from any view)', views: ['schedules'], items: ['schedule'], mutation: true, confirms: true, hint: 'delete', cmdNames: ['delete-schedule'], cmdArgs: ['schedule?'] },
  { command: 'propose_schedule', keys: [], label: ':schedule', help: 'propose a scheduled prompt: :schedule AGENT (every 15m | 0 9 * * 1-5) [tz=ZONE] [catch-up] PROMPT… (it waits for approval)', mutation: true, cmdNames: ['schedule'], cmdArgs: ['text'] },

  // The approval view: a diff file by file (o opens all of it in the pager, above); a tool call has its own keys.
  { command: 'next_file', keys: [{ char: ']' }], label: ']', help: 'next file of the diff', views: ['approval'], when: { toolApproval: false }, hint: 'next file' },
  { command: 'rebase_diff', keys: [{ char: 'b' }], label: 'b', help: 'when the agent\'s deployed commit moved since the request: the diff against what it runs now (b again: as requested)', views: ['approval'], when: { toolApproval: false }, items: ['approval'] },
  { command: 'prev_file', keys: [{ char: '[' }], label: '[', help: 'previous file of the diff (this file\'s start, when inside it)', views: ['approval'], when: { toolApproval: false } },

  // Tool permissions: decide a tool call and save a rule for calls like it; the rules view.
  { command: 'allow_with_rule', keys: [{ char: 'A' }], label: 'A', help: 'allow the tool call and save a rule for calls like it (edit it first)', views: ['attention', 'approval'], items: ['approval'], when: { toolApproval: true }, mutation: true, opens: 'rule', hint: 'allow + rule' },
  { command: 'deny_with_rule', keys: [{ char: 'D' }], label: 'D', help: 'deny the tool call and save a deny rule for calls like it', views: ['attention', 'approval'], items: ['approval'], when: { toolApproval: true }, mutation: true, opens: 'rule', hint: 'deny + rule' },
  { command: 'view_rules', keys: [{ char: '7' }], label: '7', help: 'tool-permission rules (hits, last use, expiry)', hint: 'rules', cmdNames: ['rules'] },
  { command: 'remove_rule', keys: [{ char: 'x' }], label: 'x', help: 'remove the rule (confirm; config rules are changed in the config)', views: ['rules'], items: ['rule'], mutation: true, confirms: true, hint: 'remove' },

  // Kept agents (destroyed with their state kept): their rows sit below the roster's agents.
  { command: 'kept_details', keys: [ENTER], label: 'Enter', help: 'what is known of the kept agent: kept since when, its last deployed commit, why it was destroyed', views: ['agents'], items: ['kept'], hint: 'details' },
  { command: 'revive', keys: [{ char: 'r' }], label: 'r', help: 'revive the kept agent: queues a spawn approval that brings it back on its last deployed commit (confirm)', views: ['agents'], items: ['kept'], mutation: true, confirms: true, hint: 'revive', cmdNames: ['revive'], cmdArgs: ['kept?'] },
  { command: 'purge', keys: [{ char: 'x' }], label: 'x', help: 'purge the kept agent: deletes its config repos, notes and history for good (type its name to confirm)', views: ['agents'], items: ['kept'], mutation: true, confirms: 'typed', hint: 'purge', cmdNames: ['purge'], cmdArgs: ['kept?'] },
  { command: 'view_kept', keys: [], label: ':kept', help: 'the kept agents: the cursor goes to the first of them, below the roster', cmdNames: ['kept'] },

  // Holds in the attention view (an agent's login, a budget's pause or warning, an account's usage limit): the roster's keys for them.
  { command: 'open', keys: [ENTER], label: 'Enter', help: 'open the stream of the agent it holds', views: ['attention'], items: ['login', 'budget', 'limit'], hint: 'stream' },
  { command: 'login', keys: [{ char: 'L' }], label: 'L', help: 'log the agent\'s claude in (as L on the roster)', views: ['attention'], items: ['login'], mutation: true, opens: 'input', hint: 'login' },
  { command: 'pause', keys: [{ char: 'p' }], label: 'p', help: 'resume the agents it pauses (confirm; past a daily budget: for today)', views: ['attention'], items: ['budget', 'limit'], when: { holdPaused: true }, mutation: true, confirms: true, hint: 'resume' },
  { command: 'raise_budget', keys: [{ char: 'B' }], label: 'B', help: 'raise that budget: daily, per-turn or the hive\'s (USD or none; confirm)', views: ['attention'], items: ['budget'], mutation: true, confirms: true, opens: 'input', hint: 'raise budget' },

  // A confirm line: only `y` confirms, so the destructive choice is never the default.
  { command: 'confirm_yes', keys: [{ char: 'y' }], label: 'y', help: 'confirm', modes: ['confirm'], hint: 'confirm' },
  { command: 'confirm_no', keys: [{ other: true }], label: 'any other key', help: 'cancel (Enter and Esc cancel too)', modes: ['confirm'], hint: 'cancels' },

  // The answer form: pick options, or type a free-text answer.
  { command: 'option_pick', keys: [{ digit: true }], label: '1–9', help: 'pick that option (several allowed: toggle it)', modes: ['answer'], hint: 'pick' },
  { command: 'option_pick', keys: [{ digit: true }], label: '1–9', help: 'move to that choice', modes: ['pick'], hint: 'pick' },
  { command: 'option_next', keys: [{ char: 'j' }, { named: 'downArrow' }], label: 'j/↓', help: 'next option', modes: ['answer', 'pick'], hint: 'next' },
  { command: 'option_prev', keys: [{ char: 'k' }, { named: 'upArrow' }], label: 'k/↑', help: 'previous option', modes: ['answer', 'pick'], hint: 'prev' },
  { command: 'option_toggle', keys: [{ char: ' ' }], label: 'Space', help: 'toggle the option (several allowed)', modes: ['answer'], when: { multiChoice: true }, hint: 'toggle' },
  { command: 'answer_free_text', keys: [{ char: 'e' }], label: 'e', help: 'type a free-text answer instead', modes: ['answer'], opens: 'answer_text', hint: 'free text' },
  { command: 'answer_free_text', keys: [{ char: 'e' }], label: 'e', help: 'type a name instead (e.g. a full claude-… model)', modes: ['pick'], opens: 'pick_text', hint: 'type' },
  { command: 'answer_send', keys: [ENTER], label: 'Enter', help: 'send the answer', modes: ['answer', 'answer_text'], mutation: true, hint: 'send' },
  { command: 'submit', keys: [ENTER], label: 'Enter', help: 'choose', modes: ['pick', 'pick_text'], hint: 'choose' },
  { command: 'answer_options', keys: [ESC], label: 'Esc', help: 'back to the options', modes: ['answer_text'], when: { freeTextOnly: false }, hint: 'options' },
  { command: 'answer_options', keys: [ESC], label: 'Esc', help: 'back to the list', modes: ['pick_text'], hint: 'list' },

  // The rule form (A/D on a tool approval): edit the rule, pick its scope and how long it lasts.
  { command: 'rule_save', keys: [ENTER], label: 'Enter', help: 'decide the call and save the rule', modes: ['rule'], mutation: true, hint: 'save' },
  { command: 'rule_scope', keys: [{ named: 'tab' }], label: 'Tab', help: 'scope: this agent ⇄ the whole hive', modes: ['rule'], hint: 'scope' },
  { command: 'rule_expiry_next', keys: [{ named: 'downArrow' }], label: '↓', help: 'lasts longer (until removed, 1 h, 8 h, 24 h, 7 d)', modes: ['rule'], hint: 'expiry' },
  { command: 'rule_expiry_prev', keys: [{ named: 'upArrow' }], label: '↑', help: 'lasts shorter', modes: ['rule'] },

  // Text inputs: a deny note, a message, a search, a filter, the command line, a free-text answer.
  { command: 'submit', keys: [ENTER], label: 'Enter', help: 'send', modes: ['input'], hint: 'send' },
  { command: 'submit', keys: [ENTER], label: 'Enter', help: 'search up from the bottom of the pane', views: ['stream'], modes: ['search'], hint: 'search' },
  { command: 'submit', keys: [ENTER], label: 'Enter', help: 'keep the filter and go back to the rows', modes: ['filter'], hint: 'keep' },
  { command: 'submit', keys: [ENTER], label: 'Enter', help: 'run the command', modes: ['command'], hint: 'run' },
  { command: 'complete', keys: [{ named: 'tab' }], label: 'Tab', help: 'complete the word (commands, agents, ids, models)', modes: ['command'], hint: 'complete' },
  { command: 'cancel', keys: [ESC], label: 'Esc', help: 'clear the filter', modes: ['filter'], hint: 'clear' },
  { command: 'cancel', keys: [ESC], label: 'Esc', help: 'cancel (closes the input, not the view)', modes: ['input', 'search', 'command', 'answer', 'pick', 'rule'], hint: 'cancel' },
  { command: 'cancel', keys: [ESC], label: 'Esc', help: 'cancel the answer', modes: ['answer_text'], when: { freeTextOnly: true }, hint: 'cancel' },
  { command: 'delete_char', keys: [{ named: 'backspace' }, { named: 'delete' }], label: 'Backspace', help: 'delete the last character', modes: TEXT_MODES },
  { command: 'insert_text', keys: [{ text: true }], label: 'text', help: 'typed or pasted text goes into the field', modes: TEXT_MODES },
];

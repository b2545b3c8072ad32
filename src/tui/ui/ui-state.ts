/**
 * The console's UI state (which view, cursors, stream scroll, the modal that
 * owns the keyboard, the message under the view) and the shapes the key
 * handlers share. Keys change it only through the dispatcher (dispatch.ts),
 * which is pure: state, the hive as keys see it, and a key in; the next state
 * and the effects for the container to run out.
 */
import type { AgentStatusRow, Approval, HostRequest, KeptAgent, LoginSession, OperatorMessage, PermissionRule, Schedule, TurnStat } from '../../protocol/index.js';
import type { AttentionItem } from '../client/attention-queue.js';
import type { StreamBuffer } from '../client/stream-buffer.js';
import type { Command, ViewName } from '../keys/keymap.js';
import type { StatsView } from '../stats.js';
import type { Report, ReportName } from '../reports.js';

/** A request the operator has asked for (what is sent, and how it is described). */
export interface PendingRequest {
  request: HostRequest;
  what: string;
  /** The answer's `id` is an approval the request queued (a revival): the message names it. */
  queuesApproval?: boolean;
}

/** A command to run: from a key (with the text it typed), the `:` line, or a submitted input. */
export interface Call {
  command: Command;
  /** The key's text, for rows that take digits or typed text. */
  input?: string;
  /** What it acts on when that is not the selection (an approval id, an agent name). */
  target?: string | number;
  /** The text a command asked for (a deny note, a message, a model). */
  text?: string;
  /** The `:` word it was run by, when that word says more than the command (`:resume`). */
  word?: string;
}

/** The lists `/` filters. */
export type ListName = 'agents' | 'attention' | 'inbox' | 'stats' | 'schedules';

/** The lists Space marks rows in. */
export type MarkList = 'agents' | 'attention';

/** Modal input that owns the keyboard until it closes. */
export type Modal =
  /** `clearMarks`: the marks the requests came from, cleared once they are sent; `quit`: `y` also quits (the demo's console asks before quitting stops its hive). */
  | { kind: 'confirm'; prompt: string; requests: PendingRequest[]; clearMarks?: MarkList; quit?: boolean }
  /** Text a command asked for; Enter runs the command again with it. */
  | { kind: 'input'; purpose: 'argument'; label: string; value: string; call: Call }
  | { kind: 'input'; purpose: 'search'; label: string; value: string }
  /** An irreversible request: sent only when the text typed is `expect` (the name of what it acts on). */
  | { kind: 'input'; purpose: 'confirm'; label: string; value: string; expect: string; requests: PendingRequest[] }
  /** The `:` line; `hint` lists what Tab could complete to. */
  | { kind: 'input'; purpose: 'command'; label: string; value: string; hint?: string }
  /** A filter typed over a list, applied as it is typed. */
  | { kind: 'input'; purpose: 'filter'; list: ListName; label: string; value: string }
  | { kind: 'answer'; questionId: number; cursor: number; picked: number[]; typing: boolean; text: string }
  /** A pick list (a model): Enter runs `call` again with the choice as its text; `e` types one instead. */
  | { kind: 'pick'; title: string; options: string[]; current?: string; cursor: number; typing: boolean; text: string; call: Call }
  | RuleForm;

/** The rule form: decide a tool approval and save a rule for calls like it (rule-form.ts). */
export interface RuleForm {
  kind: 'rule';
  approvalId: number;
  /** The agent that asked (the scope when `scope` is `agent`). */
  agent: string;
  effect: 'allow' | 'deny';
  /** The rule, proposed by the core and edited here. */
  text: string;
  scope: 'agent' | 'hive';
  /** Index into RULE_EXPIRIES. */
  expiry: number;
}

/** Scroll state of one stream pane: follow the tail, or hold a line at the bottom. */
export interface StreamScroll {
  follow: boolean;
  /** Absolute position (see `absoluteOf`) of the bottom line while not following. */
  bottom: number;
  search?: string;
}

/** All UI state. */
export interface UiState {
  view: ViewName;
  backStack: ViewName[];
  cursor: Record<ListName, number>;
  /** The row each cursor was put on (its key), so it stays on that row when rows arrive above it. */
  selected: Partial<Record<ListName, string>>;
  /** Text each list is filtered by ('' = none). */
  filters: Record<ListName, string>;
  /** Marked rows: agent names; attention keys (`approval:3`, see `attentionKey`). */
  marks: Record<MarkList, string[]>;
  /** How the roster is ordered. */
  rosterSort: RosterSort;
  /** The rules view's cursor (the rules are no filtered list). */
  rulesCursor?: number;
  /** Agents chosen for the stream view (tiled side by side as many as fit). */
  streamAgents: string[];
  /** Agents marked with `t` for tiling. */
  tiled: string[];
  focusPane: number;
  /** The first pane shown: panes beyond the width are reached by moving the focus. */
  paneStart: number;
  scroll: Record<string, StreamScroll>;
  approvalId?: number;
  approvalScroll: number;
  /** A config change's diff as requested, or recomputed against what its agent runs now (`b`, when the base moved). */
  approvalAgainst?: 'deployed';
  helpScroll: number;
  /** The view the help screen describes. */
  helpFor: ViewName;
  stats: StatsView;
  /** Search results, the recap, the traffic: as last asked for. */
  reports: Partial<Record<ReportName, Report>>;
  /** Each report's cursor: an index among its rows that lead somewhere. */
  reportCursor: Record<ReportName, number>;
  /** A stream position asked for (a search hit, a recap's turn), until the pane holds it and shows it. */
  jump?: { agent: string; seq: number };
  modal?: Modal;
  flash?: { text: string; tone: 'info' | 'error' };
}

/** The roster's order: what needs the operator first, by name (grouped by parent), or heaviest CPU or memory first. */
export type RosterSort = 'needs' | 'name' | 'cpu' | 'memory';

/** The approval view's body as keys see it. */
export interface ApprovalBox {
  id: number;
  /** Rows in the whole body. */
  total: number;
  /** The loaded rows: `from` … `from + loaded - 1`. */
  from: number;
  loaded: number;
  /** Rows the view shows at once. */
  rows: number;
  /** The row each file starts at, in order. */
  fileRows: number[];
}

/** What the hive looks like, as far as keys are concerned. */
export interface KeyEnv {
  live: boolean;
  readOnly: boolean;
  /** Attached over HTTP with a token: only decisions are offered. */
  decisionsOnly?: boolean;
  /** Why actions are disabled while not live. */
  notLiveReason: string;
  /** Roster rows in display order, as filtered. */
  roster: AgentStatusRow[];
  /** Agents destroyed with their state kept, newest first, as filtered: the roster's rows after its agents (absent: none). */
  kept?: readonly KeptAgent[];
  /** Every agent's row, filtered or not. */
  agents: Record<string, AgentStatusRow>;
  /** The attention queue as shown (filtered). */
  attention: AttentionItem[];
  /** The whole attention queue. */
  queue: AttentionItem[];
  /** Operator inbox as shown (newest first, filtered). */
  inbox: OperatorMessage[];
  /** Stats rows as shown. */
  stats: TurnStat[];
  statsAgents: string[];
  /** Each agent's last claude login through the core. */
  logins: Record<string, LoginSession>;
  /** Schedules as shown (filtered). */
  schedules: Schedule[];
  /** The core samples the agents' CPU and memory (the roster can sort by them). */
  sampled: boolean;
  /** Models `set_model` takes (names, or prefixes ending in `*`). */
  models: readonly string[];
  streams: Record<string, StreamBuffer>;
  /** Rows available to a list or stream body. */
  bodyRows: number;
  /** Columns a stream pane's text wraps at. */
  paneWidth: number;
  /** The approval the approval view shows (with the page of its diff that is loaded). */
  approval?: Approval;
  /** That view's body as scrolling sees it. */
  approvalBox?: ApprovalBox;
  /** Lines of the help text, for scrolling. */
  helpLines: number;
  /** How many stream panes fit side by side. */
  maxPanes: number;
  /** Tool-permission rules as the rules view lists them (none when absent). */
  rules?: readonly PermissionRule[];
  /** An approval as far as the console holds it (its kind and tool call); absent: none is known. */
  approvalOf?(id: number): Approval | undefined;
  /** Wall-clock time (tests fix it; default now). */
  nowMs?: number;
  /** q asks this before quitting (the demo: quitting stops its hive); Ctrl-C still quits at once. */
  quitAsks?: string;
}

/** What the container does after a key. */
export type Effect =
  | { type: 'request'; pending: PendingRequest }
  | { type: 'quit' }
  | { type: 'load_older'; agent: string }
  /** Load an approval with its diff (the page holding row `from`, when given). */
  | { type: 'fetch_approval'; id: number; from?: number; against?: 'deployed' }
  /** Put text on the clipboard (OSC 52); `what` names it for the message. */
  | { type: 'copy'; text: string; what: string }
  /** Show text in $PAGER, the console suspended meanwhile. */
  | { type: 'pager'; text: string; what: string }
  /** Show an approval's whole diff (every page of it) in $PAGER; a tool call without a diff, what it would run. */
  | { type: 'pager_approval'; id: number; against?: 'deployed' }
  | { type: 'fetch_rules' }
  /** Show another hive (a context); without a name, say which there are. */
  | { type: 'switch_context'; name?: string }
  /** Ask the core for a report; its answer fills `reports[name]`. */
  | { type: 'report'; name: ReportName; request: HostRequest }
  /** Ask the core for the search page before `before`; its answer is appended to `reports.search`. */
  | { type: 'search_older'; query: string; before: number; limit: number };

/** The next state and the effects to run. */
export interface Result {
  ui: UiState;
  effects: Effect[];
}

/** Requests to the core a command asks for; the dispatcher confirms them first when its row `confirms`. */
export interface Ask {
  prompt: string;
  requests: PendingRequest[];
  /** The requests act on these marked rows: always confirmed, and the marks cleared once sent. */
  clearMarks?: MarkList;
  /** What the operator types to confirm, when the command's row `confirms: 'typed'`. */
  typed?: string;
}

/** What a command handler returns. */
export interface Outcome extends Result {
  ask?: Ask;
  /** A command for the dispatcher to run next (a submitted input, a `:` line). */
  next?: Call;
}

/** One command's handler. */
export type Handler = (ui: UiState, env: KeyEnv, call: Call) => Outcome;

/** The starting UI state. */
export function initialUiState(): UiState {
  return {
    view: 'agents',
    backStack: [],
    cursor: { agents: 0, attention: 0, inbox: 0, stats: 0, schedules: 0 },
    selected: {},
    filters: { agents: '', attention: '', inbox: '', stats: '', schedules: '' },
    marks: { agents: [], attention: [] },
    rosterSort: 'needs',
    streamAgents: [],
    tiled: [],
    focusPane: 0,
    paneStart: 0,
    scroll: {},
    approvalScroll: 0,
    helpScroll: 0,
    helpFor: 'agents',
    stats: { sort: 'time', desc: true },
    reports: {},
    reportCursor: { search: 0, recap: 0, traffic: 0 },
  };
}

/** Nothing changes. */
export const stay = (ui: UiState): Outcome => ({ ui, effects: [] });

/** Show a message under the view. */
export function flash(ui: UiState, text: string, tone: 'info' | 'error' = 'error'): Outcome {
  return { ui: { ...ui, flash: { text, tone } }, effects: [] };
}

export const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/**
 * The console's UI state and what each key does to it. `handleKey` is pure:
 * it takes the state, what the hive looks like, and a key, and returns the
 * next state plus the effects the container must run (requests to the
 * core, quitting, paging history in). Modal inputs (confirm lines, text
 * inputs, the answer form) take every key first, and Esc always cancels them.
 */
import type { AgentStatusRow, HostRequest } from '../protocol/index.js';
import type { AttentionItem } from './client/attention-queue.js';
import { streamLineAt, streamLineCount, type StreamBuffer } from './client/hive-state.js';
import { resolveCommandLine, resolveKey, type Command, type KeyFlags, type ViewName } from './keys/keymap.js';
import { nextAgentFilter, STATS_SORT_KEYS, type StatsView } from './stats.js';

/** A request the operator has asked for (what is sent, and how it is described). */
export interface PendingRequest {
  request: HostRequest;
  what: string;
}

/** Modal input that owns the keyboard until it closes. */
export type Modal =
  | { kind: 'confirm'; prompt: string; pending: PendingRequest }
  | { kind: 'input'; purpose: 'deny' | 'message' | 'model' | 'search' | 'command'; label: string; value: string; target?: string | number }
  | { kind: 'answer'; questionId: number; cursor: number; picked: number[]; typing: boolean; text: string };

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
  cursor: { agents: number; attention: number; stats: number };
  /** Agents shown in the stream view (tiled when wide). */
  streamAgents: string[];
  /** Agents marked with `t` for tiling. */
  tiled: string[];
  focusPane: number;
  scroll: Record<string, StreamScroll>;
  approvalId?: number;
  approvalScroll: number;
  helpScroll: number;
  /** The view the help screen describes. */
  helpFor: ViewName;
  stats: StatsView;
  modal?: Modal;
  flash?: { text: string; tone: 'info' | 'error' };
}

/** What the hive looks like, as far as keys are concerned. */
export interface KeyEnv {
  live: boolean;
  readOnly: boolean;
  /** Why actions are disabled while not live. */
  notLiveReason: string;
  /** Roster rows in display order. */
  roster: AgentStatusRow[];
  attention: AttentionItem[];
  statsCount: number;
  statsAgents: string[];
  streams: Record<string, StreamBuffer>;
  /** Rows available to a list or stream body. */
  bodyRows: number;
  /** Lines in the approval detail (diff + header) for scrolling. */
  approvalLines: number;
  /** How many stream panes fit side by side. */
  maxPanes: number;
}

/** What the container does after a key. */
export type Effect =
  | { type: 'request'; pending: PendingRequest }
  | { type: 'quit' }
  | { type: 'load_older'; agent: string }
  | { type: 'fetch_approval'; id: number };

/** The starting UI state. */
export function initialUiState(): UiState {
  return {
    view: 'agents',
    backStack: [],
    cursor: { agents: 0, attention: 0, stats: 0 },
    streamAgents: [],
    tiled: [],
    focusPane: 0,
    scroll: {},
    approvalScroll: 0,
    helpScroll: 0,
    helpFor: 'agents',
    stats: { sort: 'time', desc: true },
  };
}

const TOP_VIEWS: ViewName[] = ['agents', 'attention', 'stats'];
const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** Absolute position of display line `i` (stable while lines are appended or paged in). */
export function absoluteOf(buffer: StreamBuffer, i: number): number {
  return buffer.ring.appended - buffer.ring.length - buffer.older.length + i;
}

/** Display index of an absolute position (may be out of range). */
export function indexOfAbsolute(buffer: StreamBuffer, abs: number): number {
  return abs - (buffer.ring.appended - buffer.ring.length - buffer.older.length);
}

/** The display index of the bottom line a pane shows. */
export function bottomIndex(buffer: StreamBuffer, scroll: StreamScroll | undefined): number {
  const count = streamLineCount(buffer);
  if (!scroll || scroll.follow) return count - 1;
  return clamp(indexOfAbsolute(buffer, scroll.bottom), Math.min(0, count - 1), count - 1);
}

/** Lines appended below what a paused pane shows. */
export function newBelow(buffer: StreamBuffer, scroll: StreamScroll | undefined): number {
  if (!scroll || scroll.follow) return 0;
  return Math.max(0, streamLineCount(buffer) - 1 - bottomIndex(buffer, scroll));
}

/** The agent the current view acts on, if any. */
export function selectedAgent(ui: UiState, env: KeyEnv): string | undefined {
  if (ui.view === 'stream') return ui.streamAgents[ui.focusPane] ?? ui.streamAgents[0];
  if (ui.view === 'agents') return env.roster[clamp(ui.cursor.agents, 0, env.roster.length - 1)]?.name;
  return undefined;
}

/** The attention item under the cursor. */
export function selectedAttention(ui: UiState, env: KeyEnv): AttentionItem | undefined {
  return env.attention[clamp(ui.cursor.attention, 0, env.attention.length - 1)];
}

type Result = { ui: UiState; effects: Effect[] };

function go(ui: UiState, view: ViewName): UiState {
  if (ui.view === view) return ui;
  const backStack = TOP_VIEWS.includes(view) ? [] : [...ui.backStack, ui.view];
  return { ...ui, view, backStack, modal: undefined, flash: undefined };
}

function back(ui: UiState): UiState {
  const backStack = [...ui.backStack];
  const prev = backStack.pop() ?? (TOP_VIEWS.includes(ui.view) ? ui.view : 'agents');
  const next: UiState = { ...ui, view: prev, backStack, flash: undefined };
  if (ui.view === 'stream' && prev !== 'stream') next.streamAgents = []; // leaving closes the streams
  return next;
}

function confirm(ui: UiState, prompt: string, pending: PendingRequest): Result {
  return { ui: { ...ui, modal: { kind: 'confirm', prompt, pending } }, effects: [] };
}

function flash(ui: UiState, text: string, tone: 'info' | 'error' = 'error'): Result {
  return { ui: { ...ui, flash: { text, tone } }, effects: [] };
}

const MUTATIONS: ReadonlySet<Command> = new Set<Command>([
  'approve', 'deny', 'cancel_question', 'mark_read', 'message', 'pause', 'restart', 'cancel_turn', 'new_session', 'set_model',
]);

/** Apply one key press. */
export function handleKey(ui: UiState, env: KeyEnv, input: string, key: KeyFlags): Result {
  if (key.ctrl && input === 'c') return { ui, effects: [{ type: 'quit' }] };
  if (ui.modal) return handleModalKey(ui, ui.modal, env, input, key);
  const scroll = ui.view === 'stream' ? ui.scroll[ui.streamAgents[ui.focusPane] ?? ''] : undefined;
  const command = resolveKey(input, key, { view: ui.view, readOnly: env.readOnly, searching: Boolean(scroll?.search) });
  if (!command) return { ui, effects: [] };
  return runCommand({ ...ui, flash: undefined }, env, command);
}

/** Run a command (from a key or the `:` line). */
export function runCommand(ui: UiState, env: KeyEnv, command: Command): Result {
  if (MUTATIONS.has(command)) {
    if (env.readOnly) return flash(ui, 'read-only: actions are hidden');
    if (!env.live) return flash(ui, `actions are disabled: ${env.notLiveReason}`);
  }
  switch (command) {
    case 'force_quit':
      return { ui, effects: [{ type: 'quit' }] };
    case 'quit':
      if (TOP_VIEWS.includes(ui.view) && ui.backStack.length === 0) return { ui, effects: [{ type: 'quit' }] };
      return { ui: back(ui), effects: [] };
    case 'back':
      return { ui: back(ui), effects: [] };
    case 'help':
      return { ui: { ...go(ui, 'help'), helpFor: ui.view === 'help' ? ui.helpFor : ui.view, helpScroll: 0 }, effects: [] };
    case 'command_line':
      return { ui: { ...ui, modal: { kind: 'input', purpose: 'command', label: ':', value: '' } }, effects: [] };
    case 'view_agents':
      return { ui: go(ui, 'agents'), effects: [] };
    case 'view_attention':
      return { ui: go(ui, 'attention'), effects: [] };
    case 'view_stats':
      return { ui: go(ui, 'stats'), effects: [] };
    case 'next_view': {
      const i = TOP_VIEWS.indexOf(ui.view);
      return { ui: go(ui, TOP_VIEWS[(i + 1) % TOP_VIEWS.length]!), effects: [] };
    }
    case 'up':
    case 'down':
    case 'page_up':
    case 'page_down':
    case 'top':
    case 'bottom':
      return move(ui, env, command);
    case 'open':
      return open(ui, env);
    case 'approve': {
      const id = approvalTarget(ui, env);
      if (id === undefined) return flash(ui, 'no approval selected');
      return confirm(ui, `approve #${id}?`, { request: { cmd: 'approve', id }, what: `approve #${id}` });
    }
    case 'deny': {
      const id = approvalTarget(ui, env);
      if (id === undefined) return flash(ui, 'no approval selected');
      return { ui: { ...ui, modal: { kind: 'input', purpose: 'deny', label: `deny #${id} — note (optional):`, value: '', target: id } }, effects: [] };
    }
    case 'cancel_question': {
      const item = selectedAttention(ui, env);
      if (item?.kind !== 'question') return flash(ui, 'no question selected');
      return confirm(ui, `cancel question #${item.id} from ${item.question.asker}?`, { request: { cmd: 'cancel_question', id: item.id }, what: `cancel question #${item.id}` });
    }
    case 'mark_read': {
      const item = selectedAttention(ui, env);
      if (item?.kind !== 'message') return flash(ui, 'no operator message selected');
      return { ui, effects: [{ type: 'request', pending: { request: { cmd: 'mark_read', ids: [item.id] }, what: `mark message #${item.id} read` } }] };
    }
    case 'message': {
      const name = selectedAgent(ui, env);
      if (!name) return flash(ui, 'no agent selected');
      return { ui: { ...ui, modal: { kind: 'input', purpose: 'message', label: `message ${name}:`, value: '', target: name } }, effects: [] };
    }
    case 'pause': {
      const name = selectedAgent(ui, env);
      if (!name) return flash(ui, 'no agent selected');
      const paused = env.roster.find((r) => r.name === name)?.paused ?? false;
      const verb = paused ? 'resume' : 'pause';
      return confirm(ui, `${verb} ${name}?`, { request: { cmd: 'set_paused', name, paused: !paused }, what: `${verb} ${name}` });
    }
    case 'restart':
    case 'cancel_turn':
    case 'new_session': {
      const name = selectedAgent(ui, env);
      if (!name) return flash(ui, 'no agent selected');
      if (command === 'restart') return confirm(ui, `restart ${name}?`, { request: { cmd: 'restart', name }, what: `restart ${name}` });
      const action = command;
      const words = command === 'cancel_turn' ? 'cancel the running turn of' : 'start a new session for';
      return confirm(ui, `${words} ${name}?`, { request: { cmd: 'agent_control', name, action }, what: `${words} ${name}` });
    }
    case 'set_model': {
      const name = selectedAgent(ui, env);
      if (!name) return flash(ui, 'no agent selected');
      return { ui: { ...ui, modal: { kind: 'input', purpose: 'model', label: `model for ${name}:`, value: '', target: name } }, effects: [] };
    }
    case 'tile': {
      const name = selectedAgent(ui, env);
      if (!name) return { ui, effects: [] };
      const tiled = ui.tiled.includes(name) ? ui.tiled.filter((n) => n !== name) : [...ui.tiled, name];
      return { ui: { ...ui, tiled, flash: { text: `tiled: ${tiled.join(', ') || 'none'} (Enter opens)`, tone: 'info' } }, effects: [] };
    }
    case 'focus_next_pane':
      return { ui: { ...ui, focusPane: ui.streamAgents.length ? (ui.focusPane + 1) % Math.min(ui.streamAgents.length, env.maxPanes) : 0 }, effects: [] };
    case 'search':
      return { ui: { ...ui, modal: { kind: 'input', purpose: 'search', label: '/', value: '' } }, effects: [] };
    case 'search_next':
    case 'search_prev':
      return searchStep(ui, env, command === 'search_next' ? -1 : 1);
    case 'prev_turn':
    case 'next_turn':
      return turnStep(ui, env, command === 'prev_turn' ? -1 : 1);
    case 'sort_next': {
      const i = STATS_SORT_KEYS.indexOf(ui.stats.sort);
      return { ui: { ...ui, stats: { ...ui.stats, sort: STATS_SORT_KEYS[(i + 1) % STATS_SORT_KEYS.length]! } }, effects: [] };
    }
    case 'sort_reverse':
      return { ui: { ...ui, stats: { ...ui.stats, desc: !ui.stats.desc } }, effects: [] };
    case 'filter_agent':
      return { ui: { ...ui, stats: { ...ui.stats, agent: nextAgentFilter(ui.stats.agent, env.statsAgents) }, cursor: { ...ui.cursor, stats: 0 } }, effects: [] };
  }
}

function approvalTarget(ui: UiState, env: KeyEnv): number | undefined {
  if (ui.view === 'approval') return ui.approvalId;
  const item = selectedAttention(ui, env);
  return item?.kind === 'approval' ? item.id : undefined;
}

function open(ui: UiState, env: KeyEnv): Result {
  if (ui.view === 'agents') {
    const name = selectedAgent(ui, env);
    if (!name) return { ui, effects: [] };
    const agents = ui.tiled.length > 0 ? [name, ...ui.tiled.filter((n) => n !== name)] : [name];
    return { ui: { ...go(ui, 'stream'), streamAgents: agents.slice(0, Math.max(1, env.maxPanes)), focusPane: 0 }, effects: [] };
  }
  if (ui.view === 'attention') {
    const item = selectedAttention(ui, env);
    if (!item) return { ui, effects: [] };
    if (item.kind === 'approval') return { ui: { ...go(ui, 'approval'), approvalId: item.id, approvalScroll: 0 }, effects: [{ type: 'fetch_approval', id: item.id }] };
    if (item.kind === 'question') {
      if (env.readOnly) return flash(ui, 'read-only: answering is hidden');
      if (!env.live) return flash(ui, `actions are disabled: ${env.notLiveReason}`);
      const typing = item.question.options.length === 0;
      return { ui: { ...ui, modal: { kind: 'answer', questionId: item.id, cursor: 0, picked: [], typing, text: '' } }, effects: [] };
    }
    return { ui, effects: [] };
  }
  return { ui, effects: [] };
}

function move(ui: UiState, env: KeyEnv, command: Command): Result {
  const page = Math.max(1, env.bodyRows - 1);
  const delta = command === 'up' ? -1 : command === 'down' ? 1 : command === 'page_up' ? -page : command === 'page_down' ? page : 0;
  const listMove = (pos: number, length: number) => {
    if (command === 'top') return 0;
    if (command === 'bottom') return Math.max(0, length - 1);
    return clamp(pos + delta, 0, Math.max(0, length - 1));
  };
  switch (ui.view) {
    case 'agents':
      return { ui: { ...ui, cursor: { ...ui.cursor, agents: listMove(ui.cursor.agents, env.roster.length) } }, effects: [] };
    case 'attention':
      return { ui: { ...ui, cursor: { ...ui.cursor, attention: listMove(ui.cursor.attention, env.attention.length) } }, effects: [] };
    case 'stats':
      return { ui: { ...ui, cursor: { ...ui.cursor, stats: listMove(ui.cursor.stats, env.statsCount) } }, effects: [] };
    case 'approval':
      return { ui: { ...ui, approvalScroll: listMove(ui.approvalScroll, Math.max(1, env.approvalLines - env.bodyRows + 1)) }, effects: [] };
    case 'help':
      return { ui: { ...ui, helpScroll: listMove(ui.helpScroll, 200) }, effects: [] };
    case 'stream':
      return scrollStream(ui, env, command, delta);
  }
}

function focusedBuffer(ui: UiState, env: KeyEnv): { agent: string; buffer: StreamBuffer } | undefined {
  const agent = ui.streamAgents[ui.focusPane];
  const buffer = agent ? env.streams[agent] : undefined;
  return agent && buffer ? { agent, buffer } : undefined;
}

function withScroll(ui: UiState, agent: string, scroll: StreamScroll): UiState {
  return { ...ui, scroll: { ...ui.scroll, [agent]: scroll } };
}

function scrollStream(ui: UiState, env: KeyEnv, command: Command, delta: number): Result {
  const focused = focusedBuffer(ui, env);
  if (!focused) return { ui, effects: [] };
  const { agent, buffer } = focused;
  const current = ui.scroll[agent];
  const count = streamLineCount(buffer);
  if (command === 'bottom') return { ui: withScroll(ui, agent, { ...current, follow: true, bottom: 0 }), effects: [] };
  const from = bottomIndex(buffer, current);
  let target = command === 'top' ? Math.min(count - 1, env.bodyRows - 1) : from + delta;
  const effects: Effect[] = [];
  // Scrolling past what is held pages older history in from the core.
  if (target - env.bodyRows < 0 && delta < 0 && !buffer.historyExhausted && !buffer.loadingOlder) effects.push({ type: 'load_older', agent });
  target = clamp(target, Math.min(count - 1, env.bodyRows - 1), count - 1);
  if (target >= count - 1 && delta > 0) return { ui: withScroll(ui, agent, { ...current, follow: true, bottom: 0 }), effects };
  return { ui: withScroll(ui, agent, { ...current, follow: false, bottom: absoluteOf(buffer, target) }), effects };
}

function searchStep(ui: UiState, env: KeyEnv, direction: -1 | 1, fromIndex?: number): Result {
  const focused = focusedBuffer(ui, env);
  const scroll = focused ? ui.scroll[focused.agent] : undefined;
  if (!focused || !scroll?.search) return { ui, effects: [] };
  const { agent, buffer } = focused;
  const needle = scroll.search.toLowerCase();
  const count = streamLineCount(buffer);
  for (let i = (fromIndex ?? bottomIndex(buffer, scroll)) + direction; i >= 0 && i < count; i += direction) {
    if (streamLineAt(buffer, i)!.text.toLowerCase().includes(needle)) {
      return { ui: withScroll(ui, agent, { ...scroll, follow: false, bottom: absoluteOf(buffer, i) }), effects: [] };
    }
  }
  return flash(ui, `no ${direction < 0 ? 'earlier' : 'later'} match for "${scroll.search}"`, 'info');
}

function turnStep(ui: UiState, env: KeyEnv, direction: -1 | 1): Result {
  const focused = focusedBuffer(ui, env);
  if (!focused) return { ui, effects: [] };
  const { agent, buffer } = focused;
  const scroll = ui.scroll[agent];
  const count = streamLineCount(buffer);
  // Turns are found relative to the pane's top line, where a jump puts them.
  const ref = !scroll || scroll.follow ? count : bottomIndex(buffer, scroll) - (env.bodyRows - 2);
  for (let i = ref + direction; i >= 0 && i < count; i += direction) {
    if (streamLineAt(buffer, i)!.kind === 'turn_start') {
      // Put the turn's first line near the top of the pane.
      const bottom = Math.min(count - 1, i + env.bodyRows - 2);
      return { ui: withScroll(ui, agent, { ...scroll, follow: false, bottom: absoluteOf(buffer, bottom) }), effects: [] };
    }
  }
  return flash(ui, direction < 0 ? 'no earlier turn held' : 'no later turn', 'info');
}

// ---------------------------------------------------------------- modal keys

function isBackspace(key: KeyFlags): boolean {
  return Boolean(key.backspace || key.delete);
}

/** Printable text from a key press (pastes arrive as several characters). */
function printable(input: string, key: KeyFlags): string {
  if (key.ctrl || key.meta || key.escape || key.return || key.tab) return '';
  // eslint-disable-next-line no-control-regex
  return input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function handleModalKey(ui: UiState, modal: Modal, env: KeyEnv, input: string, key: KeyFlags): Result {
  const close = (extra: Partial<UiState> = {}): UiState => ({ ...ui, modal: undefined, ...extra });
  if (modal.kind === 'confirm') {
    // Only `y` confirms; every other key (Esc, Enter, n…) is "no".
    if (input === 'y' && !key.ctrl && !key.meta) return { ui: close(), effects: [{ type: 'request', pending: modal.pending }] };
    return { ui: close({ flash: { text: `cancelled: ${modal.pending.what}`, tone: 'info' } }), effects: [] };
  }
  if (modal.kind === 'input') {
    if (key.escape) return { ui: close(), effects: [] };
    if (isBackspace(key)) return { ui: { ...ui, modal: { ...modal, value: modal.value.slice(0, -1) } }, effects: [] };
    if (key.return) return submitInput(close(), env, modal);
    const text = printable(input, key);
    if (!text) return { ui, effects: [] };
    return { ui: { ...ui, modal: { ...modal, value: (modal.value + text).slice(0, 4096) } }, effects: [] };
  }
  return handleAnswerKey(ui, modal, env, input, key);
}

function submitInput(ui: UiState, env: KeyEnv, modal: Extract<Modal, { kind: 'input' }>): Result {
  const value = modal.value.trim();
  switch (modal.purpose) {
    case 'command': {
      if (!value) return { ui, effects: [] };
      const resolved = resolveCommandLine(value);
      if (!resolved.ok) return flash(ui, resolved.error);
      if (resolved.command === 'quit') return { ui, effects: [{ type: 'quit' }] };
      return runCommand(ui, env, resolved.command);
    }
    case 'deny': {
      const id = modal.target as number;
      const request: HostRequest = value ? { cmd: 'deny', id, note: value } : { cmd: 'deny', id };
      return { ui, effects: [{ type: 'request', pending: { request, what: `deny #${id}` } }] };
    }
    case 'message': {
      const to = modal.target as string;
      if (!value) return flash(ui, 'empty message not sent');
      return { ui, effects: [{ type: 'request', pending: { request: { cmd: 'send', to, body: modal.value }, what: `message to ${to}` } }] };
    }
    case 'model': {
      const name = modal.target as string;
      if (!value) return flash(ui, 'no model given; nothing changed');
      return confirm(ui, `set the model of ${name} to ${value}?`, { request: { cmd: 'agent_control', name, action: 'set_model', model: value }, what: `set model of ${name}` });
    }
    case 'search': {
      const agent = ui.streamAgents[ui.focusPane];
      if (!agent) return { ui, effects: [] };
      const scroll = ui.scroll[agent] ?? { follow: true, bottom: 0 };
      if (!value) return { ui: withScroll(ui, agent, { ...scroll, search: undefined }), effects: [] };
      // Search from the bottom of what is shown, upwards (n continues up, N goes down).
      const start = withScroll(ui, agent, { ...scroll, search: value });
      const buffer = env.streams[agent];
      const from = buffer ? (scroll.follow ? streamLineCount(buffer) : bottomIndex(buffer, scroll) + 1) : 0;
      return searchStep(start, env, -1, from);
    }
  }
}

function handleAnswerKey(ui: UiState, modal: Extract<Modal, { kind: 'answer' }>, env: KeyEnv, input: string, key: KeyFlags): Result {
  const item = env.attention.find((x) => x.kind === 'question' && x.id === modal.questionId);
  if (!item || item.kind !== 'question') {
    return { ui: { ...ui, modal: undefined, flash: { text: `question #${modal.questionId} is no longer open`, tone: 'error' } }, effects: [] };
  }
  const q = item.question;
  const set = (m: Partial<typeof modal>) => ({ ui: { ...ui, modal: { ...modal, ...m } }, effects: [] as Effect[] });
  const send = (answer: string): Result => ({
    ui: { ...ui, modal: undefined },
    effects: [{ type: 'request', pending: { request: { cmd: 'answer', id: q.id, answer }, what: `answer question #${q.id}` } }],
  });
  if (modal.typing) {
    if (key.escape) return q.options.length ? set({ typing: false }) : { ui: { ...ui, modal: undefined }, effects: [] };
    if (isBackspace(key)) return set({ text: modal.text.slice(0, -1) });
    if (key.return) return modal.text.trim() ? send(modal.text) : flash(ui, 'empty answer not sent');
    const text = printable(input, key);
    return text ? set({ text: (modal.text + text).slice(0, 8192) }) : { ui, effects: [] };
  }
  if (key.escape) return { ui: { ...ui, modal: undefined }, effects: [] };
  const n = q.options.length;
  if (/^[1-9]$/.test(input)) {
    const i = Number(input) - 1;
    if (i >= n) return { ui, effects: [] };
    if (q.multi) return set({ cursor: i, picked: toggle(modal.picked, i) });
    return set({ cursor: i, picked: [i] });
  }
  if (input === 'j' || key.downArrow) return set({ cursor: clamp(modal.cursor + 1, 0, n - 1) });
  if (input === 'k' || key.upArrow) return set({ cursor: clamp(modal.cursor - 1, 0, n - 1) });
  if (input === ' ' && q.multi) return set({ picked: toggle(modal.picked, modal.cursor) });
  if (input === 'e') return set({ typing: true });
  if (key.return) {
    if (q.multi) {
      if (modal.picked.length === 0) return flash(ui, 'pick at least one option (Space toggles)');
      return send([...modal.picked].sort((a, b) => a - b).map((i) => q.options[i]!).join(', '));
    }
    return send(q.options[modal.cursor] ?? '');
  }
  return { ui, effects: [] };
}

function toggle(list: number[], i: number): number[] {
  return list.includes(i) ? list.filter((x) => x !== i) : [...list, i];
}

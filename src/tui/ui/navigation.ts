/**
 * Moving around: views and the back stack (Esc clears a search, a filter or
 * marks before it goes back, and never quits; q quits only from a top view),
 * cursors in lists, opening what is selected (on the roster: what waits on
 * the agent first), tiled panes, and how the roster and stats are ordered.
 */
import { attentionKey, isHoldItem, needsByAgent } from '../client/attention-queue.js';
import type { Command, ViewName } from '../keys/keymap.js';
import { nextAgentFilter, STATS_SORT_KEYS } from '../stats.js';
import { listOf, selectedAgent, selectedAttention, selectedSchedule } from './selection.js';
import { moveReport } from './report-commands.js';
import { scrollStream } from './stream-scroll.js';
import { scrollApproval } from './approval-scroll.js';
import { clamp, stay, type Handler, type KeyEnv, type Outcome, type RosterSort, type UiState } from './ui-state.js';

const TOP_VIEWS: ViewName[] = ['agents', 'attention', 'stats', 'inbox', 'schedules', 'rules'];

function go(ui: UiState, view: ViewName): UiState {
  if (ui.view === view) return ui;
  const backStack = TOP_VIEWS.includes(view) ? [] : [...ui.backStack, ui.view];
  return { ...ui, view, backStack, modal: undefined, flash: undefined };
}

/** Esc: the first of a stream search, a list filter, marks; else the view before. */
function back(ui: UiState): UiState {
  const focused = ui.view === 'stream' ? ui.streamAgents[ui.focusPane] : undefined;
  const scroll = focused ? ui.scroll[focused] : undefined;
  if (focused && scroll?.search) return { ...ui, scroll: { ...ui.scroll, [focused]: { ...scroll, search: undefined } }, flash: { text: 'search cleared', tone: 'info' } };
  const list = listOf(ui.view);
  if (list && ui.filters[list]) return { ...ui, filters: { ...ui.filters, [list]: '' }, flash: { text: 'filter cleared', tone: 'info' } };
  if ((ui.view === 'agents' || ui.view === 'attention') && ui.marks[ui.view].length > 0) return { ...ui, marks: { ...ui.marks, [ui.view]: [] }, flash: { text: 'marks cleared', tone: 'info' } };
  const backStack = [...ui.backStack];
  const prev = backStack.pop() ?? (TOP_VIEWS.includes(ui.view) ? ui.view : 'agents');
  const next: UiState = { ...ui, view: prev, backStack, flash: undefined };
  if (ui.view === 'stream' && prev !== 'stream') next.streamAgents = []; // leaving closes the streams
  return next;
}

/** Show an attention item in the queue (its filter cleared if that hides it). */
function showInQueue(ui: UiState, env: KeyEnv, key: string): UiState {
  const shown = env.attention.findIndex((x) => attentionKey(x) === key);
  const cursor = shown >= 0 ? shown : env.queue.findIndex((x) => attentionKey(x) === key);
  return { ...go(ui, 'attention'), cursor: { ...ui.cursor, attention: Math.max(0, cursor) }, filters: shown >= 0 ? ui.filters : { ...ui.filters, attention: '' } };
}

function openApproval(ui: UiState, id: number): Outcome {
  return { ui: { ...go(ui, 'approval'), approvalId: id, approvalScroll: 0, approvalAgainst: undefined }, effects: [{ type: 'fetch_approval', id }] };
}

/** Enter on the roster: what waits on the agent (soonest first), else its stream with the tiled agents. */
function openAgent(ui: UiState, env: KeyEnv, name: string): Outcome {
  const first = needsByAgent(env.queue).get(name)?.items[0];
  if (first?.kind === 'approval') return openApproval(ui, first.id);
  if (first?.kind === 'question' && env.live && !env.readOnly) return { ui, effects: [], next: { command: 'answer', target: first.id } };
  if (first) return stay(showInQueue(ui, env, attentionKey(first)));
  return stay(openStream(ui, name));
}

/** The stream view on `name`, with the tiled agents beside it. */
function openStream(ui: UiState, name: string): UiState {
  const agents = ui.tiled.length > 0 ? [name, ...ui.tiled.filter((n) => n !== name)] : [name];
  return { ...go(ui, 'stream'), streamAgents: agents, focusPane: 0, paneStart: 0 };
}

function open(ui: UiState, env: KeyEnv): Outcome {
  if (ui.view === 'agents') {
    const name = selectedAgent(ui, env);
    return name ? openAgent(ui, env, name) : stay(ui);
  }
  if (ui.view === 'schedules') {
    const schedule = selectedSchedule(ui, env);
    return schedule ? openApproval(ui, schedule.approval_id) : stay(ui);
  }
  const item = ui.view === 'attention' ? selectedAttention(ui, env) : undefined;
  if (item && isHoldItem(item)) return stay(item.agents[0] ? openStream(ui, item.agents[0]) : ui);
  return item?.kind === 'approval' ? openApproval(ui, item.id) : stay(ui);
}

function move(ui: UiState, env: KeyEnv, command: Command): Outcome {
  const page = Math.max(1, env.bodyRows - 1);
  const delta = command === 'up' ? -1 : command === 'down' ? 1 : command === 'page_up' ? -page : command === 'page_down' ? page : 0;
  const listMove = (pos: number, length: number) => {
    if (command === 'top') return 0;
    if (command === 'bottom') return Math.max(0, length - 1);
    return clamp(pos + delta, 0, Math.max(0, length - 1));
  };
  const cursorMove = (list: keyof UiState['cursor'], length: number) => stay({ ...ui, cursor: { ...ui.cursor, [list]: listMove(ui.cursor[list], length) } });
  switch (ui.view) {
    case 'agents':
      return cursorMove('agents', env.roster.length + (env.kept?.length ?? 0));
    case 'attention':
      return cursorMove('attention', env.attention.length);
    case 'inbox':
      return cursorMove('inbox', env.inbox.length);
    case 'stats':
      return cursorMove('stats', env.stats.length);
    case 'schedules':
      return cursorMove('schedules', env.schedules.length);
    case 'approval':
      return scrollApproval(ui, env, command);
    case 'help':
      // Scrolled, the help's first row says "more above": one row fewer for text.
      return stay({ ...ui, helpScroll: listMove(ui.helpScroll, Math.max(1, env.helpLines - env.bodyRows + 2)) });
    case 'rules':
      return stay({ ...ui, rulesCursor: listMove(ui.rulesCursor ?? 0, env.rules?.length ?? 0) });
    case 'stream':
      return scrollStream(ui, env, command, delta);
    case 'search':
    case 'recap':
    case 'traffic':
      return moveReport(ui, env, command);
  }
}

const moveBy: Handler = (ui, env, call) => move(ui, env, call.command);

/** Move the pane focus by `step`, sliding the shown panes so the focused one is on screen. */
function focusPane(ui: UiState, env: KeyEnv, step: number): Outcome {
  const count = ui.streamAgents.length;
  if (count === 0) return stay(ui);
  const focus = (ui.focusPane + step + count) % count;
  const shown = Math.max(1, Math.min(env.maxPanes, count));
  let start = clamp(ui.paneStart, 0, count - shown);
  if (focus < start) start = focus;
  else if (focus >= start + shown) start = focus - shown + 1;
  return stay({ ...ui, focusPane: focus, paneStart: start });
}

/** Views, cursors, opening, tiling, list order. */
export const NAVIGATION_COMMANDS = {
  quit: (ui, env) => {
    if (TOP_VIEWS.includes(ui.view) && ui.backStack.length === 0) {
      if (env.quitAsks) return stay({ ...ui, modal: { kind: 'confirm', prompt: env.quitAsks, requests: [], quit: true } });
      return { ui, effects: [{ type: 'quit' }] };
    }
    return stay(back(ui));
  },
  force_quit: (ui) => ({ ui, effects: [{ type: 'quit' }] }),
  switch_context: (ui, _env, call) => ({ ui, effects: [{ type: 'switch_context', ...(call.text?.trim() && { name: call.text.trim() }) }] }),
  back: (ui) => stay(back(ui)),
  help: (ui) => stay({ ...go(ui, 'help'), helpFor: ui.view === 'help' ? ui.helpFor : ui.view, helpScroll: 0 }),
  view_agents: (ui) => stay(go(ui, 'agents')),
  view_attention: (ui) => stay(go(ui, 'attention')),
  view_inbox: (ui) => stay(go(ui, 'inbox')),
  view_schedules: (ui) => stay(go(ui, 'schedules')),
  view_stats: (ui, _env, call) => {
    if (typeof call.target !== 'string') return stay(go(ui, 'stats'));
    return stay({ ...go(ui, 'stats'), stats: { ...ui.stats, agent: call.target }, cursor: { ...ui.cursor, stats: 0 } });
  },
  next_view: (ui) => {
    const view = TOP_VIEWS[(TOP_VIEWS.indexOf(ui.view) + 1) % TOP_VIEWS.length]!;
    return { ui: go(ui, view), effects: view === 'rules' ? [{ type: 'fetch_rules' }] : [] };
  },
  up: moveBy,
  down: moveBy,
  page_up: moveBy,
  page_down: moveBy,
  top: moveBy,
  bottom: moveBy,
  open: (ui, env) => open(ui, env),
  open_stream: (ui, env, call) => {
    const name = typeof call.target === 'string' ? call.target : selectedAgent(ui, env);
    return name ? stay(openStream(ui, name)) : stay(ui);
  },
  tile: (ui, env) => {
    const name = selectedAgent(ui, env);
    if (!name) return stay(ui);
    const tiled = ui.tiled.includes(name) ? ui.tiled.filter((n) => n !== name) : [...ui.tiled, name];
    return stay({ ...ui, tiled, flash: { text: `tiled: ${tiled.join(', ') || 'none'} (Enter opens)`, tone: 'info' } });
  },
  focus_next_pane: (ui, env) => focusPane(ui, env, 1),
  focus_prev_pane: (ui, env) => focusPane(ui, env, -1),
  sort_next: (ui, env) => {
    if (ui.view === 'agents') {
      // CPU and memory only where the core samples them (the process backend).
      const sorts: RosterSort[] = env.sampled ? ['needs', 'name', 'cpu', 'memory'] : ['needs', 'name'];
      const next = sorts[(sorts.indexOf(ui.rosterSort) + 1) % sorts.length]!;
      return stay({ ...ui, rosterSort: next, cursor: { ...ui.cursor, agents: 0 } });
    }
    return stay({ ...ui, stats: { ...ui.stats, sort: STATS_SORT_KEYS[(STATS_SORT_KEYS.indexOf(ui.stats.sort) + 1) % STATS_SORT_KEYS.length]! } });
  },
  sort_reverse: (ui) => stay({ ...ui, stats: { ...ui.stats, desc: !ui.stats.desc } }),
  filter_agent: (ui, env) => stay({ ...ui, stats: { ...ui.stats, agent: nextAgentFilter(ui.stats.agent, env.statsAgents) }, cursor: { ...ui.cursor, stats: 0 } }),
} satisfies Partial<Record<Command, Handler>>;

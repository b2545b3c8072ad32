/**
 * Moving around: views and the back stack (Esc never quits; q quits only
 * from a top view), cursors in lists, opening what is selected, tiling, and
 * how the stats table is sorted and filtered.
 */
import type { Command, ViewName } from '../keys/keymap.js';
import { nextAgentFilter, STATS_SORT_KEYS } from '../stats.js';
import { selectedAgent, selectedAttention } from './selection.js';
import { scrollStream } from './stream-scroll.js';
import { clamp, stay, type Handler, type KeyEnv, type Outcome, type UiState } from './ui-state.js';

const TOP_VIEWS: ViewName[] = ['agents', 'attention', 'stats', 'rules'];

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

function open(ui: UiState, env: KeyEnv): Outcome {
  if (ui.view === 'agents') {
    const name = selectedAgent(ui, env);
    if (!name) return stay(ui);
    const agents = ui.tiled.length > 0 ? [name, ...ui.tiled.filter((n) => n !== name)] : [name];
    return stay({ ...go(ui, 'stream'), streamAgents: agents.slice(0, Math.max(1, env.maxPanes)), focusPane: 0 });
  }
  const item = ui.view === 'attention' ? selectedAttention(ui, env) : undefined;
  if (item?.kind !== 'approval') return stay(ui);
  return { ui: { ...go(ui, 'approval'), approvalId: item.id, approvalScroll: 0 }, effects: [{ type: 'fetch_approval', id: item.id }] };
}

function move(ui: UiState, env: KeyEnv, command: Command): Outcome {
  const page = Math.max(1, env.bodyRows - 1);
  const delta = command === 'up' ? -1 : command === 'down' ? 1 : command === 'page_up' ? -page : command === 'page_down' ? page : 0;
  const listMove = (pos: number, length: number) => {
    if (command === 'top') return 0;
    if (command === 'bottom') return Math.max(0, length - 1);
    return clamp(pos + delta, 0, Math.max(0, length - 1));
  };
  switch (ui.view) {
    case 'agents':
      return stay({ ...ui, cursor: { ...ui.cursor, agents: listMove(ui.cursor.agents, env.roster.length) } });
    case 'attention':
      return stay({ ...ui, cursor: { ...ui.cursor, attention: listMove(ui.cursor.attention, env.attention.length) } });
    case 'stats':
      return stay({ ...ui, cursor: { ...ui.cursor, stats: listMove(ui.cursor.stats, env.statsCount) } });
    case 'approval':
      return stay({ ...ui, approvalScroll: listMove(ui.approvalScroll, Math.max(1, env.approvalLines - env.bodyRows + 1)) });
    case 'help':
      return stay({ ...ui, helpScroll: listMove(ui.helpScroll, 200) });
    case 'rules':
      return stay({ ...ui, cursor: { ...ui.cursor, rules: listMove(ui.cursor.rules, env.rules?.length ?? 0) } });
    case 'stream':
      return scrollStream(ui, env, command, delta);
  }
}

const moveBy: Handler = (ui, env, call) => move(ui, env, call.command);

/** Views, cursors, opening, tiling, stats order. */
export const NAVIGATION_COMMANDS = {
  quit: (ui) => {
    if (TOP_VIEWS.includes(ui.view) && ui.backStack.length === 0) return { ui, effects: [{ type: 'quit' }] };
    return stay(back(ui));
  },
  force_quit: (ui) => ({ ui, effects: [{ type: 'quit' }] }),
  switch_context: (ui, _env, call) => ({ ui, effects: [{ type: 'switch_context', ...(call.text?.trim() && { name: call.text.trim() }) }] }),
  back: (ui) => stay(back(ui)),
  help: (ui) => stay({ ...go(ui, 'help'), helpFor: ui.view === 'help' ? ui.helpFor : ui.view, helpScroll: 0 }),
  view_agents: (ui) => stay(go(ui, 'agents')),
  view_attention: (ui) => stay(go(ui, 'attention')),
  view_stats: (ui) => stay(go(ui, 'stats')),
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
  tile: (ui, env) => {
    const name = selectedAgent(ui, env);
    if (!name) return stay(ui);
    const tiled = ui.tiled.includes(name) ? ui.tiled.filter((n) => n !== name) : [...ui.tiled, name];
    return stay({ ...ui, tiled, flash: { text: `tiled: ${tiled.join(', ') || 'none'} (Enter opens)`, tone: 'info' } });
  },
  focus_next_pane: (ui, env) => stay({ ...ui, focusPane: ui.streamAgents.length ? (ui.focusPane + 1) % Math.min(ui.streamAgents.length, env.maxPanes) : 0 }),
  sort_next: (ui) => stay({ ...ui, stats: { ...ui.stats, sort: STATS_SORT_KEYS[(STATS_SORT_KEYS.indexOf(ui.stats.sort) + 1) % STATS_SORT_KEYS.length]! } }),
  sort_reverse: (ui) => stay({ ...ui, stats: { ...ui.stats, desc: !ui.stats.desc } }),
  filter_agent: (ui, env) => stay({ ...ui, stats: { ...ui.stats, agent: nextAgentFilter(ui.stats.agent, env.statsAgents) }, cursor: { ...ui.cursor, stats: 0 } }),
} satisfies Partial<Record<Command, Handler>>;

/**
 * Where each stream pane is scrolled to: following the tail, or holding a
 * line at the bottom while new lines arrive below; search and turn jumps
 * move that line. Positions are absolute, so appends and history paged in
 * above do not shift what the operator is looking at.
 */
import { streamLineAt, streamLineCount, type StreamBuffer } from '../client/hive-state.js';
import type { Command } from '../keys/keymap.js';
import { clamp, flash, stay, type Effect, type Handler, type KeyEnv, type Outcome, type StreamScroll, type UiState } from './ui-state.js';

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

function focusedBuffer(ui: UiState, env: KeyEnv): { agent: string; buffer: StreamBuffer } | undefined {
  const agent = ui.streamAgents[ui.focusPane];
  const buffer = agent ? env.streams[agent] : undefined;
  return agent && buffer ? { agent, buffer } : undefined;
}

function withScroll(ui: UiState, agent: string, scroll: StreamScroll): UiState {
  return { ...ui, scroll: { ...ui.scroll, [agent]: scroll } };
}

/** Move the focused pane by `delta` lines (or to the top/bottom); scrolling past what is held pages older history in. */
export function scrollStream(ui: UiState, env: KeyEnv, command: Command, delta: number): Outcome {
  const focused = focusedBuffer(ui, env);
  if (!focused) return stay(ui);
  const { agent, buffer } = focused;
  const current = ui.scroll[agent];
  const count = streamLineCount(buffer);
  if (command === 'bottom') return stay(withScroll(ui, agent, { ...current, follow: true, bottom: 0 }));
  const from = bottomIndex(buffer, current);
  let target = command === 'top' ? Math.min(count - 1, env.bodyRows - 1) : from + delta;
  const effects: Effect[] = [];
  if (target - env.bodyRows < 0 && delta < 0 && !buffer.historyExhausted && !buffer.loadingOlder) effects.push({ type: 'load_older', agent });
  target = clamp(target, Math.min(count - 1, env.bodyRows - 1), count - 1);
  if (target >= count - 1 && delta > 0) return { ui: withScroll(ui, agent, { ...current, follow: true, bottom: 0 }), effects };
  return { ui: withScroll(ui, agent, { ...current, follow: false, bottom: absoluteOf(buffer, target) }), effects };
}

function searchStep(ui: UiState, env: KeyEnv, direction: -1 | 1, fromIndex?: number): Outcome {
  const focused = focusedBuffer(ui, env);
  const scroll = focused ? ui.scroll[focused.agent] : undefined;
  if (!focused || !scroll?.search) return stay(ui);
  const { agent, buffer } = focused;
  const needle = scroll.search.toLowerCase();
  const count = streamLineCount(buffer);
  for (let i = (fromIndex ?? bottomIndex(buffer, scroll)) + direction; i >= 0 && i < count; i += direction) {
    if (streamLineAt(buffer, i)!.text.toLowerCase().includes(needle)) {
      return stay(withScroll(ui, agent, { ...scroll, follow: false, bottom: absoluteOf(buffer, i) }));
    }
  }
  return flash(ui, `no ${direction < 0 ? 'earlier' : 'later'} match for "${scroll.search}"`, 'info');
}

/** Search the focused pane for `text`, up from the bottom of what it shows (empty text clears the search). */
export function startSearch(ui: UiState, env: KeyEnv, text: string): Outcome {
  const agent = ui.streamAgents[ui.focusPane];
  if (!agent) return stay(ui);
  const scroll = ui.scroll[agent] ?? { follow: true, bottom: 0 };
  if (!text) return stay(withScroll(ui, agent, { ...scroll, search: undefined }));
  // n continues up, N goes down.
  const start = withScroll(ui, agent, { ...scroll, search: text });
  const buffer = env.streams[agent];
  const from = buffer ? (scroll.follow ? streamLineCount(buffer) : bottomIndex(buffer, scroll) + 1) : 0;
  return searchStep(start, env, -1, from);
}

function turnStep(ui: UiState, env: KeyEnv, direction: -1 | 1): Outcome {
  const focused = focusedBuffer(ui, env);
  if (!focused) return stay(ui);
  const { agent, buffer } = focused;
  const scroll = ui.scroll[agent];
  const count = streamLineCount(buffer);
  // Turns are found relative to the pane's top line, where a jump puts them.
  const ref = !scroll || scroll.follow ? count : bottomIndex(buffer, scroll) - (env.bodyRows - 2);
  for (let i = ref + direction; i >= 0 && i < count; i += direction) {
    if (streamLineAt(buffer, i)!.kind === 'turn_start') {
      // Put the turn's first line near the top of the pane.
      const bottom = Math.min(count - 1, i + env.bodyRows - 2);
      return stay(withScroll(ui, agent, { ...scroll, follow: false, bottom: absoluteOf(buffer, bottom) }));
    }
  }
  return flash(ui, direction < 0 ? 'no earlier turn held' : 'no later turn', 'info');
}

/** Stream search and turn jumps. */
export const STREAM_COMMANDS = {
  search: (ui) => stay({ ...ui, modal: { kind: 'input', purpose: 'search', label: '/', value: '' } }),
  search_next: (ui, env) => searchStep(ui, env, -1),
  search_prev: (ui, env) => searchStep(ui, env, 1),
  prev_turn: (ui, env) => turnStep(ui, env, -1),
  next_turn: (ui, env) => turnStep(ui, env, 1),
} satisfies Partial<Record<Command, Handler>>;

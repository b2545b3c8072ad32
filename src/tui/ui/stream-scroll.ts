/**
 * Where each stream pane is scrolled to: following the tail, or holding a
 * line at the bottom while new lines arrive below; search and turn jumps
 * move that line. Positions are absolute, so appends and history paged in
 * above do not shift what the operator is looking at. Which of the chosen
 * panes are on screen is decided here too.
 */
import { streamLineAt, streamLineCount, type StreamBuffer } from '../client/stream-buffer.js';
import { wrapLine } from '../client/stream-lines.js';
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

/** Lines below what a held pane shows. */
export function newBelow(buffer: StreamBuffer, scroll: StreamScroll | undefined): number {
  if (!scroll || scroll.follow) return 0;
  return Math.max(0, streamLineCount(buffer) - 1 - bottomIndex(buffer, scroll));
}

const rowsOf = (buffer: StreamBuffer, i: number, width: number) => wrapLine(streamLineAt(buffer, i)!, width).length;

/** The display index of the line in a pane's top row, `rows` rows of `width` ending at `bottom`. */
export function topIndex(buffer: StreamBuffer, bottom: number, rows: number, width: number): number {
  let used = 0;
  let i = bottom;
  for (; i >= 0; i--) {
    used += rowsOf(buffer, i, width);
    if (used >= rows) return i;
  }
  return 0;
}

/** The bottom line that puts line `top` in a pane's top row (or as near as the end of the stream allows). */
export function bottomForTop(buffer: StreamBuffer, top: number, rows: number, width: number): number {
  const count = streamLineCount(buffer);
  let used = rowsOf(buffer, top, width);
  let bottom = top;
  while (bottom + 1 < count && used + rowsOf(buffer, bottom + 1, width) <= rows) used += rowsOf(buffer, ++bottom, width);
  return bottom;
}

/** The panes on screen: a window of the chosen agents that holds the focused one. */
export function shownPanes(agents: readonly string[], focus: number, paneStart: number, maxPanes: number): { start: number; shown: string[]; hiddenBefore: number; hiddenAfter: number } {
  const width = Math.max(1, Math.min(maxPanes, agents.length));
  const f = clamp(focus, 0, Math.max(0, agents.length - 1));
  const start = clamp(clamp(paneStart, f - width + 1, f), 0, Math.max(0, agents.length - width));
  return { start, shown: agents.slice(start, start + width), hiddenBefore: start, hiddenAfter: Math.max(0, agents.length - start - width) };
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
  let target = command === 'top' ? bottomForTop(buffer, 0, env.bodyRows, env.paneWidth) : from + delta;
  const effects: Effect[] = [];
  if (target - env.bodyRows < 0 && delta < 0 && !buffer.historyExhausted && !buffer.loadingOlder) effects.push({ type: 'load_older', agent });
  target = clamp(target, Math.min(count - 1, bottomForTop(buffer, 0, env.bodyRows, env.paneWidth)), count - 1);
  if (target >= count - 1 && delta > 0) return { ui: withScroll(ui, agent, { ...current, follow: true, bottom: 0 }), effects };
  return { ui: withScroll(ui, agent, { ...current, follow: false, bottom: absoluteOf(buffer, target) }), effects };
}

/**
 * Repeat the search from the bottom line: `direction` -1 goes up (older), as
 * the search itself did, +1 down. Past either end it wraps round and says so.
 */
function searchStep(ui: UiState, env: KeyEnv, direction: -1 | 1, fromIndex?: number): Outcome {
  const focused = focusedBuffer(ui, env);
  const scroll = focused ? ui.scroll[focused.agent] : undefined;
  if (!focused || !scroll?.search) return stay(ui);
  const { agent, buffer } = focused;
  const needle = scroll.search.toLowerCase();
  const count = streamLineCount(buffer);
  const from = fromIndex ?? bottomIndex(buffer, scroll);
  for (let step = 1; step <= count; step++) {
    const raw = from + direction * step;
    const i = ((raw % count) + count) % count;
    if (!streamLineAt(buffer, i)!.text.toLowerCase().includes(needle)) continue;
    const moved = withScroll(ui, agent, { ...scroll, follow: false, bottom: absoluteOf(buffer, i) });
    return raw < 0 || raw >= count ? flash(moved, `search wrapped: /${scroll.search}`, 'info') : stay(moved);
  }
  return flash(ui, `no match for "${scroll.search}" in what is held`, 'info');
}

/** Search the focused pane for `text`, up from the bottom of what it shows (empty text clears the search). */
export function startSearch(ui: UiState, env: KeyEnv, text: string): Outcome {
  const agent = ui.streamAgents[ui.focusPane];
  if (!agent) return stay(ui);
  const scroll = ui.scroll[agent] ?? { follow: true, bottom: 0 };
  if (!text) return stay(withScroll(ui, agent, { ...scroll, search: undefined }));
  const start = withScroll(ui, agent, { ...scroll, search: text });
  const buffer = env.streams[agent];
  // The bottom line itself is searched first.
  const from = buffer ? (scroll.follow ? streamLineCount(buffer) : bottomIndex(buffer, scroll) + 1) : 0;
  return searchStep(start, env, -1, from);
}

/** `]`/`[`: the next turn header below (or the previous one above) the pane's top row, put in that row. */
function turnStep(ui: UiState, env: KeyEnv, direction: -1 | 1): Outcome {
  const focused = focusedBuffer(ui, env);
  if (!focused) return stay(ui);
  const { agent, buffer } = focused;
  const scroll = ui.scroll[agent];
  const count = streamLineCount(buffer);
  const bottom = bottomIndex(buffer, scroll);
  const top = topIndex(buffer, bottom, env.bodyRows, env.paneWidth);
  for (let i = top + direction; i >= 0 && i < count; i += direction) {
    if (streamLineAt(buffer, i)!.kind !== 'turn_start') continue;
    const target = bottomForTop(buffer, i, env.bodyRows, env.paneWidth);
    if (direction > 0 && target <= bottom) continue; // on screen already, and nothing further down to show
    return stay(withScroll(ui, agent, { ...scroll, follow: false, bottom: absoluteOf(buffer, target) }));
  }
  if (direction > 0) return flash(ui, 'no later turn', 'info');
  const older = !buffer.historyExhausted && !buffer.loadingOlder;
  return { ...flash(ui, older ? 'no earlier turn held; loading older history' : 'no earlier turn', 'info'), effects: older ? [{ type: 'load_older', agent }] : [] };
}

/** Stream search and turn jumps. */
export const STREAM_COMMANDS = {
  search: (ui) => stay({ ...ui, modal: { kind: 'input', purpose: 'search', label: '/', value: '' } }),
  search_next: (ui, env) => searchStep(ui, env, -1),
  search_prev: (ui, env) => searchStep(ui, env, 1),
  prev_turn: (ui, env) => turnStep(ui, env, -1),
  next_turn: (ui, env) => turnStep(ui, env, 1),
} satisfies Partial<Record<Command, Handler>>;

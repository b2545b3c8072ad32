/** Test helpers for the dispatcher: the hive as keys see it, and keys pressed in order. */
import { attentionQueue } from '../client/attention-queue.js';
import { hiveReducer, initialHiveState, type HiveState } from '../client/hive-state.js';
import { streamLinesAction } from '../client/stream-lines.js';
import { handleKey } from '../ui/dispatch.js';
import type { Effect, KeyEnv, UiState } from '../ui/ui-state.js';
import type { KeyFlags } from '../keys/keymap.js';
import { DEFAULT_MODELS } from '../../protocol/light.js';
import { snapshot } from './fixtures.js';

/** A hive from a snapshot. */
export function hive(extra: Parameters<typeof snapshot>[0] = {}): HiveState {
  return hiveReducer(initialHiveState('/x', false), { type: 'snapshot', snapshot: snapshot(extra) });
}

/** The hive as keys see it, with nothing filtered. */
export function envOf(s: HiveState, over: Partial<KeyEnv> = {}): KeyEnv {
  const queue = attentionQueue(s);
  return {
    live: true,
    readOnly: false,
    notLiveReason: 'not connected (reconnecting)',
    roster: Object.values(s.agents).sort((a, b) => a.name.localeCompare(b.name)),
    agents: s.agents,
    attention: queue,
    queue,
    inbox: [...s.operatorInbox].sort((a, b) => b.id - a.id),
    stats: s.turnStats,
    statsAgents: [],
    schedules: [],
    sampled: false,
    models: DEFAULT_MODELS,
    logins: s.logins,
    streams: s.streams,
    bodyRows: 10,
    paneWidth: 100,
    helpLines: 0,
    maxPanes: 1,
    ...over,
  };
}

/** Press keys in order; returns the final state and every effect. */
export function press(ui: UiState, env: KeyEnv, ...keys: (string | [string, KeyFlags])[]): { ui: UiState; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const k of keys) {
    const [input, flags] = typeof k === 'string' ? [k, {}] : k;
    const r = handleKey(ui, env, input, flags);
    ui = r.ui;
    effects.push(...r.effects);
  }
  return { ui, effects };
}
export const ENTER: [string, KeyFlags] = ['', { return: true }];
export const ESC: [string, KeyFlags] = ['', { escape: true }];
export const requests = (effects: Effect[]) => effects.filter((e) => e.type === 'request').map((e) => (e as Extract<Effect, { type: 'request' }>).pending.request);

/** A stream of `lines` lines with a turn header every 10, `long` making each note wrap onto two rows at width 20. */
export function streamHive(lines: number, long = false): HiveState {
  const events = Array.from({ length: lines }, (_, i) => ({
    kind: i % 10 === 0 ? 'turn_start' : 'note',
    seq: i + 1,
    from: 'operator',
    body: `turn ${i / 10}`,
    unread: 0,
    text: long ? `line ${i} ${'x'.repeat(12)}` : `line ${i}`,
  }));
  return hiveReducer(hive(), streamLinesAction('iris', events, true));
}

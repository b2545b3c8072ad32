/**
 * The console's clock: how often it needs to tick for what is on screen, and
 * the time the views draw the hive's data at. While the connection is not
 * live the data is as of the moment the link dropped, so the times drawn with
 * it (turn timers, ages, deadlines) stand still at that moment.
 */
import { useEffect, useState } from 'react';
import type { HiveState } from './client/hive-state.js';
import type { ConnectionInfo } from './client/connection-info.js';
import type { ViewName } from './keys/keymap.js';

/** Spinners (lifecycle transients) move four times a second; everything else by the second. */
export const FAST_TICK_MS = 250;
export const SLOW_TICK_MS = 1000;

/** The time data is drawn at: now while live, else the moment it went stale. */
export function dataNowMs(wallMs: number, connection: Pick<ConnectionInfo, 'phase' | 'staleSince'>): number {
  return connection.phase === 'live' ? wallMs : (connection.staleSince ?? wallMs);
}

/**
 * How often the clock must tick for the current view, or undefined when
 * nothing on screen moves with time (then no clock frames are drawn at all).
 */
export function clockPeriodMs(view: ViewName, state: Pick<HiveState, 'connection' | 'agents' | 'transients' | 'approvals' | 'questions' | 'operatorInbox'>): number | undefined {
  const live = state.connection.phase === 'live';
  // Not live: the header counts down to the next try; the data's times are frozen.
  if (!live) return state.connection.nextTryAt !== undefined ? SLOW_TICK_MS : undefined;
  switch (view) {
    case 'agents': {
      if (Object.keys(state.transients).length > 0) return FAST_TICK_MS;
      for (const name in state.agents) {
        const row = state.agents[name]!;
        if (row.turn_state !== 'idle' || row.stalled || row.status_set_at) return SLOW_TICK_MS;
      }
      // A question's deadline counts down beside its agent.
      return hasAny(state.questions) ? SLOW_TICK_MS : undefined;
    }
    case 'attention':
    case 'approval':
      if (hasAny(state.approvals) || hasAny(state.questions) || state.operatorInbox.length > 0) return SLOW_TICK_MS;
      // A held agent's row counts down to its reset.
      for (const name in state.agents) if (state.agents[name]!.paused) return SLOW_TICK_MS;
      return undefined;
    case 'inbox':
      return state.operatorInbox.length > 0 ? SLOW_TICK_MS : undefined;
    default:
      return undefined;
  }
}

function hasAny(record: Record<number, unknown>): boolean {
  for (const _ in record) return true;
  return false;
}

/**
 * Wall-clock ms, ticking every `periodMs`. With no period nothing on screen
 * moves with time: no ticks, and each render reads the time afresh (so what
 * appears next is drawn at the right time).
 */
export function useClock(periodMs: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (periodMs === undefined) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), periodMs);
    t.unref?.();
    return () => clearInterval(t);
  }, [periodMs]);
  return periodMs === undefined ? Date.now() : now;
}

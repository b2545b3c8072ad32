/**
 * The hive state as the current view needs it: the console redraws only when
 * something the view (or the header, or the bell) shows changed.
 */
import { useEffect, useRef, useState } from 'react';
import type { HiveState } from './client/hive-state.js';
import type { HiveSource } from './hive-source.js';

/** The roster as the header counts it: agents running and in trouble, turns running. */
function rosterCounts(s: HiveState): string {
  let running = 0;
  let turns = 0;
  let trouble = 0;
  const rows = Object.values(s.agents);
  for (const r of rows) {
    if (r.running) running++;
    if (r.running && r.turn_state !== 'idle') turns++;
    if (r.failed || r.needs_login || r.stalled) trouble++;
  }
  return `${running}/${rows.length} ${turns} ${trouble}`;
}

/** What a view shows of the hive: when none of it changed, the console does not redraw. */
export function viewDependencies(s: HiveState, view: string, watched: readonly string[]): unknown[] {
  // The header (connection, counts, cost) and the bell matter everywhere; roster churn off the roster only through its counts.
  const deps: unknown[] = [s.connection, s.hasData, s.alerts, s.approvals, s.questions, s.operatorInbox, s.today, s.hive, s.spend, s.logins];
  deps.push(view === 'agents' ? s.agents : rosterCounts(s));
  if (view === 'agents') deps.push(s.transients, s.resources);
  else if (view === 'schedules') deps.push(s.schedules);
  else if (view === 'approval') deps.push(s.approvalDetails);
  else if (view === 'stats') deps.push(s.turnStats); // (its per-agent spend moves with the hive's, already in deps)
  else if (view === 'rules') deps.push(s.rules, s.rulesError);
  for (const a of watched) deps.push(s.streams[a], s.streams[a]?.rev);
  return deps;
}

/**
 * The hive state as the current view needs it: a change elsewhere (stream
 * lines of an agent not on screen) causes no React commit, so Ink draws no frame.
 */
export function useHiveView(hive: HiveSource, view: string, watched: readonly string[]): HiveState {
  const [state, setState] = useState(hive.getState);
  const shown = useRef<unknown[]>([]);
  const watchKey = watched.join('\n');
  useEffect(() => {
    const agents = watchKey ? watchKey.split('\n') : [];
    const check = () => {
      const s = hive.getState();
      const deps = viewDependencies(s, view, agents);
      if (deps.length === shown.current.length && deps.every((d, i) => Object.is(d, shown.current[i]))) return;
      shown.current = deps;
      setState(s);
    };
    check();
    return hive.subscribe(check);
  }, [hive, view, watchKey]);
  return state;
}

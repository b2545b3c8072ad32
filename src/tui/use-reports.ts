/**
 * The report views' side of the container: asking the core for a report and
 * filling it in, the recap shown once on attach when there is something new
 * (and the operator's look marked, then kept current while attached), and a
 * pending jump to a stream position settled as the pane's history arrives.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { HostRequest } from '../protocol/index.js';
import type { RequestOutcome } from './client/hive-client.js';
import { loadSchemas } from './client/schemas.js';
import { answeredReport, recapIsQuiet, searchReport, type Report, type ReportName } from './reports.js';
import { appendSearchPage, olderFailed } from './search-pages.js';
import { settleJump } from './ui/report-commands.js';
import type { Effect, KeyEnv, UiState } from './ui/ui-state.js';

/** How often an attached console marks the operator's look. */
export const MARK_SEEN_EVERY_MS = 60_000;

interface ReportsOptions {
  request(request: HostRequest): Promise<RequestOutcome>;
  ui: UiState;
  env: KeyEnv;
  /** Change the UI state from outside a key (an answer arrived). */
  update(change: (ui: UiState) => UiState): void;
  runEffects(effects: Effect[]): void;
  live: boolean;
  hasData: boolean;
  readOnly: boolean;
  recapOnAttach: boolean;
  /** Bumped whenever a stream's buffer changes (a jump may settle). */
  streamsRev: string;
}

/** What runs the report effects. */
export interface ReportRunners {
  runReport(name: ReportName, req: HostRequest): void;
  runOlderSearch(ask: { query: string; before: number; limit: number }): void;
}

/** Run `report` and `search_older` effects, and the recap-on-attach, look-marking and jump-settling loops. */
export function useReports({ request, ui, env, update, runEffects, live, hasData, readOnly, recapOnAttach, streamsRev }: ReportsOptions): ReportRunners {
  const runReport = useCallback(
    (name: ReportName, req: HostRequest) => {
      void request(req).then(async (outcome) => {
        const schemas = outcome.ok ? await loadSchemas() : undefined;
        update((ui) => {
          const asked = ui.reports[name];
          if (!asked || asked.status !== 'loading') return ui; // asked again since: that answer wins
          const report: Report = outcome.ok ? answeredReport(name, asked, outcome.response, schemas!, Date.now() / 1000) : { ...asked, status: 'error', note: outcome.error };
          return { ...ui, reports: { ...ui.reports, [name]: report } };
        });
      });
    },
    [request, update],
  );

  const runOlderSearch = useCallback(
    ({ query, before, limit }: { query: string; before: number; limit: number }) => {
      void request({ cmd: 'search', query, before, limit }).then(async (outcome) => {
        const { SearchAnswer } = await loadSchemas();
        update((ui) => {
          const shown = ui.reports.search;
          // Only the page this search is waiting for: a new search, or an answer to an older ask, changes nothing.
          if (!shown?.search || shown.search.query !== query || shown.search.loadingBefore !== before) return ui;
          const parsed = outcome.ok ? SearchAnswer.safeParse(outcome.response) : undefined;
          const next = parsed?.success ? appendSearchPage(shown.search, parsed.data) : olderFailed(shown.search, before, outcome.ok ? "the core's search answer was not understood" : outcome.error);
          return { ...ui, reports: { ...ui.reports, search: searchReport(shown, next, Date.now() / 1000) } };
        });
      });
    },
    [request, update],
  );

  // Once per attach: the recap since the operator's last look, shown when it has news and the operator is still on the roster.
  const recapAsked = useRef(false);
  useEffect(() => {
    if (!recapOnAttach || !live || !hasData || recapAsked.current) return;
    recapAsked.current = true;
    void request({ cmd: 'recap' }).then(async (outcome) => {
      if (!outcome.ok) return;
      const { RecapAnswer } = await loadSchemas();
      const parsed = RecapAnswer.safeParse(outcome.response);
      if (!readOnly) void request({ cmd: 'mark_seen' });
      // A first look has no "away" to tell of; the recap is news only to an operator who looked before.
      if (!parsed.success || parsed.data.looked_at === null || recapIsQuiet(parsed.data)) return;
      const asked: Report = { subject: 'since your last look', status: 'loading', rows: [] };
      const report = answeredReport('recap', asked, outcome.response, await loadSchemas(), Date.now() / 1000);
      update((ui) => (ui.view !== 'agents' || ui.modal ? ui : { ...ui, view: 'recap', backStack: ['agents'], reports: { ...ui.reports, recap: report }, reportCursor: { ...ui.reportCursor, recap: 0 } }));
    });
  }, [recapOnAttach, live, hasData, readOnly, request, update]);

  // While attached, the operator is looking: the next attach's recap starts about now.
  useEffect(() => {
    if (!recapOnAttach || !live || readOnly) return;
    const timer = setInterval(() => void request({ cmd: 'mark_seen' }), MARK_SEEN_EVERY_MS);
    timer.unref?.();
    return () => clearInterval(timer);
  }, [recapOnAttach, live, readOnly, request]);

  // A jump waits for its pane's history; each change of the streams may settle it or ask for older lines.
  const envRef = useRef(env);
  envRef.current = env;
  const jumpKey = ui.jump ? `${ui.jump.agent}\n${ui.jump.seq}` : '';
  useEffect(() => {
    if (!jumpKey) return;
    let effects: Effect[] = [];
    update((ui) => {
      const settled = settleJump(ui, envRef.current);
      if (!settled) return ui;
      effects = settled.effects;
      return settled.ui;
    });
    if (effects.length) runEffects(effects);
  }, [jumpKey, streamsRev, ui.view, update, runEffects]);

  return { runReport, runOlderSearch };
}

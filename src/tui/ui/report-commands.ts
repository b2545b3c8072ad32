/**
 * The report views' commands: `:search`, `:recap`, the traffic view; moving
 * among the rows that lead somewhere, and Enter following a row's link —
 * to a turn in an agent's stream (a pending jump, settled once the pane
 * holds that seq: older history is paged in until it does), an approval, a
 * question, a message or an agent.
 */
import { attentionKey } from '../client/attention-queue.js';
import { streamLineAt, streamLineCount } from '../client/stream-buffer.js';
import { keyOf } from '../keys/hints.js';
import type { Command, ViewName } from '../keys/keymap.js';
import { linkedRows, searchReport, type Report, type ReportLink, type ReportName } from '../reports.js';
import { askingOlder, MAX_SEARCH_HITS, olderPageBefore } from '../search-pages.js';
import { absoluteOf, bottomForTop } from './stream-scroll.js';
import { clamp, flash, stay, type Handler, type KeyEnv, type Outcome, type UiState } from './ui-state.js';

/** Hits, messages asked for at once (one screenful of groups, and then some). */
export const REPORT_PAGE = 200;

const TOP_VIEWS: ViewName[] = ['agents', 'attention', 'stats', 'inbox'];

function go(ui: UiState, view: ViewName): UiState {
  if (ui.view === view) return { ...ui, modal: undefined };
  const backStack = TOP_VIEWS.includes(view) ? [] : [...ui.backStack, ui.view];
  return { ...ui, view, backStack, modal: undefined, flash: undefined };
}

/** `ui` showing report `name` as asked for (rows to come), its cursor at the top. */
function asking(ui: UiState, name: ReportName, report: Report): UiState {
  return { ...go(ui, name), reports: { ...ui.reports, [name]: report }, reportCursor: { ...ui.reportCursor, [name]: 0 } };
}

/** `30m`, `2h`, `1d`, `90s` (a bare number is minutes) as seconds; undefined when it is none of these. */
export function parseSpan(text: string): number | undefined {
  const m = /^(\d{1,6})\s*([smhdw]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[(m[2] || 'm').toLowerCase() as 's']!;
  return Number(m[1]) * unit;
}

/** Ask for the traffic, kept to `agent` when given. */
function askTraffic(ui: UiState, agent: string | undefined): Outcome {
  const request = agent ? { cmd: 'messages' as const, agent, limit: REPORT_PAGE } : { cmd: 'messages' as const, limit: REPORT_PAGE };
  return { ui: asking(ui, 'traffic', { subject: agent ?? 'every agent', status: 'loading', rows: [], ...(agent && { agent }) }), effects: [{ type: 'report', name: 'traffic', request }] };
}

/** The report of the view shown, if it is one. */
function shownReport(ui: UiState): { name: ReportName; report: Report | undefined } | undefined {
  return ui.view === 'search' || ui.view === 'recap' || ui.view === 'traffic' ? { name: ui.view, report: ui.reports[ui.view] } : undefined;
}

/** Move a report's cursor among its linked rows. */
export function moveReport(ui: UiState, env: KeyEnv, command: Command): Outcome {
  const shown = shownReport(ui);
  if (!shown) return stay(ui);
  const count = linkedRows(shown.report).length;
  const page = Math.max(1, Math.floor((env.bodyRows - 1) / 2));
  const at = ui.reportCursor[shown.name];
  const next = command === 'top' ? 0 : command === 'bottom' ? count - 1 : at + ({ up: -1, down: 1, page_up: -page, page_down: page } as Partial<Record<Command, number>>)[command]!;
  const moved = { ...ui, reportCursor: { ...ui.reportCursor, [shown.name]: clamp(next, 0, Math.max(0, count - 1)) } };
  return moved.reportCursor[shown.name] === count - 1 ? askOlderHits(moved, env) : stay(moved);
}

/** At the end of the search results: the next older page asked for, when the core has one and the console room for it. */
function askOlderHits(ui: UiState, env: KeyEnv): Outcome {
  const report = ui.reports.search;
  const state = ui.view === 'search' ? report?.search : undefined;
  const before = state && olderPageBefore(state);
  if (!report || !state || before === undefined) return stay(ui);
  const limit = Math.min(REPORT_PAGE, MAX_SEARCH_HITS - state.held);
  const shown = searchReport(report, askingOlder(state, before), (env.nowMs ?? Date.now()) / 1000);
  return { ui: { ...ui, reports: { ...ui.reports, search: shown } }, effects: [{ type: 'search_older', query: state.query, before, limit }] };
}

/** The link under a report's cursor. */
export function selectedLink(ui: UiState): ReportLink | undefined {
  const shown = shownReport(ui);
  if (!shown?.report) return undefined;
  const rows = linkedRows(shown.report);
  const at = rows[clamp(ui.reportCursor[shown.name], 0, rows.length - 1)];
  return at === undefined ? undefined : shown.report.rows[at]!.link;
}

/** Enter on a report row: go where it leads. */
function follow(ui: UiState, env: KeyEnv): Outcome {
  const link = selectedLink(ui);
  if (!link) return flash(ui, 'nothing here leads anywhere', 'info');
  switch (link.kind) {
    case 'turn':
    case 'agent': {
      const agent = link.kind === 'turn' ? link.agent : link.name;
      const opened: UiState = { ...go(ui, 'stream'), streamAgents: [agent], focusPane: 0, paneStart: 0, scroll: { ...ui.scroll, [agent]: { follow: true, bottom: 0 } } };
      if (link.kind === 'agent') return stay({ ...opened, jump: undefined });
      return settleJump({ ...opened, jump: { agent, seq: link.seq } }, env) ?? stay({ ...opened, jump: { agent, seq: link.seq }, flash: { text: `finding #${link.seq} in ${agent}'s stream…`, tone: 'info' } });
    }
    case 'approval':
      return { ui: { ...go(ui, 'approval'), approvalId: link.id, approvalScroll: 0 }, effects: [{ type: 'fetch_approval', id: link.id }] };
    case 'question':
    case 'message': {
      const key = attentionKey({ kind: link.kind, id: link.id });
      const inQueue = env.queue.findIndex((x) => attentionKey(x) === key);
      if (inQueue >= 0) return stay({ ...go(ui, 'attention'), cursor: { ...ui.cursor, attention: inQueue }, filters: { ...ui.filters, attention: '' } });
      if (link.kind === 'message') {
        const at = env.inbox.findIndex((m) => m.id === link.id);
        if (at >= 0) return stay({ ...go(ui, 'inbox'), cursor: { ...ui.cursor, inbox: at } });
        return flash(ui, `message #${link.id} is no longer held by this console`, 'info');
      }
      return flash(ui, `question #${link.id} is no longer open (the row says how it ended)`, 'info');
    }
  }
}

/**
 * A pending jump, settled as far as the pane allows: shown (the line of that
 * seq, or the first after it, in the pane's top row), older history asked
 * for, or given up with a sentence. Undefined while there is nothing to do
 * yet (no jump, the stream not open or still loading).
 */
export function settleJump(ui: UiState, env: KeyEnv): Outcome | undefined {
  const jump = ui.jump;
  if (!jump) return undefined;
  if (ui.view !== 'stream' || ui.streamAgents[ui.focusPane] !== jump.agent) return stay({ ...ui, jump: undefined });
  const buffer = env.streams[jump.agent];
  if (!buffer || (buffer.lastSeq === 0 && !buffer.historyExhausted) || buffer.loadingOlder) return undefined;
  const count = streamLineCount(buffer);
  if (count > 0 && buffer.oldestSeq <= jump.seq) {
    let i = 0;
    while (i < count - 1 && streamLineAt(buffer, i)!.seq < jump.seq) i++;
    const bottom = bottomForTop(buffer, i, env.bodyRows, env.paneWidth);
    const scroll = { ...ui.scroll[jump.agent], follow: false, bottom: absoluteOf(buffer, bottom) };
    return flash({ ...ui, jump: undefined, scroll: { ...ui.scroll, [jump.agent]: scroll } }, `#${jump.seq} of ${jump.agent} at the top (${keyOf('bottom')} follows the tail again)`, 'info');
  }
  if (!buffer.historyExhausted) return { ui, effects: [{ type: 'load_older', agent: jump.agent }] };
  return flash({ ...ui, jump: undefined }, `#${jump.seq} is older than the history this console holds of ${jump.agent} (hyperhive history ${jump.agent} --before ${jump.seq + 1} shows it)`);
}

/** Report commands; `filter_agent` on the traffic view, the stats' elsewhere. */
export function reportCommands(filterAgent: Handler) {
  return {
    search_hive: (ui, _env, call) => {
      const query = (call.text ?? '').trim();
      if (!query) return flash(ui, 'usage: :search WORDS ("a phrase", word*)');
      return { ui: asking(ui, 'search', { subject: query, status: 'loading', rows: [] }), effects: [{ type: 'report', name: 'search', request: { cmd: 'search', query, limit: REPORT_PAGE } }] };
    },
    view_recap: (ui, env, call) => {
      const text = (call.text ?? '').trim();
      // The look is marked when a recap is shown: asked again without a span, it would be empty. The one held is shown again.
      if (!text && ui.reports.recap?.status === 'ready') return stay(go(ui, 'recap'));
      const span = text ? parseSpan(text) : undefined;
      if (text && span === undefined) return flash(ui, `"${text.slice(0, 40)}" is not a time span: :recap 30m, :recap 2h, :recap 1d`);
      const since = span === undefined ? undefined : Math.max(0, Math.floor((env.nowMs ?? Date.now()) / 1000) - span);
      const request = since === undefined ? { cmd: 'recap' as const } : { cmd: 'recap' as const, since };
      return { ui: asking(ui, 'recap', { subject: text ? `last ${text}` : 'since your last look', status: 'loading', rows: [] }), effects: [{ type: 'report', name: 'recap', request }] };
    },
    view_traffic: (ui, _env, call) => askTraffic(ui, typeof call.target === 'string' ? call.target : undefined),
    follow: (ui, env) => follow(ui, env),
    filter_agent: (ui, env, call) => {
      if (ui.view !== 'traffic') return filterAgent(ui, env, call);
      const names = Object.keys(env.agents).sort();
      const current = ui.reports.traffic?.agent;
      const next = current === undefined ? names[0] : names[names.indexOf(current) + 1];
      return askTraffic(ui, next);
    },
  } satisfies Partial<Record<Command, Handler>>;
}

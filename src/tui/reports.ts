/**
 * The console's report views — search results, the while-you-were-away
 * recap, the traffic between agents — as rows built from the core's answers.
 * Every row that names something links to it (a turn in an agent's stream,
 * an approval, a question, a message, an agent), and Enter follows the link.
 * Pure: the views draw the rows, the dispatcher follows the links.
 */
import { formatAge, formatCost, sanitizeOneLine } from '../protocol/light.js';
import { groupSearchHits } from '../protocol/search-groups.js';
import type { FlowMessage, MessagesAnswer, RecapAnswer, SearchAnswer, SearchHit, SearchTurn, Waiting } from '../protocol/index.js';
import type { Segment } from './components/Line.js';
import { MAX_SEARCH_HITS, firstSearchPage, oldestHeld, type SearchPages } from './search-pages.js';

/** What a report row leads to. */
export type ReportLink =
  | { kind: 'turn'; agent: string; seq: number }
  | { kind: 'agent'; name: string }
  | { kind: 'approval'; id: number }
  | { kind: 'question'; id: number }
  | { kind: 'message'; id: number };

/** One row of a report: a heading (no link) or an item that leads somewhere. */
export interface ReportRow {
  segments: Segment[];
  link?: ReportLink;
}

/** The report views. */
export type ReportName = 'search' | 'recap' | 'traffic';

/** A report as the console holds it: asked for, answered, or refused. */
export interface Report {
  /** What was asked, for the title (`flaky test`, `since 2h`, `iris`). */
  subject: string;
  status: 'loading' | 'ready' | 'error';
  rows: ReportRow[];
  /** A summary for the title once answered, or the refusal. */
  note?: string;
  /** Traffic: the agent it keeps to. */
  agent?: string;
  /** Search: the pages held, whence the rows. */
  search?: SearchPages;
}

const one = (text: string, max = 400) => sanitizeOneLine(text).trim().slice(0, max);
const ago = (unixSeconds: number, nowSeconds: number) => `${formatAge(Math.max(0, nowSeconds - unixSeconds))} ago`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const heading = (text: string): ReportRow => ({ segments: [{ text, bold: true, tone: 'accent' }] });

/** The segments of `text` with every searched word (lower-case; a trailing `*` matches words starting so) in bold. */
export function highlighted(text: string, words: readonly string[]): Segment[] {
  const stems = words.map((w) => w.replace(/\*$/, '')).filter(Boolean);
  if (stems.length === 0) return [{ text }];
  const escaped = stems.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Split on a capturing group: the odd pieces are the matches.
  const parts = text.split(new RegExp(`(${escaped.join('|')})`, 'i'));
  return parts.flatMap((p, i): Segment[] => (!p ? [] : i % 2 === 1 ? [{ text: p, bold: true, tone: 'warn' }] : [{ text: p }]));
}

/** One page of search results: a heading per agent, a row per turn (Enter opens the stream there), its hits under it. */
export function searchRows(hits: readonly SearchHit[], turns: readonly SearchTurn[], words: readonly string[], nowSeconds: number): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const agent of groupSearchHits<SearchHit, SearchTurn>(hits, turns)) {
    rows.push(heading(`${one(agent.agent, 64)} — ${plural(agent.hits, 'hit')} in ${plural(agent.turns.length, 'turn')}`));
    for (const group of agent.turns) {
      const first = group.hits[0]!;
      const turn = group.turn;
      const seq = turn?.seq ?? first.seq;
      const title = turn ? `turn #${turn.seq} ${ago(turn.ts_ms / 1000, nowSeconds)} from ${one(turn.from, 64)}: ${one(turn.body, 120)}` : `before the oldest stored turn (#${first.seq})`;
      rows.push({ segments: [{ text: `  ${title}` }], link: { kind: 'turn', agent: agent.agent, seq } });
      for (const hit of group.hits) {
        rows.push({ segments: [{ text: `    ${hit.source.padEnd(11)} `, tone: 'muted' }, ...highlighted(one(hit.snippet, 240), words)], link: { kind: 'turn', agent: agent.agent, seq: hit.seq } });
      }
    }
  }
  return rows;
}

/** `text` as one shell word when it holds more than plain words. */
const shellQuoted = (text: string) => (/^[\w* -]*$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);
const muted = (text: string): ReportRow => ({ segments: [{ text, tone: 'muted' }] });

/**
 * Every page held, each grouped by agent and turn on its own under an
 * "older hits" heading, so a page arriving adds rows below the cursor and
 * moves none above it (a turn whose hits span two pages shows in both); then
 * what the end of the list is: older hits loading, not had, or past what the
 * console holds.
 */
export function searchPagesRows(state: SearchPages, nowSeconds: number): ReportRow[] {
  const rows = state.pages.flatMap((page, i) => [...(i > 0 ? [heading(`older hits (${plural(page.hits.length, 'hit')})`)] : []), ...searchRows(page.hits, page.turns, state.words, nowSeconds)]);
  const oldest = oldestHeld(state);
  if (state.loadingBefore !== undefined) rows.push(muted('  loading older hits…'));
  else if (state.olderError !== undefined) rows.push({ segments: [{ text: `  older hits could not be fetched: ${one(state.olderError, 200)} (move to the end again to retry)`, tone: 'error' }] });
  else if (state.more && state.held >= MAX_SEARCH_HITS && oldest !== undefined) rows.push(muted(`  ${MAX_SEARCH_HITS} hits is the most the console holds for a search; older: hyperhive search ${shellQuoted(one(state.query, 200))} --before ${oldest}`));
  else if (state.more) rows.push(muted('  older hits load as the cursor reaches the end'));
  return rows;
}

/** The title's summary of a search: hits held, whether older ones wait, how far the index is behind. */
export function searchNote(state: SearchPages): string {
  const parts = [state.held === 0 ? 'no hits' : `${plural(state.held, 'hit')}${state.more ? ', more older' : ''}`];
  if (state.indexBehind > 0) parts.push(`index ${state.indexBehind} events behind`);
  if (state.note) parts.push(one(state.note, 200));
  return parts.join(' · ');
}

/** A search report showing `state`. */
export function searchReport(asked: Report, state: SearchPages, nowSeconds: number): Report {
  return { ...asked, status: 'ready', search: state, rows: searchPagesRows(state, nowSeconds), note: searchNote(state) };
}

/** True when a recap has nothing to tell. */
export function recapIsQuiet(r: RecapAnswer): boolean {
  const c = r.counts;
  return r.agents.length === 0 && c.approvals === 0 && c.questions === 0 && c.messages === 0 && c.failed_turns === 0 && c.incidents === 0;
}

/** The recap on one screen: a line per agent (to its first turn since), per failed turn, per harness incident, per resolution, per message. */
export function recapRows(r: RecapAnswer, nowSeconds: number): ReportRow[] {
  const rows: ReportRow[] = [];
  const c = r.counts;
  const more = (shown: number, total: number) => (total > shown ? [{ segments: [{ text: `  … and ${total - shown} more (hyperhive recap)`, tone: 'muted' as const }] }] : []);
  if (r.agents.length > 0) {
    rows.push(heading(`agents: ${plural(c.turns, 'turn')}, ${formatCost(c.cost_usd)}`));
    for (const a of r.agents) {
      const trouble = [a.failed_turns > 0 && `${a.failed_turns} failed`, a.started > 0 && `started ${a.started}×`, a.failed > 0 && `marked failed ${a.failed}×`, a.stalled > 0 && `stalled ${a.stalled}×`].filter(Boolean).join(', ');
      const link: ReportLink = a.first_turn_seq !== undefined ? { kind: 'turn', agent: a.name, seq: a.first_turn_seq } : { kind: 'agent', name: a.name };
      rows.push({ segments: [{ text: `  ${one(a.name, 64)}  ${plural(a.turns, 'turn')}  ${formatCost(a.cost_usd)}` }, { text: trouble ? `  ${trouble}` : '', tone: 'error' }], link });
    }
  }
  if (r.failed_turns.length > 0) {
    rows.push(heading('turns that ended badly'));
    for (const t of r.failed_turns) rows.push({ segments: [{ text: `  ${one(t.agent, 64)}  ${ago(t.at, nowSeconds)}  ${one(t.note ?? '', 200)}` }], link: { kind: 'turn', agent: t.agent, seq: t.seq ?? t.end_seq } });
    rows.push(...more(r.failed_turns.length, c.failed_turns));
  }
  if (r.incidents.length > 0) {
    rows.push(heading('harnesses'));
    for (const i of r.incidents) rows.push({ segments: [{ text: `  ${one(i.agent, 64)}  ${i.kind}  ${ago(i.at, nowSeconds)}${i.detail ? `  ${one(i.detail, 200)}` : ''}` }], link: { kind: 'turn', agent: i.agent, seq: i.seq } });
    rows.push(...more(r.incidents.length, c.incidents));
  }
  if (r.approvals.length > 0) {
    rows.push(heading('approvals resolved'));
    for (const a of r.approvals) {
      const at = Date.parse(a.resolved_at) / 1000;
      rows.push({ segments: [{ text: `  #${a.id}  ${one(a.kind, 40)} ${one(a.agent, 64)}  ${one(a.status, 20)}${a.resolved_by ? ` by ${one(a.resolved_by, 80)}` : ''}  ${Number.isFinite(at) ? ago(at, nowSeconds) : ''}` }], link: { kind: 'approval', id: a.id } });
    }
    rows.push(...more(r.approvals.length, c.approvals));
  }
  if (r.questions.length > 0) {
    rows.push(heading(`questions resolved${c.questions_expired > 0 ? ` (${c.questions_expired} expired)` : ''}`));
    for (const q of r.questions) {
      const outcome = q.expired ? 'expired' : q.cancelled ? `cancelled by ${one(q.resolved_by ?? q.answerer, 80)}` : `"${one(q.answer, 80)}" by ${one(q.resolved_by ?? q.answerer, 80)}`;
      rows.push({ segments: [{ text: `  #${q.id}  ${one(q.asker, 64)} → ${one(q.target ?? 'operator', 64)}  ${one(q.question, 120)}  ` }, { text: outcome, tone: q.expired ? 'warn' : undefined }], link: { kind: 'question', id: q.id } });
    }
    rows.push(...more(r.questions.length, c.questions));
  }
  if (r.messages.length > 0) {
    rows.push(heading('messages to you'));
    for (const m of r.messages) rows.push({ segments: [{ text: `  ${m.read ? ' ' : '✉'} #${m.id}  ${one(m.from, 64)}  ${ago(m.sent_at, nowSeconds)}  ${one(m.body, 200)}`, bold: !m.read }], link: { kind: 'message', id: m.id } });
    rows.push(...more(r.messages.length, c.messages));
  }
  const waiting = [c.approvals_pending > 0 && plural(c.approvals_pending, 'approval'), c.questions_open > 0 && plural(c.questions_open, 'question'), c.messages_unread > 0 && plural(c.messages_unread, 'unread message')].filter(Boolean);
  if (waiting.length > 0) rows.push({ segments: [{ text: `waiting for you now: ${waiting.join(', ')} (the attention queue)`, tone: 'warn', bold: true }] });
  return rows;
}

/** The title's summary of a recap: since when, and whose look. */
export function recapNote(r: RecapAnswer, nowSeconds: number): string {
  const since = r.looked_at !== null && r.since === r.looked_at ? `since your last look ${ago(r.since, nowSeconds)}` : `since ${ago(r.since, nowSeconds)}`;
  return `${since} (${one(r.operator, 80)})${recapIsQuiet(r) ? ' · nothing new' : ''}`;
}

const STATE_TONE: Record<FlowMessage['state'], Segment['tone']> = { unread: 'warn', delivered: 'accent', acked: 'muted' };

/** Who waits on whom (a row leads to the question when it waits on the operator, else to the stream of whom it waits on), then the messages newest first: who sent what to whom, and where each is. */
export function trafficRows(answer: MessagesAnswer, nowSeconds: number): ReportRow[] {
  const rows: ReportRow[] = [];
  if (answer.waiting.length > 0) {
    rows.push(heading(`waiting: ${plural(answer.waiting.length, 'open question')}${answer.waiting_more ? ' (the longest waits)' : ''}`));
    for (const w of answer.waiting) rows.push(waitingRow(w, nowSeconds));
  }
  rows.push(heading(answer.messages.length === 0 ? 'no messages' : `messages, newest first${answer.more ? ' (older ones: hyperhive messages --before)' : ''}`));
  for (const m of answer.messages) {
    const to = m.broadcast ? `${one(m.to, 64)} (broadcast)` : one(m.to, 64);
    const reply = m.in_reply_to !== undefined ? ` ↩#${m.in_reply_to}` : '';
    rows.push({
      segments: [{ text: `  #${m.id} ${ago(m.sent_at, nowSeconds).padEnd(8)} ${one(m.from, 64)} → ${to}  ` }, { text: m.state.padEnd(9), tone: STATE_TONE[m.state] }, { text: `${reply} ${one(m.body, 300)}` }],
      link: m.to === 'operator' ? { kind: 'message', id: m.id } : { kind: 'agent', name: m.to },
    });
  }
  return rows;
}

function waitingRow(w: Waiting, nowSeconds: number): ReportRow {
  const deadline = w.deadline_at !== undefined ? `, expires in ${formatAge(Math.max(0, w.deadline_at - nowSeconds))}` : '';
  return { segments: [{ text: `  ${one(w.agent, 64)} waits on ${one(w.on, 64)}`, tone: 'warn' }, { text: `  #${w.question_id} ${ago(w.asked_at, nowSeconds)}${deadline}: ${one(w.question, 200)}` }], link: w.on === 'operator' ? { kind: 'question', id: w.question_id } : { kind: 'agent', name: w.on } };
}

/** The title's summary of a traffic answer. */
export function trafficNote(answer: MessagesAnswer): string {
  const unread = answer.messages.filter((m) => m.state === 'unread').length;
  return `${plural(answer.messages.length, 'message')}, ${unread} unread · ${answer.waiting.length} waiting`;
}

/** The rows a cursor may rest on (those that lead somewhere). */
export function linkedRows(report: Report | undefined): number[] {
  return (report?.rows ?? []).flatMap((r, i) => (r.link ? [i] : []));
}

/** The parsers an answer goes through (the wire schemas, loaded lazily by the console). */
export interface ReportParsers {
  SearchAnswer: { safeParse(v: unknown): { success: true; data: SearchAnswer } | { success: false } };
  RecapAnswer: { safeParse(v: unknown): { success: true; data: RecapAnswer } | { success: false } };
  MessagesAnswer: { safeParse(v: unknown): { success: true; data: MessagesAnswer } | { success: false } };
}

/** Report `name` as answered: its rows and summary, or a sentence for an answer the console cannot read. */
export function answeredReport(name: ReportName, asked: Report, response: Record<string, unknown>, parsers: ReportParsers, nowSeconds: number): Report {
  const bad = (): Report => ({ ...asked, status: 'error', rows: [], note: `the core's ${name} answer was not understood (an older or newer core?)` });
  switch (name) {
    case 'search': {
      const p = parsers.SearchAnswer.safeParse(response);
      return p.success ? searchReport(asked, firstSearchPage(p.data.query, p.data), nowSeconds) : bad();
    }
    case 'recap': {
      const p = parsers.RecapAnswer.safeParse(response);
      return p.success ? { ...asked, status: 'ready', rows: recapRows(p.data, nowSeconds), note: recapNote(p.data, nowSeconds) } : bad();
    }
    case 'traffic': {
      const p = parsers.MessagesAnswer.safeParse(response);
      return p.success ? { ...asked, status: 'ready', rows: trafficRows(p.data, nowSeconds), note: trafficNote(p.data) } : bad();
    }
  }
}

/**
 * The client's picture of the hive and the reducer that applies what the
 * core sends. Dashboard records are plain immutable data; agent streams are
 * bounded ring buffers owned by the state, changed only here (in place, with
 * `rev` bumped so views know to redraw; a changed line is a new object).
 * Every string is sanitized on the way in.
 */
import { sanitize } from '../../protocol/light.js';
import type {
  AgentStatusRow,
  Approval,
  DashboardEvent,
  HiveInfo,
  KeptAgent,
  HiveSpend,
  LoginSession,
  OperatorMessage,
  PermissionRule,
  Question,
  ResourceSample,
  Schedule,
  StateSnapshot,
  ToolApprovalEventFields,
  TodayTotals,
  TransientEntry,
  TurnStat,
} from '../../protocol/index.js';
import { Ring } from './ring.js';
import { linesForEvent, type LiveEventLike, type StreamLine, type StreamLinesAction, type ToolOutcome } from './stream-lines.js';
import { rulesAfter, withToolCall } from './tool-permissions.js';

/** Where the connection to the core stands (always shown in the header). */
export type ConnectionPhase = 'connecting' | 'live' | 'reconnecting' | 'stale' | 'unreachable' | 'incompatible';

/** What the console knows of its link before it connects: where the hive is and what it may do there. */
export interface LinkInfo {
  /** The host socket's path, or the HTTP API's URL. */
  where: string;
  /** Every mutation hidden (host-ro.sock, --read-only, HTTP without a token). */
  readOnly: boolean;
  /** Only the decisions the HTTP API takes (approve, deny, answer, cancel a question) are offered. */
  decisionsOnly?: boolean;
  /** The context's name, when the console knows several hives. */
  context?: string;
}

/** The connection state with what each phase needs to explain itself. */
export interface ConnectionInfo extends LinkInfo {
  phase: ConnectionPhase;
  attempt?: number;
  /** ms epoch of the next connect attempt. */
  nextTryAt?: number;
  /** ms epoch since which the shown data is stale (set once data was live and the link dropped). */
  staleSince?: number;
  reason?: string;
  /** The core's protocol version when it is not ours. */
  theirVersion?: number;
}

/** Lines kept per agent stream (live part); older history pages in separately. */
export const STREAM_RING_LINES = 4000;
/** Older lines paged in from the core per stream, at most. */
export const STREAM_OLDER_LINES = 4000;
/** Turn stat rows kept. */
export const TURN_STATS_KEPT = 2000;
/** Resolved approvals and questions kept for context. */
export const RESOLVED_KEPT = 100;
/** Operator inbox messages kept. */
export const INBOX_KEPT = 500;

/** One agent's stream as the client holds it. */
export interface StreamBuffer {
  agent: string;
  /** Live lines (newest at the end). */
  ring: Ring<StreamLine>;
  /** Older lines paged in from history (oldest first), shown before the ring. */
  older: StreamLine[];
  lastSeq: number;
  /** Seq of the oldest event the client holds (history pages go before it). */
  oldestSeq: number;
  historyExhausted: boolean;
  loadingOlder: boolean;
  /** Pending tool calls: id → the ring position (`Ring.appended` count) of their line, so a result can mark ✓/✗. */
  tools: Map<string, number>;
  /** Bumped on every change. */
  rev: number;
}

/** Everything the views show. */
export interface HiveState {
  connection: ConnectionInfo;
  /** Last dashboard seq applied (resume point). */
  seq: number;
  hasData: boolean;
  agents: Record<string, AgentStatusRow>;
  approvals: Record<number, Approval>;
  questions: Record<number, Question>;
  transients: Record<string, TransientEntry>;
  operatorInbox: OperatorMessage[];
  /** Newest first. */
  turnStats: TurnStat[];
  streams: Record<string, StreamBuffer>;
  /** Full approvals (with diff) fetched on demand. */
  approvalDetails: Record<number, Approval>;
  /** Agents destroyed without purge, newest first (at most KEPT_SHOWN). */
  kept: KeptAgent[];
  /** Each running agent's latest resource sample (polled), and why there are none when the core says. */
  resources: Record<string, ResourceSample>;
  resourcesNote?: string;
  /** Scheduled prompts by id, and the dashboard seq each was last changed at (a list fetched earlier does not undo a later change). */
  schedules: Record<number, Schedule>;
  scheduleSeqs: Record<number, number>;
  /** Counts new approvals/questions that arrived live (the bell rings when it grows). */
  alerts: number;
  /** Tool-permission rules as last fetched (null until asked for), kept in step by the rule events. */
  rules: PermissionRule[] | null;
  /** Why the rules could not be read (over HTTP, say), when they could not. */
  rulesError?: string;
  /** Who the core is and which models it takes (absent from older cores). */
  hive?: HiveInfo;
  /** Turns and cost since the core's local midnight: the snapshot's figure plus the turns reported since. */
  today?: TodayTotals;
  /** The hive's spend today and this week against its budget (absent from older cores). */
  spend?: HiveSpend;
  /** Each agent's last claude login through the core (`L`), as its `login` events tell it. */
  logins: Record<string, LoginSession>;
  /** Bumped on every applied action. */
  rev: number;
}

/** What the connection layer feeds the reducer. */
export type HiveAction =
  | { type: 'connection'; info: Partial<ConnectionInfo> & { phase: ConnectionPhase } }
  | { type: 'snapshot'; snapshot: StateSnapshot }
  | { type: 'dashboard'; event: DashboardEvent }
  | { type: 'turn_stats'; rows: TurnStat[] }
  | { type: 'approval_detail'; approval: Approval }
  | { type: 'kept'; agents: KeptAgent[] }
  | { type: 'rules'; rules: PermissionRule[] }
  | { type: 'rules_unavailable'; error: string }
  | { type: 'resources'; samples: ResourceSample[]; note?: string }
  /** A `schedules` answer, asked for when the client had applied dashboard events up to `asOfSeq`. */
  | { type: 'schedules'; rows: Schedule[]; asOfSeq: number }
  | StreamLinesAction
  | { type: 'stream_older'; agent: string; events: LiveEventLike[]; exhausted: boolean }
  | { type: 'stream_loading_older'; agent: string }
  | { type: 'stream_drop'; agent: string };

/** Most kept agents the console holds (the ctl's `kept` lists them all). */
const KEPT_SHOWN = 100;

/** The empty state before anything is known. */
export function initialHiveState(where: string, readOnly: boolean, link: Partial<LinkInfo> = {}): HiveState {
  return {
    connection: { phase: 'connecting', ...link, where, readOnly },
    seq: 0,
    hasData: false,
    agents: {},
    approvals: {},
    questions: {},
    transients: {},
    operatorInbox: [],
    turnStats: [],
    streams: {},
    approvalDetails: {},
    kept: [],
    resources: {},
    schedules: {},
    scheduleSeqs: {},
    alerts: 0,
    logins: {},
    rules: null,
    rev: 0,
  };
}

/** Sanitize every string in a record from the core (keeps newlines for diffs and bodies). */
export function sanitizeDeep<T>(value: T): T {
  if (typeof value === 'string') return sanitize(value) as T;
  if (Array.isArray(value)) return value.map((v) => sanitizeDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[sanitize(k)] = sanitizeDeep(v);
    return out as T;
  }
  return value;
}

function keepRecent<T extends { id: number }>(map: Record<number, T>, isOpen: (x: T) => boolean): Record<number, T> {
  const closed = Object.values(map).filter((x) => !isOpen(x));
  if (closed.length <= RESOLVED_KEPT) return map;
  const drop = new Set(closed.sort((a, b) => a.id - b.id).slice(0, closed.length - RESOLVED_KEPT).map((x) => x.id));
  const out: Record<number, T> = {};
  for (const x of Object.values(map)) if (!drop.has(x.id)) out[x.id] = x;
  return out;
}

/** True while an approval waits for the operator. */
export const isPendingApproval = (a: Approval) => a.status === 'pending';
/** True until a schedule has ended. */
export const isLiveSchedule = (s: Schedule) => s.state !== 'ended';
/** True while a question waits for an answer (operator questions only reach the queue). */
export const isOpenQuestion = (q: Question) => q.answer === undefined && !q.cancelled;

function newStream(agent: string): StreamBuffer {
  return {
    agent,
    ring: new Ring<StreamLine>(STREAM_RING_LINES),
    older: [],
    lastSeq: 0,
    oldestSeq: Number.POSITIVE_INFINITY,
    historyExhausted: false,
    loadingOlder: false,
    tools: new Map(),
    rev: 0,
  };
}

/** Most pending tool calls remembered per stream (a call without a result is forgotten after this many newer ones). */
const PENDING_TOOLS_KEPT = 512;

function appendLines(buffer: StreamBuffer, action: StreamLinesAction): void {
  const seen = buffer.lastSeq;
  for (const line of action.lines) {
    if (line.seq <= seen) continue; // held already (resume overlap)
    buffer.ring.push(line);
    if (line.toolId === undefined) continue;
    buffer.tools.set(line.toolId, buffer.ring.appended);
    if (buffer.tools.size > PENDING_TOOLS_KEPT) buffer.tools.delete(buffer.tools.keys().next().value as string);
  }
  for (const outcome of action.toolOutcomes) settleTool(buffer, outcome);
  buffer.lastSeq = Math.max(buffer.lastSeq, action.lastSeq);
  buffer.oldestSeq = Math.min(buffer.oldestSeq, action.oldestSeq);
}

/** Mark a held tool line ✓/✗: a new line object, so anything memoised on the old one sees the change. */
function settleTool(buffer: StreamBuffer, { toolId, status }: ToolOutcome): void {
  const position = buffer.tools.get(toolId);
  if (position === undefined) return;
  buffer.tools.delete(toolId);
  const i = position - 1 - (buffer.ring.appended - buffer.ring.length);
  const line = buffer.ring.get(i);
  if (line?.toolId === toolId) buffer.ring.set(i, { ...line, toolStatus: status });
}

/** Lines of a page of history (oldest first), each tool call marked by its result when the page holds it. */
function historyLines(events: readonly LiveEventLike[]): StreamLine[] {
  const outcomes: ToolOutcome[] = [];
  const lines = events.flatMap((e) => linesForEvent(e, outcomes));
  const status = new Map(outcomes.map((o) => [o.toolId, o.status]));
  return lines.map((l) => (l.toolId !== undefined && status.has(l.toolId) ? { ...l, toolStatus: status.get(l.toolId) } : l));
}

/** Unix seconds as the RFC 3339 the Approval record holds. */
const rfc3339 = (unix: number): string => new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

type ApprovalAddedEvent = Extract<DashboardEvent, { kind: 'approval_added' }>;
type ApprovalResolvedEvent = Extract<DashboardEvent, { kind: 'approval_resolved' }>;

/** The Approval record an `approval_added` event describes. */
function addedApproval(ev: ApprovalAddedEvent): Approval {
  const a: Approval = { id: ev.id, agent: ev.agent, kind: ev.approval_kind, commit_ref: ev.commit_ref, requested_at: rfc3339(ev.requested_at), status: 'pending' };
  if (ev.fetched_sha !== null) a.fetched_sha = ev.fetched_sha;
  if (ev.description !== null) a.description = ev.description;
  if (ev.requested_by !== null) a.requested_by = ev.requested_by;
  if (typeof ev.diff_files === 'number') a.diff_files = ev.diff_files;
  return withToolCall(a, ev as ApprovalAddedEvent & Partial<ToolApprovalEventFields>);
}

/** An approval after its `approval_resolved` event (built from the event when it was not held). */
function resolvedApproval(prev: Approval | undefined, ev: ApprovalResolvedEvent): Approval {
  const a: Approval = prev
    ? { ...prev, status: ev.status, resolved_at: rfc3339(ev.resolved_at) }
    : { id: ev.id, agent: ev.agent, kind: ev.approval_kind, commit_ref: ev.commit_ref, requested_at: rfc3339(ev.requested_at), status: ev.status, resolved_at: rfc3339(ev.resolved_at) };
  if (ev.note !== null) a.note = ev.note;
  if (ev.description !== null) a.description = ev.description;
  if (ev.resolved_by !== null) a.resolved_by = ev.resolved_by;
  if (ev.requested_by !== null) a.requested_by = ev.requested_by;
  return a;
}

function applyDashboard(state: HiveState, raw: DashboardEvent): HiveState {
  if (raw.seq <= state.seq) return state; // replay overlap: never shown twice
  const ev = sanitizeDeep(raw);
  const next: HiveState = { ...state, seq: ev.seq };
  switch (ev.kind) {
    case 'approval_added': {
      const prev = state.approvals[ev.id];
      next.approvals = keepRecent({ ...state.approvals, [ev.id]: { ...prev, ...addedApproval(ev) } }, isPendingApproval);
      if (!prev) next.alerts = state.alerts + 1;
      break;
    }
    case 'approval_resolved': {
      const resolved = resolvedApproval(state.approvals[ev.id], ev);
      next.approvals = keepRecent({ ...state.approvals, [ev.id]: resolved }, isPendingApproval);
      const detail = state.approvalDetails[ev.id];
      if (detail) next.approvalDetails = { ...state.approvalDetails, [ev.id]: { ...detail, ...resolved, ...(detail.diff !== undefined && { diff: detail.diff }) } };
      break;
    }
    case 'question_added': {
      const prev = state.questions[ev.id];
      const question: Question = { id: ev.id, asker: ev.asker, question: ev.question, options: ev.options, multi: ev.multi, asked_at: ev.asked_at, target: ev.target };
      if (ev.deadline_at !== null) question.deadline_at = ev.deadline_at;
      next.questions = keepRecent({ ...state.questions, [ev.id]: { ...prev, ...question } }, isOpenQuestion);
      if (!prev && !ev.target) next.alerts = state.alerts + 1;
      break;
    }
    case 'question_resolved': {
      const prev = state.questions[ev.id];
      if (!prev) break; // never shown open here: nothing to close
      const resolved: Question = { ...prev, answer: ev.answer, answerer: ev.answerer, answered_at: ev.answered_at, cancelled: ev.cancelled };
      next.questions = keepRecent({ ...state.questions, [ev.id]: resolved }, isOpenQuestion);
      break;
    }
    case 'transient_set':
      next.transients = { ...state.transients, [ev.name]: { kind: ev.transient_kind, since: ev.since_unix } };
      break;
    case 'transient_cleared': {
      const { [ev.name]: _gone, ...rest } = state.transients;
      next.transients = rest;
      break;
    }
    case 'agent_status':
      next.agents = { ...state.agents, [ev.row.name]: ev.row };
      break;
    case 'agent_removed': {
      const { [ev.name]: _gone, ...rest } = state.agents;
      next.agents = rest;
      break;
    }
    case 'turn_stat':
      if (!state.turnStats.some((t) => t.id === ev.stat.id)) next.turnStats = [ev.stat, ...state.turnStats].slice(0, TURN_STATS_KEPT);
      if (state.today) next.today = addToToday(state.today, ev.stat);
      break;
    case 'operator_message':
      if (!state.operatorInbox.some((m) => m.id === ev.message.id)) {
        next.operatorInbox = [ev.message, ...state.operatorInbox].slice(0, INBOX_KEPT);
      }
      break;
    case 'hive_spend':
      next.spend = ev.spend;
      break;
    case 'login':
      next.logins = { ...state.logins, [ev.session.agent]: ev.session };
      break;
    case 'operator_read': {
      const ids = new Set(ev.ids);
      next.operatorInbox = state.operatorInbox.map((m) => (ids.has(m.id) ? { ...m, read: true } : m));
      break;
    }
    case 'rule_added':
    case 'rule_removed':
      next.rules = rulesAfter(state.rules, ev.kind === 'rule_added' ? 'added' : 'removed', ev.rule);
      break;
    case 'schedule_changed':
      next.schedules = keepRecent({ ...state.schedules, [ev.schedule.id]: ev.schedule }, isLiveSchedule);
      next.scheduleSeqs = { ...state.scheduleSeqs, [ev.schedule.id]: ev.seq };
      break;
    default:
      break; // sent / delivered: the roster's unread counts come with agent_status
  }
  return next;
}

/** A day's seconds: after this, `since` rolls to the next midnight (a DST day is an hour off, once a year). */
const DAY_SECONDS = 86_400;

/** Today's totals with one more turn (a turn after the next midnight starts a new day). */
function addToToday(today: TodayTotals, stat: TurnStat): TodayTotals {
  if (stat.ended_at < today.since) return today;
  if (stat.ended_at >= today.since + DAY_SECONDS) {
    const since = today.since + Math.floor((stat.ended_at - today.since) / DAY_SECONDS) * DAY_SECONDS;
    return { since, turns: 1, cost_usd: stat.cost_usd ?? 0 };
  }
  return { ...today, turns: today.turns + 1, cost_usd: today.cost_usd + (stat.cost_usd ?? 0) };
}

/** Apply one action. Pure for dashboard data; stream buffers are updated in place (and `rev` bumped). */
export function hiveReducer(state: HiveState, action: HiveAction): HiveState {
  const next = applyHive(state, action);
  return next === state ? state : { ...next, rev: state.rev + 1 };
}

function applyHive(state: HiveState, action: HiveAction): HiveState {
  switch (action.type) {
    case 'connection': {
      const { phase: _phase, attempt: _attempt, nextTryAt: _next, staleSince: _stale, reason: _reason, theirVersion: _theirs, ...link } = state.connection;
      const info: ConnectionInfo = { ...link, ...action.info };
      // Once data has been shown, any non-live phase marks it stale from the moment the link dropped.
      if (action.info.phase === 'live') delete info.staleSince;
      else if (state.hasData) info.staleSince = state.connection.staleSince ?? action.info.staleSince ?? Date.now();
      return { ...state, connection: info };
    }
    case 'snapshot': {
      const s = sanitizeDeep(action.snapshot);
      const agents: Record<string, AgentStatusRow> = {};
      for (const row of s.agents) agents[row.name] = row;
      const approvals: Record<number, Approval> = {};
      for (const a of s.approvals) approvals[a.id] = a;
      const questions: Record<number, Question> = {};
      for (const q of s.questions) questions[q.id] = q;
      const inbox = [...s.operator_inbox].sort((a, b) => b.id - a.id).slice(0, INBOX_KEPT);
      return { ...state, seq: s.seq, hasData: true, agents, approvals, questions, transients: s.transients, operatorInbox: inbox, hive: s.hive, today: s.today, spend: s.spend };
    }
    case 'dashboard':
      return applyDashboard(state, action.event);
    case 'turn_stats': {
      const rows = sanitizeDeep(action.rows);
      const known = new Set(state.turnStats.map((t) => t.id));
      const merged = [...state.turnStats, ...rows.filter((r) => !known.has(r.id))].sort((a, b) => b.id - a.id);
      return { ...state, turnStats: merged.slice(0, TURN_STATS_KEPT) };
    }
    case 'approval_detail':
      return { ...state, approvalDetails: { [action.approval.id]: sanitizeDeep(action.approval) } }; // one diff held at a time
    case 'kept':
      return { ...state, kept: sanitizeDeep([...action.agents].sort((a, b) => b.destroyed_at - a.destroyed_at).slice(0, KEPT_SHOWN)) };
    case 'rules': {
      const { rulesError: _was, ...rest } = state;
      return { ...rest, rules: sanitizeDeep(action.rules) };
    }
    case 'rules_unavailable':
      return { ...state, rulesError: sanitize(action.error) };
    case 'resources': {
      const resources: Record<string, ResourceSample> = {};
      for (const sample of sanitizeDeep(action.samples)) resources[sample.name] = sample;
      const { resourcesNote: _old, ...rest } = state;
      return { ...rest, resources, ...(action.note !== undefined && { resourcesNote: sanitizeDeep(action.note) }) };
    }
    case 'schedules': {
      const schedules = { ...state.schedules };
      for (const row of sanitizeDeep(action.rows)) {
        if ((state.scheduleSeqs[row.id] ?? 0) <= action.asOfSeq) schedules[row.id] = row;
      }
      return { ...state, schedules: keepRecent(schedules, isLiveSchedule) };
    }
    case 'stream_lines': {
      const buffer = action.reset ? newStream(action.agent) : state.streams[action.agent];
      if (!buffer) return state;
      appendLines(buffer, action);
      if (action.reset && action.lines.length === 0 && action.lastSeq === 0) buffer.historyExhausted = true;
      buffer.rev++;
      return { ...state, streams: { ...state.streams, [action.agent]: buffer } };
    }
    case 'stream_loading_older': {
      const buffer = state.streams[action.agent];
      if (!buffer) return state;
      buffer.loadingOlder = true;
      buffer.rev++;
      return { ...state, streams: { ...state.streams } };
    }
    case 'stream_older': {
      const buffer = state.streams[action.agent];
      if (!buffer) return state;
      const older = action.events.filter((e) => e.seq < buffer.oldestSeq).sort((a, b) => a.seq - b.seq);
      const lines = historyLines(older);
      if (older.length) buffer.oldestSeq = older[0]!.seq;
      buffer.older = [...lines, ...buffer.older].slice(-STREAM_OLDER_LINES);
      buffer.historyExhausted = action.exhausted || older.length === 0 || buffer.older.length >= STREAM_OLDER_LINES;
      buffer.loadingOlder = false;
      buffer.rev++;
      return { ...state, streams: { ...state.streams } };
    }
    case 'stream_drop': {
      if (!state.streams[action.agent]) return state;
      const { [action.agent]: _gone, ...rest } = state.streams;
      return { ...state, streams: rest };
    }
  }
}

/** Lines of a stream in display order (older history, then the ring). */
export function streamLineCount(buffer: StreamBuffer): number {
  return buffer.older.length + buffer.ring.length;
}

/** Line `i` of a stream in display order. */
export function streamLineAt(buffer: StreamBuffer, i: number): StreamLine | undefined {
  return i < buffer.older.length ? buffer.older[i] : buffer.ring.get(i - buffer.older.length);
}

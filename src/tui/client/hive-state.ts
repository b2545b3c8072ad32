/**
 * The client's picture of the hive and the reducer that applies what the
 * core sends. Dashboard records are plain immutable data; agent streams are
 * bounded ring buffers owned by the state (`stream-buffer.ts`), changed only
 * through this reducer. Every string is sanitized on the way in.
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
  TodayTotals,
  TransientEntry,
  TurnStat,
} from '../../protocol/index.js';
import { addedApproval, resolvedApproval } from './approval-events.js';
import type { ConnectionInfo, ConnectionPhase, LinkInfo } from './connection-info.js';
import { streamsAfter, type StreamAction, type StreamBuffer } from './stream-buffer.js';
import { addToToday } from './today-totals.js';
import { rulesAfter } from './tool-permissions.js';

/** Turn stat rows kept. */
export const TURN_STATS_KEPT = 2000;
/** Resolved approvals and questions kept for context. */
export const RESOLVED_KEPT = 100;
/** Operator inbox messages kept. */
export const INBOX_KEPT = 500;

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
  | StreamAction;

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
    case 'stream_lines':
    case 'stream_loading_older':
    case 'stream_older':
    case 'stream_drop': {
      const streams = streamsAfter(state.streams, action);
      return streams === state.streams ? state : { ...state, streams };
    }
  }
}

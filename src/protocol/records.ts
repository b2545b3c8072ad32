/** The records the wire carries: status rows, approvals, questions, turn stats, messages. */
import { z } from 'zod';
import { AgentSpend, HiveSpend, PauseReason } from './spend.js';
import { CORE_MEASURED_TURN_KEYS } from './resources.js';

/** Protocol version carried by every response. */
export const PROTOCOL_VERSION = 1;

export const AgentName = z.string().min(1).max(63);

export const TurnState = z.enum(['idle', 'thinking', 'compacting']);
export type TurnState = z.infer<typeof TurnState>;

export const TransientKind = z.enum(['spawning', 'starting', 'stopping', 'restarting', 'rebuilding', 'destroying']);
export type TransientKind = z.infer<typeof TransientKind>;

/**
 * How a turn ended. `usage_limited`: claude reported the account's usage
 * limit; `needs_login`: claude is not logged in. Neither consumes the message.
 */
export const ResultKind = z.enum(['ok', 'failed', 'prompt_too_long', 'cancelled', 'usage_limited', 'needs_login']);
export type ResultKind = z.infer<typeof ResultKind>;

export const LastTurn = z.object({
  ended_at: z.number(), // unix seconds
  duration_ms: z.number(),
  cost_usd: z.number().optional(),
  result_kind: ResultKind,
});
export type LastTurn = z.infer<typeof LastTurn>;

/** One roster row (hyperhive's AgentStatusRow plus hyperhive-ts additions). */
export const AgentStatusRow = z.looseObject({
  name: AgentName,
  running: z.boolean(),
  failed: z.boolean(),
  needs_update: z.boolean(),
  needs_login: z.boolean(),
  paused: z.boolean(),
  parent: z.string().optional(),
  deployed_sha: z.string().optional(),
  active_model: z.string().optional(),
  status_text: z.string().optional(),
  status_set_at: z.string().optional(), // RFC 3339, present exactly when status_text is
  url: z.string().optional(),
  pending_reminders: z.number().int(),
  turn_state: TurnState,
  turn_state_since: z.number(), // unix seconds
  unread: z.number().int(),
  context_tokens: z.number().int().optional(),
  last_turn: LastTurn.optional(),
  transient: TransientKind.optional(),
  /** The running turn has produced no output for `stall_heartbeats` heartbeats. */
  stalled: z.boolean().optional(),
  /** Why it is paused (present exactly when `paused` is). */
  pause_reason: PauseReason.optional(),
  /** What it cost today and this week, against its budget. */
  spend: AgentSpend.optional(),
});
export type AgentStatusRow = z.infer<typeof AgentStatusRow>;

export const ApprovalStatus = z.enum(['pending', 'approved', 'denied', 'failed', 'cancelled']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/** One file of a unified diff: its path(s), what happened to it and its line counts. */
export const DiffFileStat = z.looseObject({
  path: z.string(),
  old_path: z.string().optional(),
  status: z.enum(['added', 'deleted', 'modified', 'renamed']),
  added: z.number().int(),
  removed: z.number().int(),
  binary: z.boolean().optional(),
  /** Index of its first line (`diff --git`) in the whole diff. */
  line: z.number().int().optional(),
});
export type DiffFileStat = z.infer<typeof DiffFileStat>;

export const Approval = z.looseObject({
  id: z.number().int(),
  agent: z.string(),
  kind: z.string(), // apply_commit | spawn | …
  commit_ref: z.string(),
  fetched_sha: z.string().optional(),
  requested_at: z.string(), // RFC 3339
  status: ApprovalStatus,
  resolved_at: z.string().optional(),
  note: z.string().optional(),
  description: z.string().optional(),
  resolved_by: z.string().optional(),
  requested_by: z.string().optional(),
  /** Present while an approved request is being carried out: its outcome (`approved` or `failed`) is not known yet. */
  applying: z.literal(true).optional(),
  /** apply_commit: the deployed commit the diff was computed against. */
  base_sha: z.string().optional(),
  /** spawn: the agent comes back from its kept state (destroyed without purge). */
  revival: z.literal(true).optional(),
  /** How many files its diff touches (in lists too, where the diff is not). */
  diff_files: z.number().int().optional(),
  diff: z.string().optional(), // only from `approval {id}`
  // Only from `approval {id}`: what the diff is now, beside the diff itself.
  /** The agent's deployed commit now. */
  deployed_sha: z.string().optional(),
  /** The deployed commit moved since the diff was computed (the diff is against `base_sha`, not what runs). */
  base_moved: z.boolean().optional(),
  /** The files the diff touches, with their added and removed line counts. */
  files: z.array(DiffFileStat).optional(),
  /** How many files the diff touches, when more than `files` lists. */
  files_total: z.number().int().optional(),
  /** The whole diff's size; `diff` holds lines `diff_from` up to `diff_next` (absent: to the end). */
  diff_total_bytes: z.number().int().optional(),
  diff_total_lines: z.number().int().optional(),
  diff_from: z.number().int().optional(),
  diff_next: z.number().int().optional(),
  // tool_permission approvals: the call claude asks about
  /** The tool claude wants to run (`Bash`, `Edit`, `mcp__github__create_issue`, …). */
  tool_name: z.string().optional(),
  /** claude's id of the call (`toolu_…`). */
  tool_use_id: z.string().optional(),
  /** One line: the command, the file touched, the URL fetched. */
  summary: z.string().optional(),
  /** A rule generalised from the call (`Bash(npm test:*)`), offered when the operator decides. */
  rule_proposal: z.string().optional(),
  /** The call's whole input; only from `approval {id}` (and, bounded, on `approval_added`). */
  tool_input: z.record(z.string(), z.unknown()).optional(),
  /** `approval {id}` left `tool_input` out: beside a page of the diff it would not fit the line cap (the diff shows the change). */
  tool_input_truncated: z.boolean().optional(),
});
export type Approval = z.infer<typeof Approval>;

/** An agent destroyed without purge: its state (config repos, notes, history) is kept and it can be revived. */
export const KeptAgent = z.looseObject({
  name: z.string(),
  destroyed_at: z.number(), // unix seconds
  deployed_sha: z.string().optional(),
});
export type KeptAgent = z.infer<typeof KeptAgent>;

// ---------------------------------------------------------------- tool permissions

/** Most tool calls of one agent that may wait for the operator at once. */
export const MAX_WAITING_PERMISSIONS_PER_AGENT = 16;

/** A tool-permission rule: Claude Code's syntax, allow or deny, for one agent or the hive, perhaps until a time. */
export const PermissionRule = z.looseObject({
  id: z.number().int(),
  rule: z.string(),
  effect: z.enum(['allow', 'deny']),
  /** The agent it applies to; null = every agent. */
  agent: z.string().nullable(),
  /** `config` rules come from the hive config and are changed there; `operator` rules were added at runtime. */
  source: z.enum(['config', 'operator']),
  created_at: z.number(), // unix seconds
  created_by: z.string().optional(),
  expires_at: z.number().optional(), // unix seconds
  hits: z.number().int(),
  last_used_at: z.number().optional(), // unix seconds
});
export type PermissionRule = z.infer<typeof PermissionRule>;

/** Longest a question may wait for an answer. */
export const MAX_QUESTION_TTL_SECONDS = 6 * 3600;

export const Question = z.looseObject({
  id: z.number().int(),
  asker: z.string(),
  question: z.string(),
  options: z.array(z.string()),
  multi: z.boolean(),
  asked_at: z.number(), // unix seconds
  deadline_at: z.number().optional(), // unix seconds
  target: z.string().nullable().optional(), // null = operator
  answer: z.string().optional(),
  answerer: z.string().optional(),
  answered_at: z.number().optional(),
  cancelled: z.boolean().optional(),
});
export type Question = z.infer<typeof Question>;

export const TurnStat = z.looseObject({
  id: z.number().int(),
  agent: z.string(),
  model: z.string(),
  wake_from: z.string(),
  result_kind: ResultKind,
  started_at: z.number(), // unix seconds (fractional allowed)
  ended_at: z.number(),
  duration_ms: z.number(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cache_read_input_tokens: z.number().int(),
  cache_creation_input_tokens: z.number().int(),
  cost_usd: z.number().optional(),
  num_turns: z.number().int().optional(),
  tool_call_count: z.number().int(),
  tool_calls: z.record(z.string(), z.number().int()),
  open_threads_count: z.number().int(),
  open_reminders_count: z.number().int(),
  note: z.string().optional(),
  /** `usage_limited`: when claude said the limit resets (unix seconds), when it said. */
  limit_resets_at: z.number().optional(),
  /** The highest CPU (percent of one core) and RSS the core sampled of the agent's processes during the turn (`process` backend only). */
  peak_cpu_percent: z.number().optional(),
  peak_rss_bytes: z.number().int().optional(),
});
export type TurnStat = z.infer<typeof TurnStat>;

/** Keys a harness's stats row may not carry: who the row is for comes from the socket, the id from the store. */
export const TURN_STAT_IDENTITY_KEYS: readonly string[] = ['id', 'agent', 'agent_name', 'name', 'from', 'sender', 'actor'];
/** Largest stats row a harness may send, serialized. */
export const MAX_TURN_STAT_BYTES = 16 * 1024;

/**
 * A TurnStat as the harness sends it. The core assigns `id` and `agent`; a
 * row naming either (or any other identity) is refused, never merged.
 */
export const TurnStatInput = TurnStat.omit({ id: true, agent: true, peak_cpu_percent: true, peak_rss_bytes: true })
  .extend({
    model: z.string().max(200),
    wake_from: z.string().max(256),
    note: z.string().max(4096).optional(),
  })
  .superRefine((row, ctx) => {
    for (const key of TURN_STAT_IDENTITY_KEYS) {
      if (Object.hasOwn(row, key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `a stats row may not carry "${key}": the core takes the agent from the socket and assigns the id` });
        return;
      }
    }
    for (const key of CORE_MEASURED_TURN_KEYS) {
      if (Object.hasOwn(row, key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `a stats row may not carry "${key}": the core measures it` });
        return;
      }
    }
    if (Object.keys(row.tool_calls).length > 512) ctx.addIssue({ code: 'custom', path: ['tool_calls'], message: 'at most 512 tool names' });
    else if (Buffer.byteLength(JSON.stringify(row)) > MAX_TURN_STAT_BYTES) {
      ctx.addIssue({ code: 'custom', message: `a stats row is at most ${MAX_TURN_STAT_BYTES / 1024} KiB serialized` });
    }
  });
export type TurnStatInput = z.infer<typeof TurnStatInput>;

/** A broker message as an inbox hands it out. */
export const InboxMessage = z.looseObject({
  id: z.number().int(),
  from: z.string(),
  body: z.string(),
  sent_at: z.number(), // unix seconds
  in_reply_to: z.number().int().optional(),
});
export type InboxMessage = z.infer<typeof InboxMessage>;

/** A message an agent sent to the operator. */
export const OperatorMessage = z.looseObject({
  id: z.number().int(),
  from: z.string(),
  body: z.string(),
  sent_at: z.number(),
  in_reply_to: z.number().int().optional(),
  read: z.boolean(),
});
export type OperatorMessage = z.infer<typeof OperatorMessage>;

export const TransientEntry = z.object({ kind: TransientKind, since: z.number() });
export type TransientEntry = z.infer<typeof TransientEntry>;

/** Who the core is: the hive's name, the core's version and start, the models `set_model` takes. */
export const HiveInfo = z.looseObject({
  name: z.string(),
  version: z.string(),
  started_at: z.number(), // unix seconds
  models: z.array(z.string()),
});
export type HiveInfo = z.infer<typeof HiveInfo>;

/** Turns recorded since the core's local midnight (`since`, unix seconds) and what they cost. */
export const TodayTotals = z.looseObject({
  since: z.number(),
  turns: z.number().int(),
  cost_usd: z.number(),
});
export type TodayTotals = z.infer<typeof TodayTotals>;

/**
 * How many items a snapshot's lists stand for. The lists are cut to keep the
 * snapshot under the line cap; a list shorter than its count was cut, and
 * the rest is paged with `pending` / `questions` / `operator_inbox`.
 */
export const SnapshotCounts = z.looseObject({
  agents: z.number().int(),
  approvals_pending: z.number().int(),
  questions_open: z.number().int(),
  operator_unread: z.number().int(),
});
export type SnapshotCounts = z.infer<typeof SnapshotCounts>;

/** The dashboard snapshot (`state` verb, `subscribe` ack, `GET /api/state`). */
export const StateSnapshot = z.looseObject({
  seq: z.number().int(),
  agents: z.array(AgentStatusRow),
  approvals: z.array(Approval),
  questions: z.array(Question),
  transients: z.record(z.string(), TransientEntry),
  operator_inbox: z.array(OperatorMessage),
  /** Absent from cores older than this field. */
  hive: HiveInfo.optional(),
  today: TodayTotals.optional(),

  counts: SnapshotCounts.optional(),
  /** The hive's cost today and this week against its budget. */
  spend: HiveSpend.optional(),
});
export type StateSnapshot = z.infer<typeof StateSnapshot>;

export const Urls = z.object({
  domain: z.string().nullable(),
  home: z.string().nullable(),
  forge: z.string().nullable().optional(),
  matrix: z.string().nullable().optional(),
});
export type Urls = z.infer<typeof Urls>;

export const ErrorCode = z.enum(['bad_request', 'not_found', 'conflict', 'forbidden', 'unavailable', 'too_large']);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Helper events: system messages into an inbox (sender `system`, body = JSON of one of these). */
export const HelperEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('question_answered'), id: z.number().int(), question: z.string(), answer: z.string(), answerer: z.string() }),
  z.object({ event: z.literal('question_asked'), id: z.number().int(), asker: z.string(), question: z.string(), options: z.array(z.string()), multi: z.boolean() }),
  z.object({ event: z.literal('approval_resolved'), id: z.number().int(), agent: z.string(), kind: z.string(), status: ApprovalStatus, note: z.string().optional() }),
  z.object({ event: z.literal('restarted'), reason: z.string() }),
]);
export type HelperEvent = z.infer<typeof HelperEvent>;

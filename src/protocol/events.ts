/** Event shapes of the two channels: the dashboard channel and per-agent live streams. */
import { z } from 'zod';
import { AgentStatusRow, ApprovalStatus, OperatorMessage, PermissionRule, ResultKind, TransientKind, TurnStat, TurnState } from './records.js';
import { HiveSpend, LoginSession } from './spend.js';
import { Schedule } from './schedules.js';

// ---------------------------------------------------------------- agent live events

export const TokenUsage = z.looseObject({
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cache_read_input_tokens: z.number().int(),
  cache_creation_input_tokens: z.number().int(),
  /** Tokens in the context window after the last model call. */
  context_tokens: z.number().int().optional(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

const liveBase = { ts_ms: z.number().optional() };

/** One live event as the harness emits it (`emit {events}`); the core adds `seq` and `agent`. */
export const LiveEventInput = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('turn_start'), ...liveBase, from: z.string(), body: z.string(), unread: z.number().int() }),
  z.looseObject({ kind: z.literal('stream'), ...liveBase, data: z.record(z.string(), z.unknown()) }),
  z.looseObject({ kind: z.literal('note'), ...liveBase, text: z.string() }),
  /** `result_kind` says how it ended (a cancelled turn is not a failed one); absent from older harnesses. */
  z.looseObject({ kind: z.literal('turn_end'), ...liveBase, ok: z.boolean(), result_kind: ResultKind.optional(), note: z.string().optional() }),
  z.looseObject({ kind: z.literal('status_changed'), ...liveBase, status: z.string() }),
  z.looseObject({ kind: z.literal('model_changed'), ...liveBase, model: z.string().max(200) }),
  z.looseObject({ kind: z.literal('token_usage_changed'), ...liveBase, usage: TokenUsage }),
  z.looseObject({ kind: z.literal('turn_state_changed'), ...liveBase, state: TurnState, since_unix: z.number() }),
  z.looseObject({
    kind: z.literal('heartbeat'),
    ...liveBase,
    elapsed_secs: z.number(),
    stdout_bytes: z.number().int(),
    stdout_delta_bytes: z.number().int(),
    stagnant_heartbeats: z.number().int(),
    pid: z.number().int().nullable(),
    pid_alive: z.boolean(),
  }),
]);
export type LiveEventInput = z.infer<typeof LiveEventInput>;
export type LiveEventKind = LiveEventInput['kind'];
export const LIVE_EVENT_KINDS = LiveEventInput.options.map((o) => o.shape.kind.value) as LiveEventKind[];

/** A live event as stored and delivered: `seq` (store row id), `agent`, `ts_ms`. */
export type LiveEvent = LiveEventInput & { seq: number; agent: string; ts_ms: number };

// ---------------------------------------------------------------- dashboard events

const dashBase = { seq: z.number().int(), at: z.number() /* unix seconds */ };

/** Longest `diff` an `approval_added` event carries (its JSON text); the whole diff is one `approval` request away. */
export const MAX_EVENT_DIFF_BYTES = 256 * 1024;

/** What `approval_added` adds for a `tool_permission` approval (beside its flat fields; absent for other kinds). */
export const ToolApprovalEventFields = z.object({
  tool_name: z.string(),
  tool_use_id: z.string().nullable(),
  summary: z.string(),
  rule_proposal: z.string().nullable(),
  /** The call's input, or null when its JSON is over 256 KiB (then `tool_input_truncated`; ask `approval`). */
  tool_input: z.record(z.string(), z.unknown()).nullable(),
  tool_input_truncated: z.boolean(),
});
export type ToolApprovalEventFields = z.infer<typeof ToolApprovalEventFields>;

/** What both approval events say first: which approval, for which agent, of which kind, about which commit. */
const approvalNamed = { id: z.number().int(), agent: z.string(), approval_kind: z.string(), sha_short: z.string().nullable() };

/**
 * Dashboard events. The kinds the reference system has carry its flat fields
 * (optional ones present as `null`, as serde writes them); the keys after
 * them are hyperhive's additions.
 */
export const DashboardEvent = z.discriminatedUnion('kind', [
  z.looseObject({
    kind: z.literal('sent'),
    ...dashBase,
    from: z.string(),
    to: z.string(),
    body: z.string(),
    id: z.number().int(),
    in_reply_to: z.number().int().nullable(),
  }),
  /** One per message handed to an inbox by `recv`. */
  z.looseObject({ kind: z.literal('delivered'), ...dashBase, from: z.string(), to: z.string(), body: z.string(), id: z.number().int() }),
  z.looseObject({
    kind: z.literal('approval_added'),
    ...dashBase,
    ...approvalNamed,
    /** At most MAX_EVENT_DIFF_BYTES of it; `diff_truncated` says it was cut. */
    diff: z.string().nullable(),
    description: z.string().nullable(),
    diff_truncated: z.boolean(),
    commit_ref: z.string(),
    fetched_sha: z.string().nullable(),
    requested_at: z.number(), // unix seconds
    requested_by: z.string().nullable(),
    /** How many files the whole diff touches (null without a diff). */
    diff_files: z.number().int().nullable(),
  }),
  z.looseObject({
    kind: z.literal('approval_resolved'),
    ...dashBase,
    ...approvalNamed,
    status: ApprovalStatus,
    resolved_at: z.number(), // unix seconds
    note: z.string().nullable(),
    description: z.string().nullable(),
    resolved_by: z.string().nullable(),
    commit_ref: z.string(),
    requested_at: z.number(), // unix seconds
    requested_by: z.string().nullable(),
  }),
  z.looseObject({
    kind: z.literal('question_added'),
    ...dashBase,
    id: z.number().int(),
    asker: z.string(),
    question: z.string(),
    options: z.array(z.string()),
    multi: z.boolean(),
    asked_at: z.number(),
    deadline_at: z.number().nullable(),
    target: z.string().nullable(), // null = the operator
  }),
  z.looseObject({
    kind: z.literal('question_resolved'),
    ...dashBase,
    id: z.number().int(),
    answer: z.string(),
    answerer: z.string(),
    answered_at: z.number(),
    cancelled: z.boolean(),
  }),
  z.looseObject({ kind: z.literal('transient_set'), ...dashBase, name: z.string(), transient_kind: TransientKind, since_unix: z.number() }),
  z.looseObject({ kind: z.literal('transient_cleared'), ...dashBase, name: z.string() }),
  z.looseObject({ kind: z.literal('agent_status'), ...dashBase, row: AgentStatusRow }),
  z.looseObject({ kind: z.literal('agent_removed'), ...dashBase, name: z.string() }),
  z.looseObject({ kind: z.literal('turn_stat'), ...dashBase, stat: TurnStat }),
  z.looseObject({ kind: z.literal('operator_message'), ...dashBase, message: OperatorMessage }),
  z.looseObject({ kind: z.literal('operator_read'), ...dashBase, ids: z.array(z.number().int()) }),
  /** The hive's spend changed (a turn with a cost, a new budget day, a budget set). */
  z.looseObject({ kind: z.literal('hive_spend'), ...dashBase, spend: HiveSpend }),
  /** A login through the core changed (claude printed its address, took the code, ended). */
  z.looseObject({ kind: z.literal('login'), ...dashBase, session: LoginSession }),
  // tool permissions
  z.looseObject({ kind: z.literal('rule_added'), ...dashBase, rule: PermissionRule }),
  /** `reason`: `removed` by someone, or `expired`. */
  z.looseObject({ kind: z.literal('rule_removed'), ...dashBase, rule: PermissionRule, reason: z.enum(['removed', 'expired']) }),
  z.looseObject({ kind: z.literal('schedule_changed'), ...dashBase, schedule: Schedule }),
]);
export type DashboardEvent = z.infer<typeof DashboardEvent>;
export type DashboardEventKind = DashboardEvent['kind'];
export const DASHBOARD_EVENT_KINDS = DashboardEvent.options.map((o) => o.shape.kind.value) as DashboardEventKind[];

/** Written as a subscriber's last line when its outbound buffer overflowed; resume with `since`. */
export const LaggedEvent = z.object({ kind: z.literal('lagged'), seq: z.number().int() });
export type LaggedEvent = z.infer<typeof LaggedEvent>;

type DashboardOption = (typeof DashboardEvent)['options'][number];
type DashboardOptionOf<K extends DashboardEventKind> = Extract<DashboardOption, { shape: { kind: z.ZodLiteral<K> } }>;
/** The fields an emitter gives a dashboard event of kind `K` (the channel adds `kind`, `seq` and `at`). */
export type DashboardEventFields<K extends DashboardEventKind> = {
  [P in Exclude<keyof DashboardOptionOf<K>['shape'], 'kind' | 'seq' | 'at'>]: z.output<DashboardOptionOf<K>['shape'][P]>;
};

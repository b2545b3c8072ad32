/** Event shapes of the two channels: the dashboard channel and per-agent live streams. */
import { z } from 'zod';
import { AgentStatusRow, Approval, OperatorMessage, PermissionRule, Question, TransientKind, TurnStat, TurnState } from './records.js';

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
  z.looseObject({ kind: z.literal('turn_end'), ...liveBase, ok: z.boolean(), note: z.string().optional() }),
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

export const DashboardEvent = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('sent'), ...dashBase, id: z.number().int(), from: z.string(), to: z.string(), body: z.string(), in_reply_to: z.number().int().optional() }),
  z.looseObject({ kind: z.literal('delivered'), ...dashBase, to: z.string(), ids: z.array(z.number().int()) }),
  z.looseObject({ kind: z.literal('approval_added'), ...dashBase, approval: Approval }),
  z.looseObject({ kind: z.literal('approval_resolved'), ...dashBase, approval: Approval }),
  z.looseObject({ kind: z.literal('question_added'), ...dashBase, question: Question }),
  z.looseObject({ kind: z.literal('question_resolved'), ...dashBase, question: Question }),
  z.looseObject({ kind: z.literal('transient_set'), ...dashBase, name: z.string(), transient: TransientKind, since: z.number() }),
  z.looseObject({ kind: z.literal('transient_cleared'), ...dashBase, name: z.string(), transient: TransientKind }),
  z.looseObject({ kind: z.literal('agent_status'), ...dashBase, row: AgentStatusRow }),
  z.looseObject({ kind: z.literal('agent_removed'), ...dashBase, name: z.string() }),
  z.looseObject({ kind: z.literal('turn_stat'), ...dashBase, stat: TurnStat }),
  z.looseObject({ kind: z.literal('operator_message'), ...dashBase, message: OperatorMessage }),
  z.looseObject({ kind: z.literal('operator_read'), ...dashBase, ids: z.array(z.number().int()) }),
  // tool permissions
  z.looseObject({ kind: z.literal('rule_added'), ...dashBase, rule: PermissionRule }),
  /** `reason`: `removed` by someone, or `expired`. */
  z.looseObject({ kind: z.literal('rule_removed'), ...dashBase, rule: PermissionRule, reason: z.enum(['removed', 'expired']) }),
]);
export type DashboardEvent = z.infer<typeof DashboardEvent>;
export type DashboardEventKind = DashboardEvent['kind'];
export const DASHBOARD_EVENT_KINDS = DashboardEvent.options.map((o) => o.shape.kind.value) as DashboardEventKind[];

/** Written as a subscriber's last line when its outbound buffer overflowed; resume with `since`. */
export const LaggedEvent = z.object({ kind: z.literal('lagged'), seq: z.number().int() });
export type LaggedEvent = z.infer<typeof LaggedEvent>;

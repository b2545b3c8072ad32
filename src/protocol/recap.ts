/** What `recap` answers: what happened in the hive since a time (by default, since the operator last looked). */
import { z } from 'zod';
import { ApprovalStatus } from './records.js';

/** How far back a recap reaches for an operator who never looked, in seconds. */
export const RECAP_FIRST_LOOK_SECONDS = 24 * 3600;
/** Items per recap list when the request gives no `limit` (at most 200). */
export const DEFAULT_RECAP_ITEMS = 20;

/** One agent's activity since: its turns, what they cost, and where its stream picks up. */
export const RecapAgent = z.looseObject({
  name: z.string(),
  turns: z.number().int(),
  /** Turns that ended `failed` or `prompt_too_long`. */
  failed_turns: z.number().int(),
  cost_usd: z.number(),
  /** Seq of its first turn start since (where to read on in its stream); absent when none is stored. */
  first_turn_seq: z.number().int().optional(),
  /** Harness starts (a crash restart says why in `incidents`), times it was marked failed, turns that stalled. */
  started: z.number().int(),
  failed: z.number().int(),
  stalled: z.number().int(),
});
export type RecapAgent = z.infer<typeof RecapAgent>;

/** A turn that ended not ok (failed, cancelled, compacted in vain), from its stream. */
export const RecapTurn = z.looseObject({
  agent: z.string(),
  /** Seq of the turn's `turn_start`; null when it is no longer stored. */
  seq: z.number().int().nullable(),
  end_seq: z.number().int(),
  at: z.number(), // unix seconds
  note: z.string().optional(),
});
export type RecapTurn = z.infer<typeof RecapTurn>;

/** Something that happened to an agent's harness. */
export const RecapIncident = z.looseObject({
  id: z.number().int(),
  agent: z.string(),
  kind: z.enum(['started', 'failed', 'stalled']),
  at: z.number(), // unix seconds
  /** Why (a start's reason: `crash (exit code 1)`, `restart`, …). */
  detail: z.string().optional(),
  /** The agent streams' seq at that moment: the stream just before it is what led there. */
  seq: z.number().int(),
});
export type RecapIncident = z.infer<typeof RecapIncident>;

export const RecapApproval = z.looseObject({
  id: z.number().int(),
  agent: z.string(),
  kind: z.string(),
  status: ApprovalStatus,
  resolved_at: z.string(), // RFC 3339, as on approvals
  resolved_by: z.string().optional(),
  description: z.string().optional(),
  note: z.string().optional(),
});
export type RecapApproval = z.infer<typeof RecapApproval>;

export const RecapQuestion = z.looseObject({
  id: z.number().int(),
  asker: z.string(),
  /** null: the operator. */
  target: z.string().nullable(),
  question: z.string(),
  answer: z.string(),
  /** `operator`, an agent, or `ttl-watchdog` (expired). */
  answerer: z.string(),
  /** Who answered for the operator (their actor), when it was the operator. */
  resolved_by: z.string().optional(),
  answered_at: z.number(),
  cancelled: z.boolean(),
  expired: z.boolean(),
});
export type RecapQuestion = z.infer<typeof RecapQuestion>;

export const RecapMessage = z.looseObject({
  id: z.number().int(),
  from: z.string(),
  body: z.string(),
  sent_at: z.number(),
  read: z.boolean(),
});
export type RecapMessage = z.infer<typeof RecapMessage>;

/** Totals since (the lists are cut to `limit`), and what still waits. */
export const RecapCounts = z.looseObject({
  turns: z.number().int(),
  cost_usd: z.number(),
  failed_turns: z.number().int(),
  incidents: z.number().int(),
  approvals: z.number().int(),
  questions: z.number().int(),
  questions_expired: z.number().int(),
  messages: z.number().int(),
  /** Still waiting now: approvals pending, questions open, operator messages unread. */
  approvals_pending: z.number().int(),
  questions_open: z.number().int(),
  messages_unread: z.number().int(),
});
export type RecapCounts = z.infer<typeof RecapCounts>;

/** The `recap` answer (besides the envelope). Every list is newest first. */
export const RecapAnswer = z.looseObject({
  since: z.number(), // unix seconds
  until: z.number(),
  /** Whose last look `since` came from (the actor's `user@host`), when it did. */
  operator: z.string(),
  /** That operator's last look before now; null when they never looked. */
  looked_at: z.number().nullable(),
  agents: z.array(RecapAgent),
  failed_turns: z.array(RecapTurn),
  incidents: z.array(RecapIncident),
  approvals: z.array(RecapApproval),
  questions: z.array(RecapQuestion),
  messages: z.array(RecapMessage),
  counts: RecapCounts,
});
export type RecapAnswer = z.infer<typeof RecapAnswer>;

/** Who an actor is, for "last looked": its `user@host`, without the terminal after it (`alice@box pts/3` → `alice@box`). */
export function operatorOf(actor: string | undefined): string {
  const who = actor?.trim().split(/\s+/)[0];
  return who ? who : 'operator';
}

/** Response envelope and the shapes of acks that open a subscription. */
import { z } from 'zod';
import { ErrorCode, PROTOCOL_VERSION, StateSnapshot } from './records.js';

/** Every response: `version`, `ok`, and on failure `error` (a sentence) and maybe `code`. */
export const ResponseEnvelope = z.looseObject({
  version: z.number().int(),
  ok: z.boolean(),
  error: z.string().optional(),
  code: z.string().optional(),
});
export type ResponseEnvelope = z.infer<typeof ResponseEnvelope>;

export type OkResponse<T extends object = object> = { version: typeof PROTOCOL_VERSION; ok: true } & T;
export type ErrorResponse = { version: typeof PROTOCOL_VERSION; ok: false; error: string; code?: ErrorCode };

/** A success response carrying `fields`. */
export function okResponse<T extends object>(fields?: T): OkResponse<T> {
  return { version: PROTOCOL_VERSION, ok: true, ...(fields as T) };
}

/** A failure response: `error` is a sentence for a person. */
export function errorResponse(error: string, code?: ErrorCode): ErrorResponse {
  return code ? { version: PROTOCOL_VERSION, ok: false, error, code } : { version: PROTOCOL_VERSION, ok: false, error };
}

/** Ack of `subscribe`: snapshot and stream cut at `seq`; `resync` when `since` could not be honoured. */
export const SubscribeAck = z.looseObject({
  version: z.number().int(),
  ok: z.literal(true),
  seq: z.number().int(),
  snapshot: StateSnapshot.optional(),
  resync: z.boolean().optional(),
});
export type SubscribeAck = z.infer<typeof SubscribeAck>;

/** Ack of `agent_stream`: recent history (oldest first), then live events with `seq` above `seq`. */
export const AgentStreamAck = z.looseObject({
  version: z.number().int(),
  ok: z.literal(true),
  seq: z.number().int(),
  events: z.array(z.looseObject({ kind: z.string(), seq: z.number().int(), agent: z.string(), ts_ms: z.number() })),
  resync: z.boolean().optional(),
});
export type AgentStreamAck = z.infer<typeof AgentStreamAck>;

/** Ack of an agent's `control` subscription. */
export const ControlAck = z.looseObject({
  version: z.number().int(),
  ok: z.literal(true),
  agent: z.string(),
  model: z.string(),
  paused: z.boolean(),
});
export type ControlAck = z.infer<typeof ControlAck>;

/** What `messages` answers: the traffic between agents (and the operator), and who waits on whom. */
import { z } from 'zod';

/** Messages in a `messages` page when the request gives no `limit` (at most 1000). */
export const DEFAULT_MESSAGES_PAGE = 100;

/** Where a message is: not yet handed to its recipient, handed out (a turn is on it), or handled (acked, or read by the operator). */
export const MessageState = z.enum(['unread', 'delivered', 'acked']);
export type MessageState = z.infer<typeof MessageState>;

/** One message as the traffic view shows it. */
export const FlowMessage = z.looseObject({
  id: z.number().int(),
  from: z.string(),
  /** An agent or `operator`; a broadcast is one message per recipient. */
  to: z.string(),
  body: z.string(),
  sent_at: z.number(), // unix seconds
  in_reply_to: z.number().int().optional(),
  broadcast: z.boolean(),
  state: MessageState,
  delivered_at: z.number().optional(),
  acked_at: z.number().optional(),
});
export type FlowMessage = z.infer<typeof FlowMessage>;

/** An agent waiting for an answer: it asked a question (a peer, or the operator) that is still open. */
export const Waiting = z.looseObject({
  /** Who waits. */
  agent: z.string(),
  /** On whom: an agent, or `operator`. */
  on: z.string(),
  question_id: z.number().int(),
  question: z.string(),
  asked_at: z.number(),
  deadline_at: z.number().optional(),
});
export type Waiting = z.infer<typeof Waiting>;

/** The `messages` answer (besides the envelope). */
export const MessagesAnswer = z.looseObject({
  /** Newest first. */
  messages: z.array(FlowMessage),
  /** Open questions, oldest first (the longest wait first). */
  waiting: z.array(Waiting),
  more: z.boolean(),
  /** Present when more questions are open than fit a quarter of the answer. */
  waiting_more: z.boolean().optional(),
});
export type MessagesAnswer = z.infer<typeof MessagesAnswer>;

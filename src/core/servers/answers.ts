/** Turning a service's result into a response, shared by the operator and agent APIs. */
import type { SendReceipt } from '../broker.js';
import { isRefusal } from '../refusal.js';
import { errorResponse, okResponse } from '../../protocol/index.js';

/** A refusal becomes an error response; anything else an ok response with `fields(result)`. */
export function answer(result: unknown, fields?: (value: never) => object): object {
  if (isRefusal(result)) return errorResponse(result.error, result.code);
  return okResponse(fields ? fields(result as never) : {});
}

/** A send's answer fields: its id; a broadcast's also how many inboxes it reached and how many it skipped. */
export function sendFields(to: string): (receipt: SendReceipt) => object {
  return (receipt) => (to === '*' ? { id: receipt.id, recipients: receipt.recipients, skipped: receipt.skipped } : { id: receipt.id });
}

/** The text claude gets on stdin for one inbox message. Pure. */
import type { InboxMessage } from '../protocol/index.js';

/** Compose the wake-up prompt for `message`, addressed to agent `name`. */
export function wakeText(name: string, message: InboxMessage): string {
  const header = message.from === 'system'
    ? `A hyperhive system event arrived for you (${name}), message #${message.id}:`
    : `A message arrived for you (${name}) from ${message.from}, message #${message.id}${message.in_reply_to !== undefined ? ` (a reply to #${message.in_reply_to})` : ''}:`;
  return [
    header,
    '',
    message.body,
    '',
    'Act on it with your tools. Reach other agents and the operator only through the hyperhive MCP tools (send, ask, answer, set_status, remind, get_loose_ends).',
  ].join('\n');
}

/** Command-table rows for what passes between the operator and the agents: questions, answers, messages and the operator's inbox. */
import { joinText, none, onlyId, parseId, parseName, positiveInt } from './arg-values.js';
import { row, type CommandRow } from './command.js';

/** The question and message verbs, in the order `help` lists them. */
export const MESSAGE_COMMANDS: readonly CommandRow[] = [
  row({
    verbs: ['questions'], usage: 'questions [--all]', what: 'open questions, soonest deadline first (--all: and recently resolved)', flags: ['all'],
    build: (verb, pos, f) => (none(pos, verb), { verb, all: f.all === true }),
  }),
  row({
    verbs: ['answer'], usage: 'answer <id> <text…|->', what: 'answer a question ("-" reads stdin)',
    build: (verb, pos) => ({ verb, id: parseId(pos[0], 'question id'), text: joinText(pos.slice(1), 'answer text') }),
  }),
  row({ verbs: ['cancel-question'], usage: 'cancel-question <id>', what: 'withdraw a question (answers [cancelled])', build: (verb, pos) => ({ verb, id: onlyId(pos, verb, 'question id') }) }),
  row({
    verbs: ['send'], usage: 'send <agent|*> <text…|->', what: 'put a message in an agent\'s inbox, or every agent\'s ("-" reads stdin)',
    // `*` broadcasts to every agent, as on the wire.
    build: (verb, pos) => ({ verb, agent: pos[0] === '*' ? '*' : parseName(pos[0]), text: joinText(pos.slice(1), 'message text') }),
  }),
  row({
    verbs: ['inbox'], usage: 'inbox [--limit N] [--before ID] [--mark-read]', what: 'messages agents sent to the operator, newest first (--before: older than ID)', flags: ['limit', 'before', 'markRead'],
    build: (verb, pos, f) => (none(pos, verb), {
      verb,
      markRead: f.markRead === true,
      ...(f.limit !== undefined && { limit: positiveInt(f.limit, 'limit') }),
      ...(f.before !== undefined && { before: positiveInt(f.before, 'before') }),
    }),
  }),
];

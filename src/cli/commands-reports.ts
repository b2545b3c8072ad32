/** Command-table rows for reports: turn stats, the event tail, search, the recap, message traffic and resource use. */
import { exactly, fail, joinText, none, parseName, parseSince, positiveInt } from './arg-values.js';
import { row, type CommandRow } from './command.js';

/** The report verbs, in the order `help` lists them. */
export const REPORT_COMMANDS: readonly CommandRow[] = [
  row({
    verbs: ['stats'], usage: 'stats [--agent NAME] [--limit N] [--before ID]', what: 'per-turn stats, newest first, with totals (--before: older than ID)', flags: ['agent', 'limit', 'before'],
    build: (verb, pos, f) => {
      if (f.agent !== undefined && pos.length > 0) fail('give the agent either as --agent or as an argument, not both');
      exactly(pos, 1, verb);
      const agent = f.agent ?? pos[0];
      return {
        verb,
        ...(agent !== undefined && { agent: parseName(agent) }),
        ...(f.limit !== undefined && { limit: positiveInt(f.limit, 'limit') }),
        ...(f.before !== undefined && { before: positiveInt(f.before, 'before') }),
      };
    },
  }),
  row({
    verbs: ['watch'], usage: 'watch [--kinds K,K…] [--since SEQ]', what: 'tail dashboard events (Ctrl-C to stop)', flags: ['kinds', 'since'],
    build: (verb, pos, f) => {
      none(pos, verb);
      const kinds = f.kinds?.split(',').map((k) => k.trim()).filter((k) => k !== '');
      if (kinds !== undefined && kinds.length === 0) fail('--kinds needs at least one event kind');
      if (f.since !== undefined && !/^\d{1,15}$/.test(f.since)) fail(`--since takes a non-negative integer (a seq), not ${JSON.stringify(f.since)}`);
      return { verb, ...(kinds !== undefined && { kinds }), ...(f.since !== undefined && { since: Number(f.since) }) };
    },
  }),
  row({
    verbs: ['search'], usage: 'search <words…> [--agent NAME] [--limit N] [--before SEQ]', what: 'full-text search of every agent\'s stream, grouped by agent and turn ("a phrase", word*)', flags: ['agent', 'limit', 'before'],
    build: (verb, pos, f) => ({
      verb,
      query: joinText(pos, 'words to search for'),
      ...(f.agent !== undefined && { agent: parseName(f.agent) }),
      ...(f.limit !== undefined && { limit: positiveInt(f.limit, 'limit') }),
      ...(f.before !== undefined && { before: positiveInt(f.before, 'before') }),
    }),
  }),
  row({
    verbs: ['recap'], usage: 'recap [--since 2h|DATE] [--limit N]', what: 'what happened since you last looked, then marks it seen (--since: since then, marking nothing)', flags: ['since', 'limit'],
    build: (verb, pos, f) => (none(pos, verb), {
      verb,
      ...(f.since !== undefined && { since: parseSince(f.since) }),
      ...(f.limit !== undefined && { limit: positiveInt(f.limit, 'limit') }),
    }),
  }),
  row({
    verbs: ['messages'], usage: 'messages [--agent NAME] [--limit N] [--before ID]', what: 'who sent what to whom, in order, unread/delivered/acked, and who waits on whom', flags: ['agent', 'limit', 'before'],
    build: (verb, pos, f) => (none(pos, verb), {
      verb,
      // The operator and the core's senders are ends of the traffic too.
      ...(f.agent !== undefined && { agent: ['operator', 'system', 'reminder'].includes(f.agent) ? f.agent : parseName(f.agent) }),
      ...(f.limit !== undefined && { limit: positiveInt(f.limit, 'limit') }),
      ...(f.before !== undefined && { before: positiveInt(f.before, 'before') }),
    }),
  }),
  row({ verbs: ['resources'], usage: 'resources', what: 'CPU and memory of each running agent\'s processes, and its turn\'s peaks', build: (verb, pos) => (none(pos, verb), { verb }) }),
];

/** Command-table rows for scheduled prompts: proposing one, listing them, and holding, releasing or ending one. */
import { fail, joinText, none, onlyId, parseDuration, parseName } from './arg-values.js';
import { row, type Command, type CommandRow, type Flags } from './command.js';

/** The schedule verbs, in the order `help` lists them. */
export const SCHEDULE_COMMANDS: readonly CommandRow[] = [
  row({
    verbs: ['schedule'], usage: 'schedule <agent> --cron EXPR|--every N[smhd] [--tz ZONE] [--catch-up] <prompt…|->', flags: ['cron', 'every', 'tz', 'catchUp'],
    what: 'propose a prompt delivered on a schedule (cron: 5 fields, e.g. "0 9 * * 1-5"); queued as an approval',
    build: (verb, pos, f) => scheduleCommand(verb, pos, f),
  }),
  row({
    verbs: ['schedules'], usage: 'schedules [--all]', what: 'scheduled prompts, soonest first (--all: and recently ended)', flags: ['all'],
    build: (verb, pos, f) => (none(pos, verb), { verb, all: f.all === true }),
  }),
  row({
    verbs: ['pause-schedule', 'resume-schedule', 'delete-schedule'], usage: 'pause-schedule|resume-schedule|delete-schedule <id>', what: 'hold, release or end a scheduled prompt',
    build: (verb, pos) => ({ verb, id: onlyId(pos, verb, 'schedule id') }),
  }),
];

/** `--every`: a plain number of seconds, or a span of time as `parseDuration` reads it. */
function parseEvery(raw: string): number {
  const seconds = /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : parseDuration(raw);
  if (seconds === null) fail(`--every takes a duration such as 90s, 15m, 2h or 1d, not ${JSON.stringify(raw)}`);
  return seconds;
}

function scheduleCommand(verb: 'schedule', pos: string[], f: Flags): Extract<Command, { verb: 'schedule' }> {
  const agent = parseName(pos[0]);
  if ((f.cron === undefined) === (f.every === undefined)) fail('give exactly one of --cron EXPR or --every DURATION');
  return {
    verb,
    agent,
    text: joinText(pos.slice(1), 'prompt'),
    catchUp: f.catchUp === true,
    ...(f.cron !== undefined && { cron: f.cron }),
    ...(f.every !== undefined && { everySeconds: parseEvery(f.every) }),
    ...(f.tz !== undefined && { tz: f.tz }),
  };
}

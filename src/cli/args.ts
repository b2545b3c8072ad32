/** Command-line parsing for the `hyperhive` ctl: argv in, a typed invocation (or a usage error) out. meow reads the flags; the command table below gives each verb its arguments and flags. */
import { flagName, parseCommandLine, type FlagSpecs } from '../protocol/command-line.js';
import { agentNameProblem } from '../protocol/names.js';
import { checkHttpUrl } from '../protocol/http-client.js';

/** Operator control actions as typed on the command line (kebab-case) and as sent (snake_case). */
export const CONTROL_ACTIONS = {
  'cancel-turn': 'cancel_turn',
  'new-session': 'new_session',
  compact: 'compact',
  'set-model': 'set_model',
} as const;
export type ControlActionArg = keyof typeof CONTROL_ACTIONS;

/** One ctl command, fully checked. `text` of "-" means "read it from stdin". */
export type Command =
  | { verb: 'status' }
  | { verb: 'list' }
  | { verb: 'pending' }
  | { verb: 'approval'; id: number }
  | { verb: 'approve'; id: number; toolUseId?: undefined; supersede: boolean }
  | { verb: 'approve'; id?: undefined; toolUseId: string; supersede?: undefined }
  | ({ verb: 'deny'; note?: string } & ApprovalRef)
  | { verb: 'questions'; all: boolean }
  | { verb: 'answer'; id: number; text: string }
  | { verb: 'cancel-question'; id: number }
  | { verb: 'send'; agent: string; text: string }
  | { verb: 'inbox'; limit?: number; before?: number; markRead: boolean }
  | { verb: 'stats'; agent?: string; limit?: number; before?: number }
  | { verb: 'pause' | 'resume'; agent: string }
  | { verb: 'start'; agents: string[] | 'all' }
  | { verb: 'stop'; agents: string[] | 'all'; force: boolean }
  | { verb: 'restart'; agent: string }
  | { verb: 'spawn'; name: string; description?: string }
  | { verb: 'control'; agent: string; action: ControlActionArg; model?: string }
  | { verb: 'diff'; agent: string }
  | { verb: 'kept' }
  | { verb: 'revive'; name: string; description?: string }
  | { verb: 'purge'; name: string; yes: boolean }
  | { verb: 'destroy'; agent: string; purge: boolean; yes: boolean }
  | { verb: 'watch'; kinds?: string[]; since?: number }
  | { verb: 'cost' }
  | { verb: 'budget'; agent?: string; daily?: number | null; perTurn?: number | null }
  | { verb: 'login'; agent: string; code?: string }
  | { verb: 'rules'; agent?: string }
  | { verb: 'rule'; action: 'add'; effect: 'allow' | 'deny'; rule: string; agent?: string; forSeconds?: number }
  | { verb: 'rule'; action: 'rm'; id: number }
  | { verb: 'search'; query: string; agent?: string; limit?: number; before?: number }
  | { verb: 'recap'; since?: SinceArg; limit?: number }
  | { verb: 'messages'; agent?: string; limit?: number; before?: number }
  | { verb: 'schedule'; agent: string; text: string; cron?: string; everySeconds?: number; tz?: string; catchUp: boolean }
  | { verb: 'schedules'; all: boolean }
  | { verb: 'pause-schedule' | 'resume-schedule' | 'delete-schedule'; id: number }
  | { verb: 'resources' }
  | { verb: 'help' }
  | { verb: 'version' };

export type Verb = Command['verb'];

/** An approval named by its id, or (a tool approval) by claude's tool_use_id. */
export type ApprovalRef = { id: number; toolUseId?: undefined } | { id?: undefined; toolUseId: string };
/** A point in time as typed: so long ago (`2h`), or a date (`2026-11-21T09:00`, unix seconds). */
export type SinceArg = { agoSeconds: number } | { atSeconds: number };

/** A parsed command line. */
export interface Invocation {
  command: Command;
  json: boolean;
  socket?: string;
  /** The hive's HTTP API instead of its socket (the read verbs and watch), and the bearer token's file. */
  url?: string;
  tokenFile?: string;
}

/** What `--url` serves: the read verbs and `watch` (decisions and the rest need the host socket). */
export const URL_VERBS: ReadonlySet<Verb> = new Set<Verb>(['status', 'pending', 'approval', 'questions', 'stats', 'search', 'messages', 'schedules', 'resources', 'watch', 'help', 'version']);

/** Parse result: an invocation, or a usage error sentence. */
export type ParsedArgs = { ok: true; invocation: Invocation } | { ok: false; error: string };

/** Every flag of the ctl: the first four anywhere, the rest only on the verbs that list them. */
const FLAGS = {
  json: { type: 'boolean' },
  socket: { type: 'string' },
  url: { type: 'string' },
  tokenFile: { type: 'string' },
  note: { type: 'string' },
  agent: { type: 'string' },
  limit: { type: 'number' },
  before: { type: 'number' },
  kinds: { type: 'string' },
  since: { type: 'string' },
  description: { type: 'string' },
  markRead: { type: 'boolean' },
  force: { type: 'boolean' },
  all: { type: 'boolean' },
  supersede: { type: 'boolean' },
  purge: { type: 'boolean' },
  yes: { type: 'boolean' },
  daily: { type: 'string' },
  perTurn: { type: 'string' },
  code: { type: 'string' },
  for: { type: 'string' },
  cron: { type: 'string' },
  every: { type: 'string' },
  tz: { type: 'string' },
  catchUp: { type: 'boolean' },
} as const satisfies FlagSpecs;

type VerbFlag = Exclude<keyof typeof FLAGS, 'json' | 'socket' | 'url' | 'tokenFile'>;
type Flags = { [K in VerbFlag]?: K extends 'limit' | 'before' ? number : K extends 'markRead' | 'force' | 'all' | 'supersede' | 'purge' | 'yes' | 'catchUp' ? boolean : string };

/** One row of the command table: the verbs it covers, their usage line, the flags they take, and how their arguments become a command. */
interface CommandRow<V extends Verb = Verb> {
  verbs: readonly V[];
  usage: string;
  what: string;
  flags?: readonly VerbFlag[];
  build(verb: V, pos: string[], flags: Flags): Extract<Command, { verb: V }>;
}

const row = <V extends Verb>(spec: CommandRow<V>): CommandRow => spec as unknown as CommandRow;

/** The command table, in the order `help` lists it. */
const COMMANDS: readonly CommandRow[] = [
  row({ verbs: ['status'], usage: 'status', what: 'roster: state, turn, model, unread, reminders, last turn, status text', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({ verbs: ['list'], usage: 'list', what: 'agent names, one per line', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({ verbs: ['pending'], usage: 'pending', what: 'approvals: pending first, then recently resolved', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({ verbs: ['approval'], usage: 'approval <id>', what: 'one approval with its diff', build: (verb, pos) => ({ verb, id: onlyId(pos, verb, 'approval id') }) }),
  row({
    verbs: ['approve'], usage: 'approve <id>|<tool_use_id> [--supersede]', what: 'approve a pending approval (a tool call: it runs; --supersede: withdraw older config changes of its agent)', flags: ['supersede'],
    build: (verb, pos, f) => approveCommand(verb, approvalRef(pos, verb), f.supersede === true),
  }),
  row({
    verbs: ['deny'], usage: 'deny <id>|<tool_use_id> [--note TEXT]', what: 'deny a pending approval (a tool call: claude reads the note)', flags: ['note'],
    build: (verb, pos, f) => ({ verb, ...approvalRef(pos, verb), ...(f.note !== undefined && { note: f.note }) }),
  }),
  row({
    verbs: ['rules'], usage: 'rules [--agent NAME]', what: 'tool-permission rules: effect, rule, scope, hits, last use, expiry', flags: ['agent'],
    build: (verb, pos, f) => (none(pos, verb), { verb, ...(f.agent !== undefined && { agent: parseName(f.agent) }) }),
  }),
  row({
    verbs: ['rule'], usage: 'rule add allow|deny <rule> [--agent NAME] [--for 30m|8h|7d] | rule rm <id>', what: 'add a tool-permission rule (Claude Code syntax, e.g. \'Bash(npm test:*)\') or remove one', flags: ['agent', 'for'],
    build: (verb, pos, f) => ruleCommand(verb, pos, f),
  }),
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
  row({ verbs: ['pause', 'resume'], usage: 'pause|resume <agent>', what: 'hold or release an agent\'s turn loop', build: (verb, pos) => ({ verb, agent: onlyName(pos, verb) }) }),
  row({ verbs: ['start'], usage: 'start <agent…>|--all', what: 'start agents', flags: ['all'], build: (verb, pos, f) => ({ verb, agents: agentsOrAll(pos, f, verb) }) }),
  row({
    verbs: ['stop'], usage: 'stop <agent…>|--all [--force]', what: 'stop agents (graceful unless --force)', flags: ['all', 'force'],
    build: (verb, pos, f) => ({ verb, agents: agentsOrAll(pos, f, verb), force: f.force === true }),
  }),
  row({ verbs: ['restart'], usage: 'restart <agent>', what: 'restart an agent', build: (verb, pos) => ({ verb, agent: onlyName(pos, verb) }) }),
  row({
    verbs: ['spawn'], usage: 'spawn <name> [--description TEXT]', what: 'queue a spawn approval for a new agent', flags: ['description'],
    build: (verb, pos, f) => {
      exactly(pos, 1, verb);
      return { verb, name: parseName(pos[0], 'name for the new agent'), ...(f.description !== undefined && { description: f.description }) };
    },
  }),
  // config repos and kept agents
  row({ verbs: ['diff'], usage: 'diff <agent>', what: 'what the agent runs against the head of its proposed config repo', build: (verb, pos) => ({ verb, agent: onlyName(pos, verb) }) }),
  row({ verbs: ['kept'], usage: 'kept', what: 'agents destroyed without purge (revive or purge them)', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({
    verbs: ['revive'], usage: 'revive <name> [--description TEXT]', what: 'queue a spawn approval that brings a kept agent back', flags: ['description'],
    build: (verb, pos, f) => {
      exactly(pos, 1, verb);
      return { verb, name: parseName(pos[0], 'name of the kept agent'), ...(f.description !== undefined && { description: f.description }) };
    },
  }),
  row({
    verbs: ['purge'], usage: 'purge <name> [--yes]', what: 'remove a kept agent\'s state for good (asks first; --yes does not)', flags: ['yes'],
    build: (verb, pos, f) => ({ verb, name: onlyName(pos, verb), yes: f.yes === true }),
  }),
  row({
    verbs: ['destroy'], usage: 'destroy <agent> [--purge [--yes]]', what: 'stop and forget an agent, keeping its state (--purge: remove it too; asks first)', flags: ['purge', 'yes'],
    build: (verb, pos, f) => {
      if (f.yes && !f.purge) fail('--yes goes with --purge (destroy without purge keeps the state and asks nothing)');
      return { verb, agent: onlyName(pos, verb), purge: f.purge === true, yes: f.yes === true };
    },
  }),
  row({ verbs: ['control'], usage: 'control <agent> <action>', what: 'steer a running agent: cancel-turn | new-session | compact | set-model <model>', build: (verb, pos) => control(verb, pos) }),
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
  row({ verbs: ['cost'], usage: 'cost', what: 'today\'s and this week\'s cost per agent and for the hive, against the budgets', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({
    verbs: ['budget'], usage: 'budget [<agent>] [--daily USD|none] [--per-turn USD|none]', what: 'set the hive\'s (or an agent\'s) budget at runtime; none lifts it', flags: ['daily', 'perTurn'],
    build: (verb, pos, f) => {
      exactly(pos, 1, verb);
      if (f.daily === undefined && f.perTurn === undefined) fail('budget needs --daily or --per-turn (USD, or none to lift the limit)');
      return {
        verb,
        ...(pos[0] !== undefined && { agent: parseName(pos[0]) }),
        ...(f.daily !== undefined && { daily: usdOrNone(f.daily, 'daily') }),
        ...(f.perTurn !== undefined && { perTurn: usdOrNone(f.perTurn, 'per-turn') }),
      };
    },
  }),
  row({
    verbs: ['login'], usage: 'login <agent> [--code CODE]', what: 'log an agent\'s claude in: prints the sign-in address, then reads the code (or takes --code)', flags: ['code'],
    build: (verb, pos, f) => ({ verb, agent: onlyName(pos, verb), ...(f.code !== undefined && { code: f.code }) }),
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
  row({ verbs: ['resources'], usage: 'resources', what: 'CPU and memory of each running agent\'s processes, and its turn\'s peaks', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({ verbs: ['help'], usage: 'help', what: 'this list', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({ verbs: ['version'], usage: 'version', what: 'the ctl\'s version (also --version)', build: (verb, pos) => (none(pos, verb), { verb }) }),
];

const COMMAND_BY_VERB = new Map<string, CommandRow>(COMMANDS.flatMap((r) => r.verbs.map((v) => [v, r] as const)));

/** One usage line per command, shown by `help`. */
export const USAGE_LINES: ReadonlyArray<readonly [string, string]> = COMMANDS.map((r) => [r.usage, r.what] as const);

/** The one-line synopsis printed after a usage error. */
export const SYNOPSIS = 'usage: hyperhive [--json] [--socket PATH | --url URL [--token-file FILE]] <command> [args]   (hyperhive help for the list)';

class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

/** Parse argv (without node and the script) into an invocation. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  try {
    return { ok: true, invocation: parseOrThrow(argv) };
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, error: err.message };
    throw err;
  }
}

function parseOrThrow(argv: readonly string[]): Invocation {
  const parsed = parseCommandLine(argv, FLAGS);
  if (!parsed.ok) fail(parsed.error);
  const { json, socket, url, tokenFile, help, version, ...verbFlags } = parsed.flags;
  if (socket === '') fail('--socket needs a path');
  if (socket !== undefined && url !== undefined) fail('--socket and --url each name a hive; give one');
  if (tokenFile !== undefined && url === undefined) fail('--token-file goes with --url');
  let checkedUrl: string | undefined;
  try {
    checkedUrl = url === undefined ? undefined : checkHttpUrl(url);
  } catch (err) {
    fail(`--url: ${(err as Error).message}`);
  }
  const globals = { json: json === true, ...(socket !== undefined && { socket }), ...(checkedUrl !== undefined && { url: checkedUrl }), ...(tokenFile !== undefined && { tokenFile }) };
  const positional = version ? ['version', ...parsed.input] : parsed.input;
  const verbArg = positional[0];
  if (verbArg === undefined || help) return { command: { verb: 'help' }, ...globals };
  const spec = COMMAND_BY_VERB.get(verbArg);
  if (!spec) fail(`unknown command ${JSON.stringify(verbArg)}`);
  if (checkedUrl !== undefined && !URL_VERBS.has(verbArg as Verb)) {
    fail(`${verbArg} needs the host socket (--socket); --url serves status, pending, approval, questions, stats, search, messages, schedules, resources and watch`);
  }
  for (const [key, value] of Object.entries(verbFlags)) {
    if (value !== undefined && !spec.flags?.includes(key as VerbFlag)) fail(`--${flagName(key)} does not apply to ${verbArg}`);
  }
  return { command: spec.build(verbArg as Verb, positional.slice(1), verbFlags), ...globals };
}

function parseId(raw: string | undefined, what: string): number {
  if (raw === undefined) fail(`missing ${what}`);
  const cleaned = raw.startsWith('#') ? raw.slice(1) : raw;
  if (!/^\d{1,15}$/.test(cleaned)) fail(`${what} must be a non-negative integer, not ${JSON.stringify(raw)}`);
  return Number(cleaned);
}

/** A budget in USD, or null for `none`. */
function usdOrNone(raw: string, flag: string): number | null {
  if (raw.trim().toLowerCase() === 'none') return null;
  const usd = Number(raw.replace(/^\$/, ''));
  if (raw.trim() === '' || !Number.isFinite(usd) || usd < 0 || usd > 1_000_000) fail(`--${flag} takes USD (0 to 1000000) or none, not ${JSON.stringify(raw)}`);
  return usd;
}

function positiveInt(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 999_999_999) fail(`--${flag} takes a positive integer, not ${value}`);
  return value;
}

function parseName(raw: string | undefined, what = 'agent name'): string {
  if (raw === undefined) fail(`missing ${what}`);
  const problem = agentNameProblem(raw);
  if (problem) fail(problem);
  return raw;
}

function joinText(words: string[], what: string): string {
  if (words.length === 0) fail(`missing ${what}`);
  const text = words.join(' ');
  if (text.trim() === '') fail(`${what} must not be empty`);
  return text;
}

function exactly(positional: string[], count: number, verb: string): void {
  if (positional.length > count) fail(`${verb} takes ${count === 0 ? 'no arguments' : `${count} argument${count > 1 ? 's' : ''}`}; unexpected ${JSON.stringify(positional[count])}`);
}

function none(positional: string[], verb: string): void {
  exactly(positional, 0, verb);
}

function onlyId(positional: string[], verb: string, what: string): number {
  exactly(positional, 1, verb);
  return parseId(positional[0], what);
}

function onlyName(positional: string[], verb: string): string {
  exactly(positional, 1, verb);
  return parseName(positional[0]);
}

function agentsOrAll(positional: string[], flags: Flags, verb: string): string[] | 'all' {
  if (flags.all) {
    if (positional.length > 0) fail(`give either --all or agent names to ${verb}, not both`);
    return 'all';
  }
  if (positional.length === 0) fail(`missing agent name (or --all)`);
  return positional.map((p) => parseName(p));
}

function approvalRef(positional: string[], verb: string): ApprovalRef {
  exactly(positional, 1, verb);
  const raw = positional[0];
  // claude's tool-use ids look like toolu_01Ab…; approval ids are numbers.
  if (raw !== undefined && /^toolu_[A-Za-z0-9_-]{1,194}$/.test(raw)) return { toolUseId: raw };
  return { id: parseId(raw, 'approval id (or a tool_use_id)') };
}

/** `approve`: `--supersede` withdraws older config changes, so it needs an approval id, not a tool call's. */
function approveCommand(verb: 'approve', ref: ApprovalRef, supersede: boolean): Extract<Command, { verb: 'approve' }> {
  if (ref.toolUseId === undefined) return { verb, id: ref.id, supersede };
  if (supersede) fail('--supersede withdraws older config changes of an agent; give the approval id of a config change, not a tool_use_id');
  return { verb, toolUseId: ref.toolUseId };
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `30m`, `8h`, `7d`, `90s` → seconds (at most 366 days). */
export function parseDuration(raw: string): number | null {
  const m = /^(\d{1,6})([smhd])$/.exec(raw.trim());
  if (!m) return null;
  const seconds = Number(m[1]) * DURATION_UNITS[m[2]!]!;
  return seconds > 0 && seconds <= 366 * 86_400 ? seconds : null;
}

function ruleCommand(verb: 'rule', pos: string[], f: Flags): Extract<Command, { verb: 'rule' }> {
  const [action, ...rest] = pos;
  if (action === 'rm') {
    if (f.agent !== undefined || f.for !== undefined) fail('rule rm takes only the rule id');
    return { verb, action, id: onlyId(rest, 'rule rm', 'rule id') };
  }
  if (action !== 'add') fail(action === undefined ? 'missing rule action: add or rm' : `unknown rule action ${JSON.stringify(action)}; expected add or rm`);
  const [effect, ...words] = rest;
  if (effect !== 'allow' && effect !== 'deny') fail(effect === undefined ? 'missing effect: allow or deny' : `the effect is allow or deny, not ${JSON.stringify(effect)}`);
  const rule = words.join(' ').trim();
  if (rule === '') fail("missing rule (quote it for the shell, e.g. 'Bash(npm test:*)')");
  let forSeconds: number | undefined;
  if (f.for !== undefined) {
    const seconds = parseDuration(f.for);
    if (seconds === null) fail(`--for takes a duration like 30m, 8h or 7d (at most 366d), not ${JSON.stringify(f.for)}`);
    forSeconds = seconds;
  }
  return { verb, action, effect, rule, ...(f.agent !== undefined && { agent: parseName(f.agent) }), ...(forSeconds !== undefined && { forSeconds }) };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400 };

/** `90s`, `15m`, `2h`, `1h30m`, `3d`, `1w` ago; or a date and time (`2026-11-21`, `2026-11-21T09:00`, with a zone or local). */
export function parseSince(text: string): SinceArg {
  const trimmed = text.trim();
  if (/^(\d+(\.\d+)?[smhdw])+$/.test(trimmed)) {
    let seconds = 0;
    for (const [, n, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) seconds += Number(n) * UNIT_SECONDS[unit!]!;
    return { agoSeconds: seconds };
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) {
    // A date alone is local midnight, as a person means it (Date.parse would read it as UTC).
    const ms = Date.parse(trimmed.length === 10 ? `${trimmed}T00:00` : trimmed.replace(' ', 'T'));
    if (Number.isFinite(ms)) return { atSeconds: ms / 1000 };
  }
  fail(`--since takes a time ago (90s, 15m, 2h, 1h30m, 3d, 1w) or a date (2026-11-21, 2026-11-21T09:00), not ${JSON.stringify(text)}`);
}

function control(verb: 'control', pos: string[]): Extract<Command, { verb: 'control' }> {
  const agent = parseName(pos[0]);
  const action = pos[1];
  if (action === undefined) fail(`missing action (${Object.keys(CONTROL_ACTIONS).join(', ')})`);
  if (!(action in CONTROL_ACTIONS)) {
    fail(`unknown action ${JSON.stringify(action)}; expected one of ${Object.keys(CONTROL_ACTIONS).join(', ')}`);
  }
  if (action === 'set-model') {
    if (pos[2] === undefined || pos[2] === '') fail('set-model needs a model name');
    exactly(pos, 3, 'control … set-model');
    return { verb, agent, action, model: pos[2] };
  }
  exactly(pos, 2, `control … ${action}`);
  return { verb, agent, action: action as ControlActionArg };
}

/** `every` as seconds: a plain number of seconds, or a number with s, m, h or d. */
export function parseEvery(raw: string): number {
  const m = /^(\d{1,9})([smhd]?)$/.exec(raw.trim());
  if (!m) fail(`--every takes a duration such as 90s, 15m, 2h or 1d, not ${JSON.stringify(raw)}`);
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
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

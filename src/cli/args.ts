/** Command-line parsing for the `hyperhive` ctl: argv in, a typed invocation (or a usage error) out. meow reads the flags; the command table, gathered here from its areas, gives each verb its arguments and flags. */
import { flagName, parseCommandLine } from '../protocol/command-line.js';
import { checkHttpUrl } from '../protocol/http-client.js';
import { fail, none, UsageError } from './arg-values.js';
import { FLAGS, row, type Command, type CommandRow, type Verb, type VerbFlag } from './command.js';
import { AGENT_COMMANDS } from './commands-agents.js';
import { APPROVAL_COMMANDS } from './commands-approvals.js';
import { PERMISSION_COMMANDS } from './commands-permissions.js';
import { MESSAGE_COMMANDS } from './commands-messages.js';
import { REPORT_COMMANDS } from './commands-reports.js';
import { SPEND_COMMANDS } from './commands-spend.js';
import { SCHEDULE_COMMANDS } from './commands-schedules.js';

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

/** The command table, in the order `help` lists it: by area, then the ctl's own verbs. */
const COMMANDS: readonly CommandRow[] = [
  ...AGENT_COMMANDS,
  ...APPROVAL_COMMANDS,
  ...PERMISSION_COMMANDS,
  ...MESSAGE_COMMANDS,
  ...REPORT_COMMANDS,
  ...SPEND_COMMANDS,
  ...SCHEDULE_COMMANDS,
  row({ verbs: ['help'], usage: 'help', what: 'this list', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({ verbs: ['version'], usage: 'version', what: 'the ctl\'s version (also --version)', build: (verb, pos) => (none(pos, verb), { verb }) }),
];

const COMMAND_BY_VERB = new Map<string, CommandRow>(COMMANDS.flatMap((r) => r.verbs.map((v) => [v, r] as const)));

/** One usage line per command, shown by `help`. */
export const USAGE_LINES: ReadonlyArray<readonly [string, string]> = COMMANDS.map((r) => [r.usage, r.what] as const);

/** The one-line synopsis printed after a usage error. */
export const SYNOPSIS = 'usage: hyperhive [--json] [--socket PATH | --url URL [--token-file FILE]] <command> [args]   (hyperhive help for the list)';

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

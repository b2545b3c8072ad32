/** Command-line parsing for the `hyperhive` ctl: argv in, a typed invocation (or a usage error) out. */
import { agentNameProblem } from '../protocol/names.js';

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
  | { verb: 'approve'; id: number }
  | { verb: 'deny'; id: number; note?: string }
  | { verb: 'questions'; all: boolean }
  | { verb: 'answer'; id: number; text: string }
  | { verb: 'cancel-question'; id: number }
  | { verb: 'send'; agent: string; text: string }
  | { verb: 'inbox'; limit?: number; markRead: boolean }
  | { verb: 'stats'; agent?: string; limit?: number }
  | { verb: 'pause' | 'resume'; agent: string }
  | { verb: 'start'; agents: string[] | 'all' }
  | { verb: 'stop'; agents: string[] | 'all'; force: boolean }
  | { verb: 'restart'; agent: string }
  | { verb: 'spawn'; name: string; description?: string }
  | { verb: 'control'; agent: string; action: ControlActionArg; model?: string }
  | { verb: 'watch'; kinds?: string[]; since?: number }
  | { verb: 'help' }
  | { verb: 'version' };

export type Verb = Command['verb'];

/** A parsed command line. */
export interface Invocation {
  command: Command;
  json: boolean;
  socket?: string;
}

/** Parse result: an invocation, or a usage error sentence. */
export type ParsedArgs = { ok: true; invocation: Invocation } | { ok: false; error: string };

/** One usage line per command, shown by `help` and after a usage error. */
export const USAGE_LINES: ReadonlyArray<readonly [Verb | string, string]> = [
  ['status', 'roster: state, turn, model, unread, reminders, last turn, status text'],
  ['list', 'agent names, one per line'],
  ['pending', 'approvals: pending first, then recently resolved'],
  ['approval <id>', 'one approval with its diff'],
  ['approve <id>', 'approve a pending approval'],
  ['deny <id> [--note TEXT]', 'deny a pending approval'],
  ['questions [--all]', 'open questions, soonest deadline first (--all: and recently resolved)'],
  ['answer <id> <text…|->', 'answer a question ("-" reads stdin)'],
  ['cancel-question <id>', 'withdraw a question (answers [cancelled])'],
  ['send <agent|*> <text…|->', 'put a message in an agent\'s inbox, or every agent\'s ("-" reads stdin)'],
  ['inbox [--limit N] [--mark-read]', 'messages agents sent to the operator'],
  ['stats [--agent NAME] [--limit N]', 'per-turn stats, newest first, with totals'],
  ['pause|resume <agent>', 'hold or release an agent\'s turn loop'],
  ['start <agent…>|--all', 'start agents'],
  ['stop <agent…>|--all [--force]', 'stop agents (graceful unless --force)'],
  ['restart <agent>', 'restart an agent'],
  ['spawn <name> [--description TEXT]', 'queue a spawn approval for a new agent'],
  ['control <agent> <action>', 'steer a running agent: cancel-turn | new-session | compact | set-model <model>'],
  ['watch [--kinds K,K…] [--since SEQ]', 'tail dashboard events (Ctrl-C to stop)'],
];

/** The one-line synopsis printed after a usage error. */
export const SYNOPSIS = 'usage: hyperhive [--json] [--socket PATH] <command> [args]   (hyperhive help for the list)';

/** Flags that take a value, and the commands they belong to. */
const VALUE_FLAGS: Record<string, readonly Verb[]> = {
  note: ['deny'],
  agent: ['stats'],
  limit: ['stats', 'inbox'],
  kinds: ['watch'],
  since: ['watch'],
  description: ['spawn'],
};
/** Boolean flags, and the commands they belong to. */
const BOOL_FLAGS: Record<string, readonly Verb[]> = {
  'mark-read': ['inbox'],
  force: ['stop'],
  all: ['start', 'stop', 'questions'],
};

const VERBS: ReadonlySet<string> = new Set<Verb>([
  'status', 'list', 'pending', 'approval', 'approve', 'deny', 'questions', 'answer', 'cancel-question', 'send',
  'inbox', 'stats', 'pause', 'resume', 'start', 'stop', 'restart', 'spawn', 'control', 'watch', 'help', 'version',
]);

class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

function parseId(raw: string | undefined, what = 'id'): number {
  if (raw === undefined) fail(`missing ${what}`);
  const cleaned = raw.startsWith('#') ? raw.slice(1) : raw;
  if (!/^\d{1,15}$/.test(cleaned)) fail(`${what} must be a non-negative integer, not ${JSON.stringify(raw)}`);
  return Number(cleaned);
}

function parsePositiveInt(raw: string, flag: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) === 0) fail(`--${flag} takes a positive integer, not ${JSON.stringify(raw)}`);
  return Number(raw);
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
  let json = false;
  let socket: string | undefined;
  let help = false;
  const values = new Map<string, string>();
  const bools = new Set<string>();
  const positional: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) fail(`unknown option ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (flag === 'json' || flag in BOOL_FLAGS) {
      if (inline !== undefined) fail(`--${flag} takes no value`);
      if (flag === 'json') json = true;
      else bools.add(flag);
      continue;
    }
    if (flag === 'socket' || flag in VALUE_FLAGS) {
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`--${flag} needs a value`);
      if (flag === 'socket') {
        if (value === '') fail('--socket needs a path');
        socket = value;
      } else values.set(flag, value);
      continue;
    }
    if (flag === 'version') {
      positional.unshift('version');
      continue;
    }
    fail(`unknown option --${flag}`);
  }

  const verbArg = positional.shift();
  if (verbArg === undefined || help) {
    return { command: { verb: 'help' }, json, ...(socket !== undefined && { socket }) };
  }
  if (!VERBS.has(verbArg)) fail(`unknown command ${JSON.stringify(verbArg)}`);
  const verb = verbArg as Verb;

  for (const flag of values.keys()) {
    if (!VALUE_FLAGS[flag]!.includes(verb)) fail(`--${flag} does not apply to ${verb}`);
  }
  for (const flag of bools) {
    if (!BOOL_FLAGS[flag]!.includes(verb)) fail(`--${flag} does not apply to ${verb}`);
  }

  const command = buildCommand(verb, positional, values, bools);
  return { command, json, ...(socket !== undefined && { socket }) };
}

function buildCommand(verb: Verb, pos: string[], values: Map<string, string>, bools: Set<string>): Command {
  switch (verb) {
    case 'status':
    case 'list':
    case 'pending':
    case 'help':
    case 'version':
      exactly(pos, 0, verb);
      return { verb };
    case 'questions':
      exactly(pos, 0, verb);
      return { verb, all: bools.has('all') };
    case 'approval':
    case 'approve':
    case 'cancel-question':
      exactly(pos, 1, verb);
      return { verb, id: parseId(pos[0], `${verb === 'cancel-question' ? 'question' : 'approval'} id`) };
    case 'deny': {
      exactly(pos, 1, verb);
      const note = values.get('note');
      return { verb, id: parseId(pos[0], 'approval id'), ...(note !== undefined && { note }) };
    }
    case 'answer':
      return { verb, id: parseId(pos[0], 'question id'), text: joinText(pos.slice(1), 'answer text') };
    case 'send':
      // `*` broadcasts to every agent, as on the wire.
      return { verb, agent: pos[0] === '*' ? '*' : parseName(pos[0]), text: joinText(pos.slice(1), 'message text') };
    case 'inbox': {
      exactly(pos, 0, verb);
      const limit = values.get('limit');
      return { verb, markRead: bools.has('mark-read'), ...(limit !== undefined && { limit: parsePositiveInt(limit, 'limit') }) };
    }
    case 'stats': {
      const agentFlag = values.get('agent');
      if (agentFlag !== undefined && pos.length > 0) fail('give the agent either as --agent or as an argument, not both');
      exactly(pos, 1, verb);
      const agent = agentFlag ?? pos[0];
      const limit = values.get('limit');
      return {
        verb,
        ...(agent !== undefined && { agent: parseName(agent) }),
        ...(limit !== undefined && { limit: parsePositiveInt(limit, 'limit') }),
      };
    }
    case 'pause':
    case 'resume':
    case 'restart':
      exactly(pos, 1, verb);
      return { verb, agent: parseName(pos[0]) };
    case 'start':
    case 'stop': {
      let agents: string[] | 'all';
      if (bools.has('all')) {
        if (pos.length > 0) fail(`give either --all or agent names to ${verb}, not both`);
        agents = 'all';
      } else {
        if (pos.length === 0) fail(`missing agent name (or --all)`);
        agents = pos.map((p) => parseName(p));
      }
      return verb === 'start' ? { verb, agents } : { verb, agents, force: bools.has('force') };
    }
    case 'spawn': {
      exactly(pos, 1, verb);
      const description = values.get('description');
      return { verb, name: parseName(pos[0], 'name for the new agent'), ...(description !== undefined && { description }) };
    }
    case 'control': {
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
    case 'watch': {
      exactly(pos, 0, verb);
      const kinds = values.get('kinds');
      const since = values.get('since');
      const kindList = kinds?.split(',').map((k) => k.trim()).filter((k) => k !== '');
      if (kinds !== undefined && kindList!.length === 0) fail('--kinds needs at least one event kind');
      return {
        verb,
        ...(kindList !== undefined && { kinds: kindList }),
        ...(since !== undefined && { since: parseId(since, '--since') }),
      };
    }
  }
}

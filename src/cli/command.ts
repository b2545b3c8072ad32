/** A ctl command: its typed form, the flags verbs may take, and the shape of one row of the command table. */
import type { FlagSpecs } from '../protocol/command-line.js';

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
/** A point in time as typed: so long ago (`2h`), or a date (`2026-11-21T09:00`). */
export type SinceArg = { agoSeconds: number } | { atSeconds: number };

/** Every flag of the ctl: the first four anywhere, the rest only on the verbs that list them. */
export const FLAGS = {
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

/** The flags a verb may take (the rest go anywhere). */
export type VerbFlag = Exclude<keyof typeof FLAGS, 'json' | 'socket' | 'url' | 'tokenFile'>;
/** A verb's flags as meow read them. */
export type Flags = { [K in VerbFlag]?: K extends 'limit' | 'before' ? number : K extends 'markRead' | 'force' | 'all' | 'supersede' | 'purge' | 'yes' | 'catchUp' ? boolean : string };

/** One row of the command table: the verbs it covers, their usage line, the flags they take, and how their arguments become a command. */
export interface CommandRow<V extends Verb = Verb> {
  verbs: readonly V[];
  usage: string;
  what: string;
  flags?: readonly VerbFlag[];
  build(verb: V, pos: string[], flags: Flags): Extract<Command, { verb: V }>;
}

/** A row for the table: typed per verb where it is written, one shape in the table. */
export const row = <V extends Verb>(spec: CommandRow<V>): CommandRow => spec as unknown as CommandRow;

/** Requests on the host socket (operator API) and on agent sockets (agent API). */
import { z } from 'zod';
import { LiveEventInput, DASHBOARD_EVENT_KINDS } from './events.js';
import { TurnStatInput } from './records.js';
import { MAX_RULE_LENGTH } from './permission-rules.js';
import { scheduleRequestFields } from './schedules.js';

/** Largest message body the broker takes, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Most live events one `emit` may carry. */
export const MAX_EMIT_BATCH = 5000;
/** Most reminders one agent may have pending. */
export const MAX_PENDING_REMINDERS = 50;
/** Most questions one agent may have open. */
export const MAX_OPEN_QUESTIONS = 100;

const Id = z.number().int().nonnegative();
const Name = z.string();
const actor = { actor: z.string().max(256).optional() };
const Body = z.string().refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_BODY_BYTES, {
  message: `body is larger than ${MAX_BODY_BYTES / 1024} KiB`,
});

/** Longest tool name a `permission` request may carry. */
export const MAX_TOOL_NAME_LENGTH = 200;
const ToolUseId = z.string().min(1).max(200);
/** An approval named by its id, or (a tool approval) by claude's `tool_use_id`. */
const approvalRef = { id: Id.optional(), tool_use_id: ToolUseId.optional() };
const oneApprovalRef = (r: { id?: number; tool_use_id?: string }) => (r.id === undefined) !== (r.tool_use_id === undefined);
const ONE_APPROVAL_REF = { message: 'name the approval by "id" or by "tool_use_id" (one of them)' };

/**
 * A lifecycle scope as the reference system defines it: agents by name plus
 * class flags (`agents`: every agent; `manager`: the hive's manager); `all`
 * is hyperhive's older spelling of `agents`. A scope that names nothing is
 * refused (the reference reads it as the whole hive). Flags of classes this
 * core does not have are ignored.
 */
export const Scope = z.looseObject({
  agent_names: z.array(Name).optional(),
  agents: z.boolean().optional(),
  manager: z.boolean().optional(),
  all: z.boolean().optional(),
});
export type Scope = z.infer<typeof Scope>;

export const ControlAction = z.enum(['cancel_turn', 'new_session', 'compact', 'set_model', 'pause', 'resume', 'stop', 'restart']);
export type ControlAction = z.infer<typeof ControlAction>;

/** Operator-facing control actions (`agent_control`). */
export const OperatorControlAction = z.enum(['cancel_turn', 'new_session', 'compact', 'set_model']);

const DashboardKind = z.enum(DASHBOARD_EVENT_KINDS as [string, ...string[]]);

/** A commit of an agent's proposed config repo: 7 to 40 hex digits. */
export const CommitRef = z.string().regex(/^[0-9a-fA-F]{7,40}$/, 'expected a commit id of 7 to 40 hex digits (0-9, a-f)');
/** Where a page of a diff starts (a line index) and how many lines it may hold. */
const diffPage = { diff_from: z.number().int().nonnegative().optional(), diff_lines: z.number().int().positive().max(100_000).optional() };
/** A budget in USD, or null to lift it. */
const BudgetUsd = z.number().nonnegative().max(1_000_000).nullable();

/** Paging a list: items with an id (or seq) below `before`, newest first, at most `limit` (answers also stop before 1 MiB and say `more`). */
const paging = (maxLimit: number) => ({ before: Id.optional(), limit: z.number().int().positive().max(maxLimit).optional() });

// ---------------------------------------------------------------- host socket

export const HostRequest = z.discriminatedUnion('cmd', [
  // hyperhive-compatible verbs
  z.object({ cmd: z.literal('list') }),
  z.object({ cmd: z.literal('agent_status') }),
  z.object({ cmd: z.literal('subscribe_agent_status') }),
  z.object({ cmd: z.literal('set_paused'), name: Name, paused: z.boolean(), ...actor }),
  z.object({ cmd: z.literal('start'), scope: Scope.optional(), ...actor }),
  z.object({ cmd: z.literal('stop'), scope: Scope.optional(), graceful: z.boolean().optional(), ...actor }),
  z.object({ cmd: z.literal('restart'), name: Name, ...actor }),
  z.object({ cmd: z.literal('urls') }),
  z.object({ cmd: z.literal('pending'), ...paging(1000), open: z.boolean().optional() }),
  z.object({ cmd: z.literal('approve'), ...approvalRef, supersede: z.boolean().optional(), ...actor }).refine(oneApprovalRef, ONE_APPROVAL_REF),
  z.object({ cmd: z.literal('deny'), ...approvalRef, note: z.string().max(4096).optional(), ...actor }).refine(oneApprovalRef, ONE_APPROVAL_REF),
  z.object({ cmd: z.literal('request_spawn'), name: Name, description: z.string().max(4096).optional(), ...actor }),
  z.object({ cmd: z.literal('destroy'), name: Name, purge: z.boolean().optional(), ...actor }),
  // operator verbs beyond hyperhive's socket
  z.object({ cmd: z.literal('state') }),
  z.object({ cmd: z.literal('approval'), id: Id, ...diffPage, against: z.enum(['requested', 'deployed']).optional() }),
  z.object({ cmd: z.literal('questions'), ...paging(1000), open: z.boolean().optional() }),
  z.object({ cmd: z.literal('answer'), id: Id, answer: Body, ...actor }),
  z.object({ cmd: z.literal('cancel_question'), id: Id, ...actor }),
  z.object({ cmd: z.literal('send'), to: Name, body: Body, in_reply_to: Id.optional(), ...actor }),
  z.object({ cmd: z.literal('operator_inbox'), ...paging(1000), unread: z.boolean().optional() }),
  z.object({ cmd: z.literal('mark_read'), ids: z.array(Id).max(10000), ...actor }),
  z.object({ cmd: z.literal('turn_stats'), agent: Name.optional(), ...paging(10000) }),
  z.object({ cmd: z.literal('agent_events'), name: Name, ...paging(10000) }),
  z.object({ cmd: z.literal('agent_control'), name: Name, action: OperatorControlAction, model: z.string().min(1).max(200).optional(), ...actor }),
  z.object({ cmd: z.literal('subscribe'), kinds: z.array(DashboardKind).optional(), since: Id.optional() }),
  z.object({ cmd: z.literal('agent_stream'), name: Name, since: Id.optional(), history: z.number().int().nonnegative().max(10000).optional() }),
  // config repos and kept agents
  z.object({ cmd: z.literal('config_diff'), name: Name, ...diffPage }),
  z.object({ cmd: z.literal('kept') }),
  z.object({ cmd: z.literal('revive'), name: Name, description: z.string().max(4096).optional(), ...actor }),
  z.object({ cmd: z.literal('purge'), name: Name, ...actor }),
  // spend, budgets and claude logins
  z.object({ cmd: z.literal('cost') }),
  z.object({ cmd: z.literal('set_budget'), agent: Name.optional(), daily_usd: BudgetUsd.optional(), per_turn_usd: BudgetUsd.optional(), ...actor }),
  z.object({ cmd: z.literal('login'), name: Name, ...actor }),
  z.object({ cmd: z.literal('login_code'), name: Name, code: z.string().min(1).max(4096), ...actor }),
  z.object({ cmd: z.literal('login_cancel'), name: Name, ...actor }),
  z.object({ cmd: z.literal('login_status'), name: Name }),
  // tool permissions
  z.object({ cmd: z.literal('rules'), agent: Name.optional() }),
  z.object({
    cmd: z.literal('rule_add'),
    rule: z.string().max(MAX_RULE_LENGTH + 200),
    effect: z.enum(['allow', 'deny']),
    /** The agent it applies to; absent = the whole hive. */
    agent: Name.optional(),
    /** Removed by itself after this long; absent = until removed. */
    expires_in_seconds: z.number().int().positive().max(366 * 86_400).optional(),
    ...actor,
  }),
  z.object({ cmd: z.literal('rule_rm'), id: Id, ...actor }),
  // search, recap, traffic
  z.object({ cmd: z.literal('search'), query: z.string().max(1000), agent: Name.optional(), ...paging(1000) }),
  z.object({ cmd: z.literal('recap'), since: z.number().nonnegative().optional(), limit: z.number().int().positive().max(200).optional(), ...actor }),
  z.object({ cmd: z.literal('mark_seen'), at: z.number().nonnegative().optional(), ...actor }),
  z.object({ cmd: z.literal('messages'), agent: Name.optional(), ...paging(1000) }),
  // scheduled prompts and per-agent resources
  z.object({ cmd: z.literal('schedule_prompt'), to: Name, ...scheduleRequestFields, ...actor }),
  z.object({ cmd: z.literal('schedules'), all: z.boolean().optional() }),
  z.object({ cmd: z.literal('set_schedule_paused'), id: Id, paused: z.boolean(), ...actor }),
  z.object({ cmd: z.literal('delete_schedule'), id: Id, ...actor }),
  z.object({ cmd: z.literal('resources') }),
]);
export type HostRequest = z.infer<typeof HostRequest>;
export type HostCmd = HostRequest['cmd'];

/** Verbs answered on `host-ro.sock`; every other verb gets `forbidden` there. */
export const READ_ONLY_HOST_CMDS: ReadonlySet<HostCmd> = new Set<HostCmd>([
  'list', 'agent_status', 'subscribe_agent_status', 'urls', 'pending', 'state', 'approval', 'questions',
  'operator_inbox', 'turn_stats', 'agent_events', 'subscribe', 'agent_stream',
  'config_diff', 'kept',
  'cost', 'login_status',
  'rules',
  'search', 'recap', 'messages',
  'schedules', 'resources',
]);

// ---------------------------------------------------------------- agent socket

export const AgentRequest = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('recv'), wait_ms: z.number().int().nonnegative().max(120_000).optional(), max: z.number().int().positive().max(1000).optional() }),
  z.object({ cmd: z.literal('ack'), ids: z.array(Id).max(10000) }),
  z.object({ cmd: z.literal('send'), to: Name, body: Body, in_reply_to: Id.optional() }),
  z.object({
    cmd: z.literal('ask'),
    question: z.string().min(1).max(16 * 1024),
    options: z.array(z.string().max(1024)).max(32).optional(),
    multi: z.boolean().optional(),
    ttl_seconds: z.number().int().positive().optional(),
    to: Name.optional(),
  }),
  z.object({ cmd: z.literal('answer'), id: Id, answer: Body }),
  z.object({ cmd: z.literal('cancel_question'), id: Id }),
  z.object({ cmd: z.literal('set_status'), text: z.string().max(1024) }),
  z.object({
    cmd: z.literal('remind'),
    message: Body,
    delay_seconds: z.number().nonnegative().optional(),
    at_unix: z.number().nonnegative().optional(),
  }),
  z.object({ cmd: z.literal('loose_ends') }),
  z.object({ cmd: z.literal('cancel_loose_end'), kind: z.enum(['question', 'reminder']), id: Id }),
  z.object({ cmd: z.literal('emit'), events: z.array(LiveEventInput).max(MAX_EMIT_BATCH) }),
  z.object({ cmd: z.literal('turn_stat'), row: TurnStatInput }),
  z.object({ cmd: z.literal('control') }),
  z.object({ cmd: z.literal('whoami') }),
  // claude asks before running a tool; answered once a rule or the operator decides
  z.object({
    cmd: z.literal('permission'),
    tool_name: z.string().min(1).max(MAX_TOOL_NAME_LENGTH),
    input: z.record(z.string(), z.unknown()),
    tool_use_id: ToolUseId.optional(),
  }),
  z.object({ cmd: z.literal('schedule_prompt'), to: Name.optional(), ...scheduleRequestFields }),
  // manager only
  z.object({ cmd: z.literal('request_apply_commit'), agent: Name, commit_ref: CommitRef, description: z.string().max(4096).optional() }),
  z.object({ cmd: z.literal('config_repo'), agent: Name }),
  z.object({ cmd: z.literal('request_spawn'), name: Name, description: z.string().max(4096).optional() }),
  z.object({ cmd: z.literal('start'), name: Name }),
  z.object({ cmd: z.literal('stop'), name: Name, graceful: z.boolean().optional() }),
  z.object({ cmd: z.literal('restart'), name: Name }),
]);
export type AgentRequest = z.infer<typeof AgentRequest>;
export type AgentCmd = AgentRequest['cmd'];

export const MANAGER_ONLY_AGENT_CMDS: ReadonlySet<AgentCmd> = new Set<AgentCmd>([
  'request_apply_commit', 'request_spawn', 'start', 'stop', 'restart', 'config_repo',
]);

/** One line on an agent's `control` subscription after the ack. */
export const ControlMessage = z.looseObject({
  action: ControlAction,
  model: z.string().optional(),
  graceful: z.boolean().optional(),
  actor: z.string().optional(),
});
export type ControlMessage = z.infer<typeof ControlMessage>;

// ---------------------------------------------------------------- parsing at the boundary

/** A parsed request, or a sentence saying why it is not one. */
export type ParsedRequest<T> = { ok: true; request: T } | { ok: false; error: string };

function describeIssues(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid request';
  const where = issue.path.length ? `field "${issue.path.join('.')}"` : 'request';
  return `${where}: ${issue.message}`;
}

function parseTagged<T>(schema: z.ZodType<T>, known: ReadonlySet<string>, value: unknown): ParsedRequest<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'a request must be a JSON object with a "cmd" field' };
  }
  const cmd = (value as { cmd?: unknown }).cmd;
  if (typeof cmd !== 'string') return { ok: false, error: 'a request needs a string "cmd" field' };
  if (!known.has(cmd)) return { ok: false, error: `unknown cmd ${JSON.stringify(cmd.slice(0, 64))}` };
  const result = schema.safeParse(value);
  if (!result.success) return { ok: false, error: `bad ${cmd} request: ${describeIssues(result.error)}` };
  return { ok: true, request: result.data };
}

const HOST_CMDS = new Set(HostRequest.options.map((o) => o.shape.cmd.value as string));
const AGENT_CMDS = new Set(AgentRequest.options.map((o) => o.shape.cmd.value as string));

/** Parse one decoded host-socket line into a request. */
export function parseHostRequest(value: unknown): ParsedRequest<HostRequest> {
  return parseTagged(HostRequest, HOST_CMDS, value);
}

/** Parse one decoded agent-socket line into a request. */
export function parseAgentRequest(value: unknown): ParsedRequest<AgentRequest> {
  return parseTagged(AgentRequest, AGENT_CMDS, value);
}

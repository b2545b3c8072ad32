/** The operator API on host.sock (and, read verbs only, host-ro.sock). */
import type { Hive } from '../hive.js';
import type { StatusBoard } from '../status-board.js';
import { Subscriber } from '../events/index.js';
import { PAGE_BYTES } from '../paging.js';
import { RawJson, type Connection, type HandlerResult } from './line-server.js';
import { approvalAnswer, configDiffAnswer } from './config-answers.js';
import { answer, sendFields } from './answers.js';
import { handleHoldRequest, isHoldRequest } from './hold-answers.js';
import { followAgentStream, followDashboard, openAgentStream, openDashboard } from './channel-readers.js';
import { isRefusal, refuse, type Refusal } from '../refusal.js';
import {
  DEFAULT_MESSAGES_PAGE,
  DEFAULT_RECAP_ITEMS,
  DEFAULT_SEARCH_HITS,
  RECAP_FIRST_LOOK_SECONDS,
  operatorOf,
  READ_ONLY_HOST_CMDS,
  agentNameProblem,
  errorResponse,
  okResponse,
  parseHostRequest,
  PROTOCOL_VERSION,
  type HostRequest,
} from '../../protocol/index.js';

/** Who besides agents sends or receives messages. */
const MESSAGE_PARTIES = new Set(['operator', 'system', 'reminder']);

function refusal(r: Refusal): object {
  return errorResponse(r.error, r.code);
}

/** The whole `agent_status` response line, encoded once and reused until a row changes. */
class AgentStatusAnswer {
  private version = -1;
  private line = Buffer.alloc(0);

  constructor(private readonly status: StatusBoard) {}

  get(): Buffer {
    if (this.version !== this.status.version) {
      this.version = this.status.version;
      this.line = Buffer.from(`{"version":${PROTOCOL_VERSION},"ok":true,"agent_statuses":[${this.status.listJson().join(',')}]}\n`);
    }
    return this.line;
  }
}

/**
 * A handler for operator requests: host.sock, host-ro.sock when `readOnly`,
 * and HTTP, which has no connection to turn into a subscription (`conn` null).
 */
export type HostLineHandler = (value: unknown, conn: Connection | null, readOnly: boolean) => Promise<HandlerResult>;

/** Verbs that take their connection over; they need one. */
const SUBSCRIPTION_CMDS: ReadonlySet<string> = new Set(['subscribe', 'agent_stream', 'subscribe_agent_status']);

/** The operator API of `hive`, for every operator socket it serves. */
export function createHostApi(hive: Hive): HostLineHandler {
  const agentStatus = new AgentStatusAnswer(hive.status);
  return async (value, conn, readOnly) => {
    const parsed = parseHostRequest(value);
    if (!parsed.ok) return errorResponse(parsed.error, 'bad_request');
    const req = parsed.request;
    if (readOnly && !READ_ONLY_HOST_CMDS.has(req.cmd)) {
      return errorResponse(`${req.cmd} is not allowed on the read-only socket; use host.sock`, 'forbidden');
    }
    if (req.cmd === 'agent_status') return new RawJson(agentStatus.get());
    if (conn === null && SUBSCRIPTION_CMDS.has(req.cmd)) return errorResponse(`${req.cmd} needs a socket connection`, 'bad_request');
    return handleHostRequest(hive, req, conn!);
  };
}

async function handleHostRequest(hive: Hive, req: Exclude<HostRequest, { cmd: 'agent_status' }>, conn: Connection): Promise<HandlerResult> {
  if (isHoldRequest(req)) return handleHoldRequest(hive, req);
  switch (req.cmd) {
    case 'list':
      return okResponse({ agents: hive.agents.agentNames() });
    case 'subscribe_agent_status':
      return subscribeAgentStatus(hive, conn);
    case 'set_paused': {
      const problem = hive.agents.check(req.name);
      if (problem) return refusal(problem);
      // A resume is the operator's word over any pause (a daily budget's: for the rest of the day).
      return answer(req.paused ? hive.lifecycle.setPaused(req.name, true, req.actor) : hive.holds.resume(req.name, req.actor));
    }
    case 'start':
    case 'stop': {
      const names = hive.lifecycle.resolveScope(req.scope);
      if (isRefusal(names)) return refusal(names);
      const result = req.cmd === 'start' ? await hive.lifecycle.start(names, req.actor) : await hive.lifecycle.stop(names, req.graceful ?? true, req.actor);
      return answer(result);
    }
    case 'restart': {
      const problem = hive.agents.check(req.name);
      if (problem) return refusal(problem);
      return answer(await hive.lifecycle.restart(req.name, req.actor));
    }
    case 'urls': {
      const domain = hive.config.domain;
      return okResponse({ urls: { domain, home: domain ? `https://${domain}/` : null, forge: null, matrix: null } });
    }
    case 'pending': {
      const page = isPaged(req) ? hive.approvals.page(req.before, req.limit ?? 100, req.open ?? false) : hive.approvals.list();
      return okResponse({ approvals: page.items, more: page.more });
    }
    case 'approve': {
      const id = approvalId(hive, req);
      return isRefusal(id) ? refusal(id) : answer(await hive.applyCommits.approve(id, req.actor, req.supersede ?? false));
    }
    case 'deny': {
      const id = approvalId(hive, req);
      return isRefusal(id) ? refusal(id) : answer(hive.approvals.deny(id, req.note, req.actor));
    }
    case 'request_spawn': {
      const id = hive.spawns.request(req.name, req.description, req.actor ?? 'operator');
      return answer(id, (id: number) => ({ id }));
    }
    case 'destroy': {
      const problem = hive.agents.check(req.name);
      if (problem) return refusal(problem);
      return answer(await hive.tombstones.destroy(req.name, req.purge ?? false, req.actor));
    }
    case 'state':
      return okResponse(hive.snapshot());
    case 'approval':
      return approvalAnswer(hive, req);
    case 'questions': {
      const page = isPaged(req) ? hive.questions.page(req.before, req.limit ?? 100, req.open ?? false) : hive.questions.list();
      return okResponse({ questions: page.items, more: page.more });
    }
    case 'answer':
      return answer(hive.questions.resolve(req.id, req.answer, { answerer: 'operator', actor: req.actor }));
    case 'cancel_question':
      return answer(hive.questions.resolve(req.id, '[cancelled]', { answerer: 'operator', cancelled: true, actor: req.actor }));
    case 'send': {
      if (req.to !== '*') {
        const problem = hive.agents.check(req.to);
        if (problem) return refusal(problem);
      }
      return answer(hive.broker.send('operator', req.to, req.body, req.in_reply_to), sendFields(req.to));
    }
    case 'operator_inbox': {
      const page = hive.broker.operatorInbox(req.before, req.limit ?? 100, req.unread ?? false);
      return okResponse({ messages: page.items, more: page.more });
    }
    case 'mark_read': {
      const marked = hive.broker.markOperatorRead(req.ids, req.actor);
      return answer(marked, (n: number) => ({ marked: n }));
    }
    case 'turn_stats': {
      if (req.agent !== undefined) {
        const problem = agentNameProblem(req.agent);
        if (problem) return errorResponse(problem, 'bad_request');
      }
      const page = hive.turnStats.list(req.agent, req.limit ?? 100, req.before);
      return okResponse({ turn_stats: page.items, more: page.more });
    }
    case 'agent_events': {
      const problem = hive.agents.check(req.name);
      if (problem) return refusal(problem);
      const page = hive.agentEvents.page(req.name, req.before ?? Number.MAX_SAFE_INTEGER, req.limit ?? 200);
      return new RawJson(`{"version":${PROTOCOL_VERSION},"ok":true,"events":[${page.items.join(',')}],"more":${page.more}}`);
    }
    case 'agent_control': {
      const problem = hive.agents.check(req.name);
      if (problem) return refusal(problem);
      return answer(hive.lifecycle.control(req.name, req.action, req.model, req.actor));
    }
    case 'search':
      return searchEvents(hive, req);
    case 'recap':
      return recap(hive, req);
    case 'messages':
      return messageFlow(hive, req);
    case 'mark_seen': {
      // Whole seconds, as a recap's `until`: a look covers what happened before the second it was taken in.
      const now = Math.floor(Date.now() / 1000);
      if (req.at !== undefined && req.at > now + 60) return errorResponse('"at" is in the future: a look is marked when it happened', 'bad_request');
      return okResponse({ operator: operatorOf(req.actor), looked_at: hive.recaps.markSeen(operatorOf(req.actor), Math.min(req.at ?? now, now)) });
    }
    case 'subscribe':
      return subscribeDashboard(hive, conn, req.kinds, req.since);
    case 'agent_stream':
      return subscribeAgentStream(hive, conn, req.name, req.since, req.history);
    // config repos and kept agents
    case 'config_diff':
      return configDiffAnswer(hive, req);
    case 'kept':
      return okResponse({ kept: hive.tombstones.kept() });
    case 'revive':
      return answer(hive.spawns.revive(req.name, req.description, req.actor ?? 'operator'), (id: number) => ({ id }));
    case 'purge':
      return answer(hive.tombstones.purge(req.name, req.actor));
    // tool permissions
    case 'rules': {
      if (req.agent !== undefined) {
        const problem = hive.agents.check(req.agent);
        if (problem) return refusal(problem);
      }
      return okResponse({ rules: hive.rules.list(req.agent) });
    }
    case 'rule_add': {
      if (req.agent !== undefined) {
        const problem = agentNameProblem(req.agent);
        if (problem) return errorResponse(problem, 'bad_request');
      }
      const rule = hive.rules.add({ rule: req.rule, effect: req.effect, agent: req.agent, expiresInSeconds: req.expires_in_seconds, actor: req.actor });
      if (isRefusal(rule)) return refusal(rule);
      // Calls already waiting that the new rule decides need not wait for the operator.
      const settled = await hive.permissions.settleByRules();
      return okResponse({ id: rule.id, rule, settled });
    }
    case 'rule_rm':
      return answer(hive.rules.remove(req.id, req.actor));
    case 'schedule_prompt': {
      const { cmd: _cmd, actor, ...proposal } = req;
      return answer(hive.schedules.propose(proposal, { actor }), (ids: object) => ids);
    }
    case 'schedules': {
      const page = hive.schedules.list(req.all ?? false);
      return okResponse({ schedules: page.items, more: page.more });
    }
    case 'set_schedule_paused':
      return answer(hive.schedules.setPaused(req.id, req.paused, req.actor));
    case 'delete_schedule':
      return answer(hive.schedules.delete(req.id, req.actor));
    case 'resources':
      return okResponse(hive.resourcesAnswer());
  }
}

/** The approval an `approve`/`deny` names: by id, or a waiting tool approval by claude's `tool_use_id`. */
function approvalId(hive: Hive, req: { id?: number; tool_use_id?: string }): number | Refusal {
  if (req.id !== undefined) return req.id;
  const approval = hive.approvals.pendingToolApproval(req.tool_use_id!);
  return approval ? approval.id : refuse('not_found', `no tool approval is waiting for tool_use_id ${JSON.stringify(req.tool_use_id)}`);
}

/** `search`: an agent filter must name an agent the hive knows or has events of. */
function searchEvents(hive: Hive, req: Extract<HostRequest, { cmd: 'search' }>): HandlerResult {
  if (!hive.search) return errorResponse('search is off: its index could not be opened (the core said why when it started)', 'unavailable');
  if (req.agent !== undefined) {
    const problem = agentNameProblem(req.agent);
    if (problem) return errorResponse(problem, 'bad_request');
    if (!hive.agents.agent(req.agent) && hive.agentEvents.stored(req.agent).count === 0) return errorResponse(`no agent named ${JSON.stringify(req.agent)}`, 'not_found');
  }
  const page = hive.search.search(req.query, { agent: req.agent, before: req.before, limit: req.limit ?? DEFAULT_SEARCH_HITS });
  if (isRefusal(page)) return refusal(page);
  const behind = Math.max(0, hive.agentEvents.currentSeq - hive.search.indexedThrough);
  return okResponse({ query: req.query, words: page.words, hits: page.hits, turns: page.turns, more: page.more, index_behind: behind, ...(page.note !== undefined && { note: page.note }) });
}

/** `recap`: since `since`, else since the operator's last look, else for the last day. */
function recap(hive: Hive, req: Extract<HostRequest, { cmd: 'recap' }>): HandlerResult {
  // A whole second: what happens in the current one is the next recap's.
  const until = Math.floor(Date.now() / 1000);
  const operator = operatorOf(req.actor);
  const lookedAt = hive.recaps.lookedAt(operator);
  const since = Math.min(req.since ?? lookedAt ?? until - RECAP_FIRST_LOOK_SECONDS, until);
  return okResponse({ since, until, operator, looked_at: lookedAt, ...hive.recaps.build(since, until, req.limit ?? DEFAULT_RECAP_ITEMS) });
}

/** `messages`: a page of the traffic (newest first) and who waits on whom, sharing one answer. */
function messageFlow(hive: Hive, req: Extract<HostRequest, { cmd: 'messages' }>): HandlerResult {
  // The operator and the core's own senders are ends of the traffic too.
  if (req.agent !== undefined && !MESSAGE_PARTIES.has(req.agent)) {
    const problem = agentNameProblem(req.agent);
    if (problem) return errorResponse(problem, 'bad_request');
  }
  const waiting = hive.messageFlow.waiting(req.agent, PAGE_BYTES / 4);
  const page = hive.messageFlow.page(req.agent, req.before, req.limit ?? DEFAULT_MESSAGES_PAGE, PAGE_BYTES - waiting.bytes);
  return okResponse({ messages: page.items, waiting: waiting.items, more: page.more, ...(waiting.more && { waiting_more: true }) });
}

/** A list request that asks for a page (`before`, `limit` or `open`) rather than the current view. */
function isPaged(req: { before?: number; limit?: number; open?: boolean }): boolean {
  return req.before !== undefined || req.limit !== undefined || req.open !== undefined;
}

/** Snapshot and stream cut at one point (`openDashboard`); a resume catches up from the store first. */
function subscribeDashboard(hive: Hive, conn: Connection, kindList: string[] | undefined, since: number | undefined): HandlerResult {
  const kinds = kindList ? new Set(kindList) : null;
  const opening = openDashboard(hive, kinds, since);
  conn.write(opening.ack as Record<string, unknown>);
  conn.subscribed = true;
  followDashboard(hive, conn.socket, opening, kinds, 'jsonl');
  return null;
}

/** History (or, resuming, what came after `since`) in the ack, cut to fit its line; then the rest and live events (`openAgentStream`). */
function subscribeAgentStream(hive: Hive, conn: Connection, name: string, since: number | undefined, history: number | undefined): HandlerResult {
  const problem = hive.agents.check(name);
  if (problem) return refusal(problem);
  const opening = openAgentStream(hive, name, since, history);
  conn.socket.write(`${opening.ack as string}\n`);
  conn.subscribed = true;
  followAgentStream(hive, name, conn.socket, opening, 'jsonl');
  return null;
}

function subscribeAgentStatus(hive: Hive, conn: Connection): HandlerResult {
  conn.write(okResponse());
  conn.subscribed = true;
  const subscriber = new Subscriber(conn.socket, hive.dashboard.currentSeq);
  const listener = (row: object) => {
    subscriber.write(`{"version":${PROTOCOL_VERSION},"ok":true,"agent_statuses":[${JSON.stringify(row)}]}\n`, hive.dashboard.currentSeq);
  };
  hive.status.listeners.add(listener);
  conn.socket.once('close', () => hive.status.listeners.delete(listener));
  return null;
}

/** The agent API on `agents/<name>/mcp.sock`: identity is the socket a request came in on. */
import type { Hive } from '../hive.js';
import type { Connection, HandlerResult } from './line-server.js';
import { answer, sendFields } from './answers.js';
import { isRefusal } from '../refusal.js';
import { PAGE_BYTES } from '../paging.js';
import {
  MANAGER_ONLY_AGENT_CMDS,
  agentNameProblem,
  encodeLine,
  errorResponse,
  okResponse,
  parseAgentRequest,
  type AgentRequest,
} from '../../protocol/index.js';

const DEFAULT_RECV_WAIT_MS = 30_000;

/** Handle one decoded line from `agent`'s socket. */
export async function handleAgentLine(hive: Hive, agent: string, value: unknown, conn: Connection): Promise<HandlerResult> {
  const parsed = parseAgentRequest(value);
  if (!parsed.ok) return errorResponse(parsed.error, 'bad_request');
  const req = parsed.request;
  if (!hive.agents.agent(agent)) return errorResponse(`${agent} no longer exists in this hive`, 'not_found');
  if (MANAGER_ONLY_AGENT_CMDS.has(req.cmd) && !hive.agents.isManager(agent)) {
    return errorResponse(`${req.cmd} is for the manager only`, 'forbidden');
  }
  return handleAgentRequest(hive, agent, req, conn);
}

async function handleAgentRequest(hive: Hive, agent: string, req: AgentRequest, conn: Connection): Promise<HandlerResult> {
  switch (req.cmd) {
    case 'recv': {
      const messages = await hive.broker.recv(agent, req.wait_ms ?? DEFAULT_RECV_WAIT_MS, req.max ?? 10, () => conn.closed);
      if (conn.closed && messages.length) hive.broker.undeliver(messages.map((m) => m.id));
      return okResponse({ messages });
    }
    case 'ack':
      return okResponse({ acked: hive.broker.ack(agent, req.ids) });
    case 'send': {
      if (req.to !== '*' && req.to !== 'operator') {
        const problem = agentNameProblem(req.to);
        if (problem) return errorResponse(problem, 'bad_request');
      }
      return answer(hive.broker.send(agent, req.to, req.body, req.in_reply_to), sendFields(req.to));
    }
    case 'ask': {
      if (req.to !== undefined && req.to !== 'operator') {
        const problem = agentNameProblem(req.to);
        if (problem) return errorResponse(problem, 'bad_request');
      }
      return answer(hive.questions.ask(agent, req), (id: number) => ({ id }));
    }
    case 'answer':
      return answer(hive.questions.resolve(req.id, req.answer, { answerer: agent, agent }));
    case 'cancel_question':
      return answer(hive.questions.resolve(req.id, `[cancelled by ${agent}]`, { answerer: agent, agent, cancelled: true }));
    case 'set_status':
      hive.agents.setStatusText(agent, req.text);
      return okResponse();
    case 'remind':
      return answer(hive.reminders.add(agent, req.message, req.delay_seconds, req.at_unix), (r: object) => r);
    case 'loose_ends': {
      // Half an answer each: both lists stay visible however long one of them is.
      const questions = hive.questions.openAskedBy(agent, PAGE_BYTES / 2);
      const reminders = hive.reminders.pending(agent, PAGE_BYTES / 2);
      return okResponse({ questions: questions.items, reminders: reminders.items, more: questions.more || reminders.more });
    }
    case 'cancel_loose_end':
      if (req.kind === 'reminder') return answer(hive.reminders.cancel(agent, req.id));
      return answer(hive.questions.resolve(req.id, `[cancelled by ${agent}]`, { answerer: agent, agent, cancelled: true }));
    case 'emit':
      if (req.events.length === 0) return okResponse({ count: 0 });
      return okResponse({ count: req.events.length, ...hive.ingestEvents(agent, req.events) });
    case 'turn_stat':
      // `paused`: the row made the core pause the agent (a login, a limit, a budget); the harness waits.
      return okResponse(hive.recordTurn(agent, req.row));
    case 'control':
      return subscribeControl(hive, agent, conn);
    case 'schedule_prompt': {
      const { cmd: _cmd, to, ...when } = req;
      return answer(hive.schedules.propose({ ...when, to: to ?? agent }, { agent }), (ids: object) => ids);
    }
    case 'whoami':
      return okResponse({ name: agent, manager: hive.agents.isManager(agent), model: hive.agents.modelOf(agent), hive: hive.config.name });
    case 'permission': {
      // Blocks until decided; the connection is the request's life: when it closes, nobody waits any more.
      const answer = await hive.permissions.request(agent, req, {
        get closed() {
          return conn.closed;
        },
        onClose(fn) {
          conn.socket.once('close', fn);
          return () => conn.socket.off('close', fn);
        },
      });
      return isRefusal(answer) ? errorResponse(answer.error, answer.code) : okResponse(answer);
    }
    case 'request_apply_commit':
      return answer(await hive.applyCommits.request(req.agent, req.commit_ref, req.description, agent), (id: number) => ({ id }));
    case 'config_repo': {
      const problem = hive.agents.check(req.agent);
      if (problem) return errorResponse(problem.error, problem.code);
      return okResponse(hive.configRepoFor(req.agent));
    }
    case 'request_spawn':
      return answer(hive.spawns.request(req.name, req.description, agent), (id: number) => ({ id }));
    case 'start':
    case 'stop':
    case 'restart': {
      const problem = hive.agents.check(req.name);
      if (problem) return errorResponse(problem.error, problem.code);
      if (req.cmd === 'start') return answer(await hive.lifecycle.start([req.name], agent));
      if (req.cmd === 'stop') return answer(await hive.lifecycle.stop([req.name], req.graceful ?? true, agent));
      return answer(await hive.lifecycle.restart(req.name, agent));
    }
  }
}

function subscribeControl(hive: Hive, agent: string, conn: Connection): HandlerResult {
  // A connection already gone would never detach, and would hold the session forever.
  if (conn.closed) return null;
  const ack = okResponse({ agent, model: hive.agents.modelOf(agent), paused: hive.agents.isPaused(agent) });
  const detach = hive.attachControl(agent, {
    send: (message) => {
      if (!conn.closed) conn.socket.write(encodeLine(message));
    },
    close: () => conn.socket.end(),
  });
  if (!detach) {
    return errorResponse(`${agent} already has a harness attached; a second one is refused while the first is connected (retry once it is gone)`, 'conflict');
  }
  // Attaching and the ack happen in one tick: no control line can come before the ack.
  conn.write(ack);
  conn.subscribed = true;
  conn.socket.once('close', detach);
  return null;
}

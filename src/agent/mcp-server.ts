/**
 * `hyperhive-agent mcp`: the agent API as MCP tools over stdio, on the
 * official MCP SDK. Each tool forwards one request to the agent socket and
 * returns its answer, or the core's error as a tool error.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { JsonlConnection, parseAgentRequest } from '../protocol/index.js';
import type { AgentCall, AgentResponse } from './agent-link.js';
import { PERMISSION_PROMPT_DESCRIPTION, PERMISSION_PROMPT_INPUT, PERMISSION_PROMPT_TOOL, askPermission } from './permission-prompt.js';

type Shape = Record<string, z.ZodType>;

/** One tool: its MCP name, description, input shape and the request it becomes. */
interface ToolSpec {
  name: string;
  description: string;
  input: Shape;
  managerOnly?: boolean;
  toRequest: (args: Record<string, unknown>) => Record<string, unknown>;
}

const name = z.string().describe('an agent name (a-z, 0-9, "-"), or "operator"');

/** Every tool the server can offer; the manager's ones only with `--manager`. */
export const TOOL_SPECS: readonly ToolSpec[] = [
  {
    name: 'send',
    description: 'Send a message to another agent ("*" broadcasts, "operator" reaches the human operator).',
    input: { to: name, body: z.string(), in_reply_to: z.number().int().optional() },
    toRequest: (a) => ({ cmd: 'send', ...a }),
  },
  {
    name: 'recv',
    description: 'Take waiting messages from your inbox (they normally arrive as your next turn).',
    input: { wait_ms: z.number().int().min(0).max(120_000).optional(), max: z.number().int().min(1).max(1000).optional() },
    toRequest: (a) => ({ cmd: 'recv', wait_ms: 0, ...a }),
  },
  {
    name: 'ask',
    description: 'Ask the operator (or another agent, with "to") a question; returns its id at once, the answer arrives in your inbox.',
    input: {
      question: z.string(),
      options: z.array(z.string()).optional(),
      multi: z.boolean().optional(),
      ttl_seconds: z.number().int().positive().optional(),
      to: name.optional(),
    },
    toRequest: (a) => ({ cmd: 'ask', ...a }),
  },
  {
    name: 'answer',
    description: 'Answer a question another agent asked you.',
    input: { id: z.number().int(), answer: z.string() },
    toRequest: (a) => ({ cmd: 'answer', ...a }),
  },
  {
    name: 'cancel_question',
    description: 'Withdraw a question you asked.',
    input: { id: z.number().int() },
    toRequest: (a) => ({ cmd: 'cancel_question', ...a }),
  },
  {
    name: 'set_status',
    description: 'Set the one-line status the operator sees next to your name.',
    input: { text: z.string() },
    toRequest: (a) => ({ cmd: 'set_status', ...a }),
  },
  {
    name: 'remind',
    description: 'Schedule a reminder message to yourself, after delay_seconds or at at_unix.',
    input: { message: z.string(), delay_seconds: z.number().min(0).optional(), at_unix: z.number().min(0).optional() },
    toRequest: (a) => ({ cmd: 'remind', ...a }),
  },
  {
    name: 'get_loose_ends',
    description: 'List your open questions and pending reminders.',
    input: {},
    toRequest: () => ({ cmd: 'loose_ends' }),
  },
  {
    name: 'cancel_loose_end',
    description: 'Cancel one of your open questions or pending reminders.',
    input: { kind: z.enum(['question', 'reminder']), id: z.number().int() },
    toRequest: (a) => ({ cmd: 'cancel_loose_end', ...a }),
  },
  {
    name: 'schedule_prompt',
    description:
      'Propose a prompt delivered to an agent (you, unless "to" names another) on a schedule: a five-field cron expression ("0 9 * * 1-5" = weekdays at 09:00, read in tz, default the hive\'s zone) or every_seconds (≥ 60). The operator approves it first; the answer is the approval id and the schedule id.',
    input: {
      prompt: z.string(),
      to: name.optional(),
      cron: z.string().optional(),
      every_seconds: z.number().int().optional(),
      tz: z.string().optional().describe('an IANA time zone, e.g. "Europe/Berlin"'),
      catch_up: z.boolean().optional().describe('after the hive was down, deliver each missed slot (up to 24) instead of one'),
    },
    toRequest: (a) => ({ cmd: 'schedule_prompt', ...a }),
  },
  {
    name: 'whoami',
    description: 'Your agent name, whether you are the manager, and your model.',
    input: {},
    toRequest: () => ({ cmd: 'whoami' }),
  },
  {
    name: 'request_spawn',
    description: 'Ask the operator to approve creating a new agent.',
    input: { name, description: z.string().optional() },
    managerOnly: true,
    toRequest: (a) => ({ cmd: 'request_spawn', ...a }),
  },
  {
    name: 'config_repo',
    description:
      "Where an agent's proposed config repo is (a git work tree holding its agent.json and CLAUDE.md) and the commit it runs. Commit a change there, then ask for it with request_apply_commit.",
    input: { agent: name },
    managerOnly: true,
    toRequest: (a) => ({ cmd: 'config_repo', ...a }),
  },
  {
    name: 'request_apply_commit',
    description:
      "Ask the operator to approve applying a commit of an agent's proposed config repo (commit_ref: 7 to 40 hex digits). The operator sees the diff; once approved the agent restarts on it. The answer arrives in your inbox as approval_resolved.",
    input: { agent: name, commit_ref: z.string(), description: z.string().optional() },
    managerOnly: true,
    toRequest: (a) => ({ cmd: 'request_apply_commit', ...a }),
  },
  {
    name: 'start',
    description: 'Start an agent.',
    input: { name },
    managerOnly: true,
    toRequest: (a) => ({ cmd: 'start', ...a }),
  },
  {
    name: 'stop',
    description: 'Stop an agent (graceful: let its turn finish).',
    input: { name, graceful: z.boolean().optional() },
    managerOnly: true,
    toRequest: (a) => ({ cmd: 'stop', ...a }),
  },
  {
    name: 'restart',
    description: 'Restart an agent.',
    input: { name },
    managerOnly: true,
    toRequest: (a) => ({ cmd: 'restart', ...a }),
  },
];

function toolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/** Forward one tool call: check the request, send it, turn the answer into a tool result. */
export async function callTool(spec: ToolSpec, args: Record<string, unknown>, call: AgentCall): Promise<CallToolResult> {
  const parsed = parseAgentRequest(spec.toRequest(args));
  if (!parsed.ok) return toolError(`${spec.name}: ${parsed.error}`);
  let res: AgentResponse;
  try {
    res = await call(parsed.request);
  } catch (err) {
    return toolError(`${spec.name}: cannot reach the hive: ${(err as Error).message}`);
  }
  if (!res.ok) return toolError(`${spec.name}: ${res.error ?? 'the hive refused the request'}`);
  const { version: _version, ok: _ok, ...fields } = res;
  return { content: [{ type: 'text', text: JSON.stringify({ ok: true, ...fields }) }] };
}

/** Build the MCP server for one agent. */
export function createMcpServer(options: { name: string; manager: boolean; call: AgentCall; ask?: AgentCall; version?: string }): McpServer {
  const server = new McpServer({ name: 'hyperhive', version: options.version ?? '0.1.0' });
  for (const spec of TOOL_SPECS) {
    if (spec.managerOnly && !options.manager) continue;
    server.registerTool(spec.name, { description: spec.description, inputSchema: spec.input }, (async (args: Record<string, unknown>) =>
      callTool(spec, args ?? {}, options.call)) as never);
  }
  // Claude's permission prompt: a long wait, so it gets a connection of its own per call.
  const ask = options.ask ?? options.call;
  server.registerTool(PERMISSION_PROMPT_TOOL, { description: PERMISSION_PROMPT_DESCRIPTION, inputSchema: PERMISSION_PROMPT_INPUT }, (async (args: Record<string, unknown>) =>
    askPermission(args ?? {}, ask)) as never);
  return server;
}

/** An `AgentCall` over one lazily (re)connected socket connection. */
export function socketCall(socketPath: string): AgentCall {
  let conn: JsonlConnection | null = null;
  return async (request) => {
    if (!conn || conn.isClosed) conn = await JsonlConnection.connect(socketPath, { timeoutMs: 5000 });
    return (await conn.request(request)) as AgentResponse;
  };
}

/**
 * The MCP tool claude calls before running a tool that needs permission
 * (`claude --permission-prompt-tool mcp__hyperhive__permission_prompt`).
 * Claude gives `{tool_name, input, tool_use_id}` and waits for one text
 * result holding JSON: `{"behavior":"allow","updatedInput":{…}}` or
 * `{"behavior":"deny","message":"…"}`. The tool asks the core (`permission`
 * on the agent socket, one connection per call so several calls can wait at
 * once) and passes the decision on; anything that goes wrong is a deny that
 * says what, never a run.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { JsonlConnection, parseAgentRequest } from '../protocol/index.js';
import type { AgentCall } from './agent-link.js';
import type { AgentResponse } from './agent-link.js';

/** The tool's name; claude knows it as `mcp__hyperhive__permission_prompt`. */
export const PERMISSION_PROMPT_TOOL = 'permission_prompt';

export const PERMISSION_PROMPT_DESCRIPTION =
  "Asks the hive's operator whether a tool call may run. Claude Code calls it by itself before a tool that needs permission; do not call it directly.";

/** The input claude sends. */
export const PERMISSION_PROMPT_INPUT = {
  tool_name: z.string().describe('the tool claude wants to run'),
  input: z.record(z.string(), z.unknown()).describe("the tool's input"),
  tool_use_id: z.string().optional().describe("claude's id of the call"),
};

function decision(value: { behavior: 'allow'; updatedInput: Record<string, unknown> } | { behavior: 'deny'; message: string }): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }] };
}

function deny(message: string): CallToolResult {
  return decision({ behavior: 'deny', message });
}

/** Ask the hive about one call and turn its answer into the JSON claude reads. */
export async function askPermission(args: Record<string, unknown>, ask: AgentCall): Promise<CallToolResult> {
  const parsed = parseAgentRequest({ cmd: 'permission', tool_name: args.tool_name, input: args.input ?? {}, ...(args.tool_use_id !== undefined && { tool_use_id: args.tool_use_id }) });
  if (!parsed.ok || parsed.request.cmd !== 'permission') {
    return deny(`The permission request could not be read (${parsed.ok ? 'not a permission request' : parsed.error}); the tool was not run.`);
  }
  const input = parsed.request.input;
  let res: AgentResponse;
  try {
    res = await ask(parsed.request);
  } catch (err) {
    return deny(`The hive could not be asked (${(err as Error).message}); the tool was not run.`);
  }
  if (!res.ok) return deny(`The hive did not decide: ${res.error ?? 'it refused the request'}. The tool was not run.`);
  if (res.behavior === 'allow') {
    const updated = res.updatedInput;
    return decision({ behavior: 'allow', updatedInput: updated && typeof updated === 'object' && !Array.isArray(updated) ? (updated as Record<string, unknown>) : input });
  }
  return deny(typeof res.message === 'string' && res.message !== '' ? res.message : 'The hive denied this tool call.');
}

/**
 * An `AgentCall` that opens a connection per request and waits as long as
 * the core takes (the core bounds the wait with its own timeout), closing
 * the connection when the answer comes or the MCP server goes away.
 */
export function waitingSocketCall(socketPath: string): AgentCall {
  return async (request) => {
    const conn = await JsonlConnection.connect(socketPath, { timeoutMs: 5000 });
    try {
      return (await conn.request(request)) as AgentResponse;
    } finally {
      conn.close();
    }
  };
}

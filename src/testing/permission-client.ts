/**
 * Claude's side of a permission prompt, for tests and benchmarks: the real
 * MCP SDK client on `hyperhive-agent mcp` for one agent, calling the
 * `permission_prompt` tool as claude does and reading the JSON it answers.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { entries } from './hive.js';

/** The decision claude reads from the prompt tool. */
export type PromptDecision = { behavior: 'allow'; updatedInput: Record<string, unknown> } | { behavior: 'deny'; message: string };

export interface PermissionClient {
  /** Ask about one call; resolves with the decision once the hive made it. */
  ask(toolName: string, input: Record<string, unknown>, toolUseId?: string): Promise<PromptDecision>;
  /** Close the MCP client (the server exits; its waiting requests end with it). */
  close(): Promise<void>;
}

let calls = 0;

/** Connect an MCP client to `agent`'s tools on `socket`. */
export async function connectPermissionClient(socket: string, agent: string): Promise<PermissionClient> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [entries.agent, 'mcp', '--socket', socket, '--name', agent], stderr: 'ignore' });
  const client = new Client({ name: 'claude-stand-in', version: '0' });
  await client.connect(transport);
  return {
    async ask(toolName, input, toolUseId = `toolu_test${++calls}`) {
      const result = await client.callTool(
        { name: 'permission_prompt', arguments: { tool_name: toolName, input, tool_use_id: toolUseId } },
        undefined,
        { timeout: 600_000 },
      );
      if (result.isError) throw new Error(`permission_prompt was a tool error: ${JSON.stringify(result.content)}`);
      const text = (result.content as { type: string; text: string }[]).map((c) => c.text).join('');
      return JSON.parse(text) as PromptDecision;
    },
    close: () => client.close(),
  };
}

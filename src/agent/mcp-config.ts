/** The `--mcp-config` file the harness hands to claude: one stdio server, `hyperhive-agent mcp`. */
import fs from 'node:fs';
import path from 'node:path';

/** Name of the MCP server in the config; claude names its tools `mcp__hyperhive__<tool>`. */
export const MCP_SERVER_NAME = 'hyperhive';

/** What the config needs to know. */
export interface McpConfigSpec {
  name: string;
  socketPath: string;
  manager: boolean;
  /** Absolute path of hyperhive-agent's main.js. */
  agentEntry: string;
  /** Node binary to run it with. */
  nodePath?: string;
  /** The agent config's `extra_mcp_servers`, beside the hive's own. */
  extraServers?: Record<string, unknown>;
}

/** The config object claude reads. */
export function mcpConfig(spec: McpConfigSpec): { mcpServers: Record<string, unknown> } {
  const args = [spec.agentEntry, 'mcp', '--socket', spec.socketPath, '--name', spec.name];
  if (spec.manager) args.push('--manager');
  return {
    mcpServers: {
      ...spec.extraServers,
      [MCP_SERVER_NAME]: { type: 'stdio', command: spec.nodePath ?? process.execPath, args, env: {} },
    },
  };
}

/** Write the config to `<stateDir>/mcp-config.json` (atomically) and return its path. */
export function writeMcpConfig(stateDir: string, spec: McpConfigSpec): string {
  const file = path.join(stateDir, 'mcp-config.json');
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(mcpConfig(spec), null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}

#!/usr/bin/env node
/**
 * hyperhive-agent: `run` the per-agent harness, or serve the agent's tools
 * over MCP stdio (`mcp`). Bad flags → one line, exit 2.
 */
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { packageVersion, parseCommandLine, type FlagSpecs } from '../protocol/command-line.js';
import { agentNameProblem } from '../protocol/index.js';
import { Harness } from './harness.js';
import { createMcpServer, socketCall } from './mcp-server.js';
import { waitingSocketCall } from './permission-prompt.js';
import { MCP_SERVER_NAME } from './mcp-config.js';

const USAGE = `usage:
  hyperhive-agent run --name <n> --socket <agent.sock> --state-dir <dir> [--model <m>] [--command '<json array>'] [--jsonl <file>] [--instructions <CLAUDE.md>] [--extra-mcp-servers '<json object>'] [--manager] [--parent-fd <fd>]
  hyperhive-agent mcp --socket <agent.sock> --name <n> [--manager]
  hyperhive-agent --version

--instructions: the agent's approved CLAUDE.md, copied into its work dir at every start
(a path that does not exist removes the work dir's CLAUDE.md).
--parent-fd: a descriptor whose other end the starting process (the core) holds;
when it closes — that process is gone — the harness ends its turn's command and exits.`;

const FLAGS = {
  name: { type: 'string' },
  socket: { type: 'string' },
  stateDir: { type: 'string' },
  model: { type: 'string' },
  command: { type: 'string' },
  jsonl: { type: 'string' },
  instructions: { type: 'string' },
  extraMcpServers: { type: 'string' },
  manager: { type: 'boolean' },
  parentFd: { type: 'string' },
} as const satisfies FlagSpecs;

/** A parsed command line, or the one-line reason it is not one. */
export type ParsedCli =
  | { ok: true; mode: 'help' }
  | { ok: true; mode: 'version' }
  | {
      ok: true;
      mode: 'run';
      name: string;
      socket: string;
      stateDir: string;
      model: string;
      command: string[];
      jsonl?: string;
      instructions?: string;
      extraMcpServers?: Record<string, unknown>;
      manager: boolean;
      parentFd?: number;
    }
  | { ok: true; mode: 'mcp'; name: string; socket: string; manager: boolean }
  | { ok: false; error: string };

/** Parse argv (without node and the script). Pure. */
export function parseCli(argv: readonly string[]): ParsedCli {
  const parsed = parseCommandLine(argv, FLAGS);
  if (!parsed.ok) return parsed;
  const { help, version, ...values } = parsed.flags;
  const [mode, ...extra] = parsed.input;
  if (help || mode === 'help') return { ok: true, mode: 'help' };
  if (version) return { ok: true, mode: 'version' };
  if (mode === undefined) return { ok: true, mode: 'help' };
  if (mode !== 'run' && mode !== 'mcp') return { ok: false, error: `unknown command ${JSON.stringify(mode)} (expected "run" or "mcp")` };
  if (extra.length > 0) return { ok: false, error: `unexpected argument ${JSON.stringify(extra[0])}` };
  const { name, socket } = values;
  if (!name) return { ok: false, error: '--name is required' };
  const nameProblem = agentNameProblem(name);
  if (nameProblem) return { ok: false, error: `--name: ${nameProblem}` };
  if (!socket) return { ok: false, error: '--socket is required' };
  const manager = values.manager === true;
  if (mode === 'mcp') return { ok: true, mode, name, socket, manager };
  const stateDir = values.stateDir;
  if (!stateDir) return { ok: false, error: '--state-dir is required' };
  let command = ['claude'];
  if (values.command !== undefined) {
    let parsedCommand: unknown;
    try {
      parsedCommand = JSON.parse(values.command);
    } catch {
      return { ok: false, error: `--command must be a JSON array of strings, like '["claude"]'` };
    }
    if (!Array.isArray(parsedCommand) || parsedCommand.length === 0 || !parsedCommand.every((s) => typeof s === 'string' && s.length > 0)) {
      return { ok: false, error: `--command must be a non-empty JSON array of non-empty strings, like '["claude"]'` };
    }
    command = parsedCommand as string[];
  }
  const model = values.model ?? 'haiku';
  if (model.trim() === '') return { ok: false, error: '--model must not be empty' };
  const out: ParsedCli = { ok: true, mode, name, socket, stateDir, model, command, manager };
  if (values.jsonl) out.jsonl = values.jsonl;
  if (values.instructions) out.instructions = values.instructions;
  if (values.parentFd !== undefined) {
    const fd = Number(values.parentFd);
    if (!Number.isInteger(fd) || fd < 3) return { ok: false, error: '--parent-fd must be a descriptor number, 3 or more' };
    out.parentFd = fd;
  }
  if (values.extraMcpServers !== undefined) {
    const extraServers = parseExtraMcpServers(values.extraMcpServers);
    if (typeof extraServers === 'string') return { ok: false, error: `--extra-mcp-servers: ${extraServers}` };
    out.extraMcpServers = extraServers;
  }
  return out;
}

/** The agent config's `extra_mcp_servers`: an object of MCP server entries, never replacing the hive's own. */
function parseExtraMcpServers(text: string): Record<string, unknown> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'must be a JSON object of MCP server entries';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'must be a JSON object of MCP server entries';
  if (MCP_SERVER_NAME in parsed) return `"${MCP_SERVER_NAME}" is the hive's own server and cannot be replaced`;
  for (const [key, entry] of Object.entries(parsed)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `server "${key}" must be an object`;
  }
  return parsed as Record<string, unknown>;
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  if (!cli.ok) {
    process.stderr.write(`hyperhive-agent: ${cli.error}\n`);
    return 2;
  }
  if (cli.mode === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (cli.mode === 'version') {
    process.stdout.write(`hyperhive-agent ${packageVersion()}\n`);
    return 0;
  }
  if (cli.mode === 'mcp') {
    const server = createMcpServer({ name: cli.name, manager: cli.manager, call: socketCall(cli.socket), ask: waitingSocketCall(cli.socket) });
    await server.connect(new StdioServerTransport());
    // The SDK's stdio transport does not end with stdin; claude closing the pipe means we are done.
    await new Promise<void>((resolve) => process.stdin.once('end', resolve).once('close', resolve));
    await server.close().catch(() => undefined);
    return 0;
  }
  const harness = new Harness({
    name: cli.name,
    socketPath: cli.socket,
    stateDir: cli.stateDir,
    model: cli.model,
    command: cli.command,
    manager: cli.manager,
    agentEntry: fileURLToPath(import.meta.url),
    jsonlPath: cli.jsonl,
    instructionsFile: cli.instructions,
    extraMcpServers: cli.extraMcpServers,
    heartbeatMs: envInt('HYPERHIVE_HEARTBEAT_MS', 5000),
    recvWaitMs: envInt('HYPERHIVE_RECV_WAIT_MS', 30_000),
    cancelGraceMs: envInt('HYPERHIVE_CANCEL_GRACE_MS', 5000),
  });
  let signalled = false;
  const onSignal = () => {
    if (signalled) process.exit(1);
    signalled = true;
    harness.terminate();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  if (cli.parentFd !== undefined) {
    watchParent(cli.parentFd, () => {
      process.stderr.write(`[hyperhive-agent ${cli.name}] the core that started this harness is gone; stopping\n`);
      harness.terminate();
      // Whatever hangs on the way out, no harness outlives its core by more than this.
      setTimeout(() => process.exit(1), 10_000).unref();
    });
  }
  return harness.run();
}

/**
 * Call `gone` once the process holding the other end of `fd` has closed it,
 * by exiting or dying: nothing is ever sent on it, so EOF is the only news.
 */
function watchParent(fd: number, gone: () => void): void {
  let pipe: net.Socket;
  try {
    pipe = new net.Socket({ fd, readable: true, writable: false });
  } catch (err) {
    process.stderr.write(`hyperhive-agent: --parent-fd ${fd}: ${(err as Error).message}\n`);
    process.exit(2);
  }
  let told = false;
  const once = () => {
    if (told) return;
    told = true;
    gone();
  };
  pipe.on('data', () => {});
  pipe.once('end', once);
  pipe.once('close', once);
  pipe.on('error', once);
  // The watch alone never keeps the harness alive.
  pipe.unref();
}

// Only run when executed, not when imported by a test.
if (process.argv[1] && fileURLToPath(import.meta.url) === (await import('node:fs')).realpathSync(process.argv[1])) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`hyperhive-agent: ${err.message}\n`);
      process.exit(1);
    },
  );
}

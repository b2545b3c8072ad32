/** The agent harness: turn loop, claude runner, stream parser, sinks, MCP server. */
export { Harness, EXIT_RESTART, type HarnessOptions } from './harness.js';
export { StreamParser, RunTally, parseStreamLine, classifyRun, describeFailure, contextTokensOf, type StreamItem, type RunResult, type Usage } from './stream-parser.js';
export { buildTurnStat, type TurnFacts } from './turn-stats.js';
export { runCommand, type RunSpec, type RunningCommand, type HeartbeatSample } from './claude-runner.js';
export { AgentLink, type AgentResponse } from './agent-link.js';
export { AgentStore } from './agent-store.js';
export { FanoutSink, type EventSink, type StampedEvent } from './sinks/sink.js';
export { JsonlSink, rotatedPath, DEFAULT_JSONL_MAX_BYTES } from './sinks/jsonl-sink.js';
export { ForwardSink } from './sinks/forward-sink.js';
export { SqliteHistorySink } from './sinks/sqlite-sink.js';
export { LogSink } from './sinks/log-sink.js';
export { createMcpServer, TOOL_SPECS, callTool, socketCall } from './mcp-server.js';
export { mcpConfig, writeMcpConfig, MCP_SERVER_NAME } from './mcp-config.js';
export { wakeText } from './wake-text.js';

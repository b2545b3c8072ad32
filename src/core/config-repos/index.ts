/** The config repos door: the repos on disk and in git, keeping agents' repos in step, and what the repos hold. */
export { ConfigRepos, MAX_STORED_DIFF_BYTES, type ConfigFiles } from './config-repos.js';
export { AGENT_JSON, CLAUDE_MD, defaultClaudeMd, newFilesDiff, parseAgentJson, renderAgentJson, type ParsedAgentJson } from './agent-files.js';
export { AgentRepos } from './agent-repos.js';

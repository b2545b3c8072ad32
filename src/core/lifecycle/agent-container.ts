/**
 * What one agent's NixOS container holds, read from the lifecycle host: the
 * harness spec its Nix file is rendered from, its bind mounts, and the argv
 * of claude's login inside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../../protocol/index.js';
import type { LifecycleHost } from './backend.js';
import { containerName } from './container-name.js';
import { CONTAINER_PATHS, type AgentContainerSpec, type BindMount } from './container-files.js';
import { harnessArgs } from './harness-command.js';

export function agentConfigOf(host: LifecycleHost, name: string): AgentConfig {
  const config = host.agentConfig(name);
  if (!config) throw new Error(`no agent named ${JSON.stringify(name)} in this hive`);
  return config;
}

export function containerSpec(host: LifecycleHost, name: string): AgentContainerSpec {
  const config = agentConfigOf(host, name);
  const instructions = host.instructionsFile(name) ? `${CONTAINER_PATHS.applied}/CLAUDE.md` : undefined;
  const paths = { entry: host.agentEntry, socket: CONTAINER_PATHS.socket, stateDir: CONTAINER_PATHS.state, instructions };
  return {
    agent: name,
    container: containerName(name),
    argv: [process.execPath, ...harnessArgs(name, config, paths, host.config.manager === name)],
    environment: { ...config.env, HOME: CONTAINER_PATHS.home },
    extra_module: host.config.nixos_container.agent_module ?? null,
  };
}

/**
 * The agent's socket dir, state dir and claude credentials; its applied
 * config repo read-only (the approved CLAUDE.md); and for the manager every
 * agent's proposed config repo at `/hive/config/<agent>` (those that exist
 * when its container is made or updated: an agent spawned later is bound
 * at the manager's next update).
 */
export function containerBinds(host: LifecycleHost, name: string): BindMount[] {
  const stateDir = host.agentStateDir(name);
  const binds: BindMount[] = [
    { host: path.dirname(host.agentSocketPath(name)), container: CONTAINER_PATHS.socketDir },
    { host: stateDir, container: CONTAINER_PATHS.state },
    { host: path.join(stateDir, 'claude'), container: CONTAINER_PATHS.claude },
  ];
  const instructions = host.instructionsFile(name);
  if (instructions) binds.push({ host: path.dirname(instructions), container: CONTAINER_PATHS.applied, readOnly: true });
  if (host.config.manager === name) {
    for (const agent of host.agentNames()) {
      const repo = host.proposedRepoDir(agent);
      if (fs.existsSync(repo)) binds.push({ host: repo, container: proposedRepoPath(agent) });
    }
  }
  return binds;
}

/** Where the manager's container sees `agent`'s proposed config repo. */
export function proposedRepoPath(agent: string): string {
  return `${CONTAINER_PATHS.configRepos}/${agent}`;
}

/**
 * claude's login inside the agent's container (`nixos-container run`), with
 * the config dir its turns use: `/state/claude`, which is also what the
 * container sees at /root/.claude — `<state>/agents/<name>/claude` on the host.
 */
export function containerLoginCommand(host: LifecycleHost, name: string): { argv: string[]; env: NodeJS.ProcessEnv; cwd: string } {
  const config = agentConfigOf(host, name);
  const argv = [
    host.config.nixos_container.command, 'run', containerName(name), '--',
    'env', `HOME=${CONTAINER_PATHS.home}`,
    ...Object.entries(config.env).map(([key, value]) => `${key}=${value}`),
    `CLAUDE_CONFIG_DIR=${CONTAINER_PATHS.state}/claude`,
    ...config.command, 'auth', 'login',
  ];
  return { argv, env: process.env, cwd: host.agentStateDir(name) };
}

/**
 * Keeping every agent's config repos in step with the store: an agent
 * without repos gets them (one commit of its config entry), and an agent
 * with them has its applied work tree on its deployed commit and a proposed
 * repo to commit to. The store's `deployed_sha` is the truth; the repos
 * follow it.
 */
import path from 'node:path';
import type { AgentConfig } from '../../protocol/index.js';
import type { UnitOfWork } from '../ports.js';
import type { AgentRegistry } from '../agent-registry.js';
import { readFileNoFollow } from '../disk/index.js';
import type { ConfigFiles, ConfigRepos } from './config-repos.js';
import { CLAUDE_MD, MAX_CLAUDE_MD_BYTES, defaultClaudeMd, renderAgentJson } from './agent-files.js';

export interface AgentReposParts {
  work: UnitOfWork;
  agents: AgentRegistry;
  repos: ConfigRepos;
  hiveName: string;
  log: (message: string) => void;
}

export class AgentRepos {
  constructor(private readonly parts: AgentReposParts) {}

  /** The files a new agent's repos start with: its entry, and its work dir's CLAUDE.md when it had one, else a short default. */
  seedFiles(name: string, config: AgentConfig): ConfigFiles {
    let existing: string | undefined;
    try {
      existing = readFileNoFollow(path.join(this.parts.agents.agentStateDir(name), 'work', CLAUDE_MD));
    } catch {
      existing = undefined;
    }
    const keep = existing !== undefined && Buffer.byteLength(existing) <= MAX_CLAUDE_MD_BYTES;
    return { agentJson: renderAgentJson(config), claudeMd: keep ? existing! : defaultClaudeMd(name, this.parts.hiveName, config.parent) };
  }

  /** Give `name` its repos from `files` and record the commit as deployed; returns it. */
  async create(name: string, files: ConfigFiles, config: AgentConfig, message: string): Promise<string> {
    const { work, agents, repos } = this.parts;
    const sha = await repos.exclusive(name, () => repos.seed(name, files, message));
    work.commit(() => agents.setDeployed(name, sha, config));
    return sha;
  }

  /** At start (after interrupted approvals are mended): every agent has both repos, on its deployed commit. */
  async prepareAll(): Promise<void> {
    const { agents, repos, log } = this.parts;
    const gitProblem = await repos.gitProblem();
    if (gitProblem) {
      log(`config repos are off: ${gitProblem}; agents run their stored config and config changes cannot be proposed`);
      return;
    }
    for (const name of agents.agentNames()) {
      try {
        await this.prepare(name);
      } catch (err) {
        log(`config repos of ${name}: ${(err as Error).message}; it runs its stored config`);
      }
    }
  }

  /** One agent's repos, made or brought to its deployed commit. */
  async prepare(name: string): Promise<void> {
    const { agents, repos, log } = this.parts;
    const record = agents.agent(name);
    if (!record) return;
    if (!record.deployedSha) {
      const what = record.source === 'config' ? 'the hive config file' : 'its spawn';
      await this.create(name, this.seedFiles(name, record.config), record.config, `${name}: config from ${what}`);
      return;
    }
    const deployed = record.deployedSha;
    await repos.exclusive(name, async () => {
      const tagged = await repos.deployed(name);
      if (tagged === null) {
        // The applied repo is gone: make it again from the stored config (a new first commit).
        const sha = await repos.seed(name, this.seedFiles(name, record.config), `${name}: config restored from the store`);
        this.parts.work.commit(() => agents.setDeployed(name, sha, record.config));
        log(`${name}'s applied config repo was missing; made again from its stored config (${sha.slice(0, 12)})`);
        return;
      }
      if (tagged !== deployed) await repos.markDeployed(name, deployed);
      if ((await repos.head(name)) !== deployed) await repos.checkout(name, deployed);
      if (await repos.ensureProposed(name)) log(`${name}'s proposed config repo was missing; made again at its deployed commit`);
    });
  }

  /** The approved CLAUDE.md of `name` on the host, or null without an applied repo. */
  instructionsFile(name: string): string | null {
    if (!this.parts.agents.agent(name)?.deployedSha) return null;
    return path.join(this.parts.repos.appliedDir(name), CLAUDE_MD);
  }
}

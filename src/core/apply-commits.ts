/**
 * Config changes as approvals. The manager commits to an agent's proposed
 * config repo and asks for the commit (`request_apply_commit`); the core
 * fetches it into the applied repo, checks its `agent.json`, stores the diff
 * against the deployed commit and queues an `apply_commit` approval.
 * Approving checks the commit out, brings the agent up on it (transient
 * `rebuilding`) and records it as deployed, its permission rules with it —
 * or, when the agent does not come up, puts the previous commit back and
 * runs that again. A crash in the
 * middle is mended at start: a change recorded as deployed is finished,
 * anything short of that is rolled back.
 */
import type { AgentConfig, Approval } from '../protocol/index.js';
import type { LifecycleBackend } from './lifecycle/index.js';
import type { UnitOfWork } from './ports.js';
import type { AgentRegistry } from './agent-registry.js';
import type { StatusBoard } from './status-board.js';
import type { Approvals } from './approvals.js';
import type { AgentLifecycle } from './agent-lifecycle.js';
import type { RuleBook } from './permissions/index.js';
import { parseAgentJson, type ConfigRepos, type ParsedAgentJson } from './config-repos/index.js';
import { refuse, type Refusal } from './refusal.js';
import { crashPoint } from './crash-points.js';

export interface ApplyCommitParts {
  work: UnitOfWork;
  agents: AgentRegistry;
  status: StatusBoard;
  approvals: Approvals;
  lifecycle: AgentLifecycle;
  backend: LifecycleBackend;
  repos: ConfigRepos;
  /** Its per-agent rules follow the deployed config. */
  rules: RuleBook;
  /** The agent now runs its deployed commit (for `needs_update`). */
  runsDeployed: (name: string) => void;
}

const short = (sha: string | undefined) => (sha ? sha.slice(0, 12) : 'none');

export class ApplyCommits {
  constructor(private readonly parts: ApplyCommitParts) {
    parts.approvals.onApprove('apply_commit', { apply: (a) => this.apply(a), recover: (a) => this.recover(a) });
  }

  /** Queue an `apply_commit` approval for `commitRef` of `agent`'s proposed repo; returns its id. */
  async request(agent: string, commitRef: string, description: string | undefined, requestedBy: string): Promise<number | Refusal> {
    const { agents, approvals, repos } = this.parts;
    const problem = agents.check(agent);
    if (problem) return problem;
    if (!/^[0-9a-fA-F]{7,40}$/.test(commitRef)) return refuse('bad_request', `commit_ref ${JSON.stringify(commitRef.slice(0, 64))} is not a commit id of 7 to 40 hex digits`);
    const gitProblem = await repos.gitProblem();
    if (gitProblem) return refuse('unavailable', `config changes are off in this core: ${gitProblem}`);
    return repos.exclusive(agent, async () => {
      const base = agents.agent(agent)?.deployedSha;
      if (!base) return refuse('unavailable', `${agent} has no applied config repo yet; try again once the core has created it`);
      try {
        await repos.fetchProposed(agent);
      } catch (err) {
        return refuse('unavailable', (err as Error).message);
      }
      const found = await repos.resolveCommit(agent, commitRef);
      if (!found.ok) return refuse(/ambiguous/.test(found.error) ? 'bad_request' : 'not_found', found.error);
      const sha = found.sha;
      if (sha === base) return refuse('bad_request', `${commitRef} is the commit ${agent} runs already; commit the change first`);
      if (!(await repos.sharesHistory(agent, sha, base))) {
        return refuse('bad_request', `${commitRef} shares no history with ${agent}'s deployed config (${short(base)}); build the change on a commit of ${agent}'s config repo`);
      }
      const checked = await this.checkConfig(agent, sha);
      if (!checked.ok) return refuse('bad_request', checked.error);
      const same = approvals.pendingFor(agent, 'apply_commit').find((a) => a.fetched_sha === sha);
      if (same) return refuse('conflict', `approval #${same.id} already asks to apply ${short(sha)} to ${agent}`);
      let diff: string;
      try {
        diff = await repos.diff(agent, base, sha);
      } catch (err) {
        return refuse('bad_request', (err as Error).message);
      }
      if (diff === '') return refuse('bad_request', `${commitRef} changes no file against what ${agent} runs (${short(base)}); nothing to apply`);
      try {
        return approvals.add(
          { agent, kind: 'apply_commit', commit_ref: commitRef, fetched_sha: sha, base_sha: base, description, requested_by: requestedBy, diff },
          (id) => repos.tagProposalSync(agent, id, sha),
        );
      } catch (err) {
        return refuse('unavailable', `could not queue the change: ${(err as Error).message}`);
      }
    });
  }

  /** Approve, and with `supersede` withdraw the older proposals for the same agent once this one is applied. */
  async approve(id: number, actor: string | undefined, supersede: boolean): Promise<true | Refusal> {
    const { approvals } = this.parts;
    const result = await approvals.approve(id, actor);
    const approval = approvals.get(id);
    if (result !== true || !supersede || approval?.kind !== 'apply_commit') return result;
    for (const older of approvals.pendingFor(approval.agent, 'apply_commit')) {
      if (older.id < id) approvals.cancel(older.id, `superseded by #${id}`);
    }
    return true;
  }

  /** What the agent runs against the head of its proposed repo. */
  async proposedChanges(agent: string): Promise<{ deployed: string; head: string; diff: string } | Refusal> {
    const { agents, repos } = this.parts;
    const problem = agents.check(agent);
    if (problem) return problem;
    const gitProblem = await repos.gitProblem();
    if (gitProblem) return refuse('unavailable', `config repos are off in this core: ${gitProblem}`);
    return repos.exclusive(agent, async () => {
      const deployed = agents.agent(agent)?.deployedSha;
      if (!deployed) return refuse('unavailable', `${agent} has no applied config repo yet`);
      try {
        await repos.fetchProposed(agent);
        const head = await repos.proposedHead(agent);
        if (!head) return refuse('unavailable', `${agent}'s proposed config repo has no commit checked out`);
        return { deployed, head, diff: head === deployed ? '' : await repos.diff(agent, deployed, head) };
      } catch (err) {
        return refuse('unavailable', (err as Error).message);
      }
    });
  }

  /** The diff of a pending proposal against what its agent runs now (when the deployed commit moved). */
  async diffAgainstDeployed(approval: Approval): Promise<string | Refusal> {
    const { agents, repos } = this.parts;
    const deployed = agents.agent(approval.agent)?.deployedSha;
    if (!deployed || !approval.fetched_sha) return refuse('not_found', `${approval.agent} runs no deployed commit to compare with`);
    try {
      return await repos.diff(approval.agent, deployed, approval.fetched_sha);
    } catch (err) {
      return refuse('unavailable', (err as Error).message);
    }
  }

  /** `agent.json` at `sha`, checked as the hive config checks an entry. */
  private async checkConfig(agent: string, sha: string): Promise<ParsedAgentJson> {
    let files;
    try {
      files = await this.parts.repos.configFiles(agent, sha);
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
    if (files.agentJson === null) return { ok: false, error: `agent.json is missing at ${short(sha)}; the commit must keep ${agent}'s agent.json` };
    const parsed = parseAgentJson(files.agentJson, { name: agent, agents: this.parts.agents.agentNames() });
    return parsed.ok ? parsed : { ok: false, error: `${parsed.error} (at ${short(sha)})` };
  }

  /** The `apply_commit` applier: see the file comment. */
  private apply(approval: Approval): Promise<string | null> {
    const { agents, lifecycle, repos } = this.parts;
    const name = approval.agent;
    const sha = approval.fetched_sha;
    return repos.exclusive(name, async () => {
      const record = agents.agent(name);
      if (!record) return `${name} no longer exists; nothing was applied`;
      if (!sha || !record.deployedSha) return `${name} has no applied config repo; nothing was applied`;
      const previous = { sha: record.deployedSha, config: record.config };
      const checked = await this.checkConfig(name, sha);
      if (!checked.ok) return `${checked.error}; nothing was applied`;
      return lifecycle.withTransient(name, 'rebuilding', async () => {
        await repos.checkout(name, sha);
        agents.setRunningConfig(name, checked.config);
        crashPoint('apply-commit-checked-out');
        try {
          await lifecycle.runUpdate(name);
        } catch (err) {
          return this.rollBack(name, sha, previous, (err as Error).message);
        }
        // The deployed config and its permission rules change together: the next call meets the new rules.
        this.parts.work.commit(() => {
          agents.setDeployed(name, sha, checked.config);
          this.parts.rules.resyncAgent(name);
        });
        crashPoint('apply-commit-recorded');
        await repos.markDeployed(name, sha);
        this.parts.runsDeployed(name);
        this.parts.status.refresh(name);
        return null;
      });
    });
  }

  /** The agent did not come up on `sha`: the previous commit goes back and runs again; says what happened. */
  private async rollBack(name: string, sha: string, previous: { sha: string; config: AgentConfig }, why: string): Promise<string> {
    const { agents, lifecycle, repos } = this.parts;
    await repos.checkout(name, previous.sha);
    agents.setRunningConfig(name, previous.config);
    let after = `${short(previous.sha)} was put back and runs again`;
    try {
      await lifecycle.runUpdate(name);
      this.parts.runsDeployed(name);
    } catch (err) {
      after = `${short(previous.sha)} was put back but did not start either: ${(err as Error).message}`;
    }
    this.parts.status.refresh(name);
    return `${name} did not start with ${short(sha)}: ${why}; ${after}`;
  }

  /**
   * The core stopped while a change was applied. Recorded as deployed: it
   * is finished (the agent starts on it with the hive). Otherwise the
   * previous commit is checked out again and the approval fails.
   */
  private recover(approval: Approval): Promise<string | null> {
    const { agents, repos } = this.parts;
    const name = approval.agent;
    const sha = approval.fetched_sha;
    return repos.exclusive(name, async () => {
      const record = agents.agent(name);
      if (!record?.deployedSha) return `the core stopped while applying it and ${name} is gone; nothing was applied`;
      if (record.deployedSha === sha) {
        await repos.checkout(name, sha);
        await repos.markDeployed(name, sha);
        return null;
      }
      await repos.checkout(name, record.deployedSha);
      await repos.markDeployed(name, record.deployedSha);
      return `the core stopped while applying ${short(sha)}; ${name} was put back on ${short(record.deployedSha)} and runs that — ask for the change again`;
    });
  }
}


/** Host-socket answers about config changes: one approval with a page of its diff, and an agent's proposed changes. */
import type { Hive } from '../hive.js';
import { isRefusal } from '../refusal.js';
import { diffPage } from '../diff-page.js';
import { errorResponse, okResponse } from '../../protocol/index.js';

/** What a request asks of a diff: where its page starts, how many lines at most. */
interface PageAsk {
  diff_from?: number;
  diff_lines?: number;
}

/** `approval {id}`: the record, its diff (a page of it, with the files it touches), and whether its base moved. */
export async function approvalAnswer(hive: Hive, req: PageAsk & { id: number; against?: 'requested' | 'deployed' }): Promise<object> {
  const approval = hive.approvals.get(req.id, true);
  if (!approval) return errorResponse(`no approval #${req.id}`, 'not_found');
  let diff = approval.diff;
  if (req.against === 'deployed') {
    if (approval.kind !== 'apply_commit') return errorResponse(`approval #${req.id} is a ${approval.kind}; only config changes have a deployed commit to compare with`, 'bad_request');
    const recomputed = await hive.applyCommits.diffAgainstDeployed(approval);
    if (isRefusal(recomputed)) return errorResponse(recomputed.error, recomputed.code);
    diff = recomputed;
  }
  const { diff: _whole, ...record } = approval;
  const deployed = hive.agents.agent(approval.agent)?.deployedSha;
  const extra: Record<string, unknown> = {};
  if (approval.kind === 'apply_commit' && deployed) {
    extra.deployed_sha = deployed;
    extra.base_moved = approval.base_sha !== undefined && approval.base_sha !== deployed && req.against !== 'deployed';
  }
  return okResponse({ approval: { ...record, ...extra, ...(diff !== undefined ? diffPage(diff, req.diff_from, req.diff_lines) : {}) } });
}

/** `config_diff {name}`: what the agent runs against the head of its proposed repo. */
export async function configDiffAnswer(hive: Hive, req: PageAsk & { name: string }): Promise<object> {
  const changes = await hive.applyCommits.proposedChanges(req.name);
  if (isRefusal(changes)) return errorResponse(changes.error, changes.code);
  return okResponse({ agent: req.name, deployed_sha: changes.deployed, head_sha: changes.head, ...diffPage(changes.diff, req.diff_from, req.diff_lines) });
}

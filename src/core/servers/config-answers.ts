/** Host-socket answers about config changes: one approval with a page of its diff, and an agent's proposed changes. */
import type { Hive } from '../hive.js';
import { isRefusal } from '../refusal.js';
import { DIFF_PAGE_BYTES, diffPage } from '../diff-page.js';
import { MAX_LINE_BYTES, errorResponse, okResponse } from '../../protocol/index.js';

/** Most bytes an answer carrying a page of a diff may take (room under the line cap for the envelope). */
const MAX_ANSWER_BYTES = MAX_LINE_BYTES - 8 * 1024;
/** Fewest JSON bytes of diff a page keeps beside a tool call's input; below that the input is left out. */
const MIN_DIFF_PAGE_BYTES = 64 * 1024;

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
  if (diff === undefined) return okResponse({ approval: { ...record, ...extra } });
  return okResponse({ approval: withDiffPage({ ...record, ...extra }, diff, req) });
}

/**
 * The record with a page of its diff, the whole answer under the line cap:
 * a page shrinks by what the rest of the record takes (a tool call's input
 * can be nearly a line itself), and an input that leaves too little room
 * for the diff is left out, saying so.
 */
function withDiffPage(record: Record<string, unknown>, diff: string, req: PageAsk): Record<string, unknown> {
  const page = diffPage(diff, req.diff_from, req.diff_lines);
  const full = { ...record, ...page };
  const over = Buffer.byteLength(JSON.stringify(okResponse({ approval: full }))) - MAX_ANSWER_BYTES;
  if (over <= 0) return full;
  let rest = record;
  // What this page's text takes, less what the answer is over by: the next try surely fits.
  let budget = Buffer.byteLength(JSON.stringify(page.diff)) - over;
  if (budget < MIN_DIFF_PAGE_BYTES && record.tool_input !== undefined) {
    const { tool_input: input, ...withoutInput } = record;
    rest = { ...withoutInput, tool_input_truncated: true };
    budget = Math.min(DIFF_PAGE_BYTES, budget + Buffer.byteLength(JSON.stringify(input)));
  }
  return { ...rest, ...diffPage(diff, req.diff_from, req.diff_lines, Math.max(MIN_DIFF_PAGE_BYTES, budget)) };
}

/** `config_diff {name}`: what the agent runs against the head of its proposed repo. */
export async function configDiffAnswer(hive: Hive, req: PageAsk & { name: string }): Promise<object> {
  const changes = await hive.applyCommits.proposedChanges(req.name);
  if (isRefusal(changes)) return errorResponse(changes.error, changes.code);
  return okResponse({ agent: req.name, deployed_sha: changes.deployed, head_sha: changes.head, ...diffPage(changes.diff, req.diff_from, req.diff_lines) });
}

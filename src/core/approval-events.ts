/**
 * The dashboard events of the approval queue in the reference system's flat
 * shape: an approval's record becomes `approval_added` / `approval_resolved`
 * fields, its diff cut so that the event stays far below the line cap.
 */
import { MAX_EVENT_DIFF_BYTES, type Approval, type DashboardEventFields } from '../protocol/index.js';

/** Characters of a commit id the events show (`sha_short`). */
export const SHA_SHORT_LENGTH = 12;

/** The commit an approval is about, shortened; null when it is about none (a spawn). */
export function shaShort(approval: Pick<Approval, 'fetched_sha' | 'commit_ref'>): string | null {
  const sha = approval.fetched_sha ?? approval.commit_ref;
  return sha ? sha.slice(0, SHA_SHORT_LENGTH) : null;
}

/**
 * `text` cut so that its JSON encoding takes at most `maxJsonBytes`, with a
 * last line saying so. Control characters grow sixfold in JSON, so the cut is
 * measured on the encoding, not on the text.
 */
export function capJsonText(text: string, maxJsonBytes: number, marker: string): { text: string; cut: boolean } {
  const jsonBytes = (s: string) => Buffer.byteLength(JSON.stringify(s));
  if (jsonBytes(text) <= maxJsonBytes) return { text, cut: false };
  const budget = maxJsonBytes - jsonBytes(marker);
  let keep = Math.min(text.length, budget);
  for (;;) {
    let head = text.slice(0, keep);
    // Never split a surrogate pair.
    if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
    const size = jsonBytes(head);
    if (size <= budget || keep === 0) return { text: head + marker, cut: true };
    keep = Math.max(0, Math.floor(keep * (budget / size)) - 1);
  }
}

const unixSeconds = (rfc3339: string | undefined): number => Math.floor((rfc3339 ? Date.parse(rfc3339) : Date.now()) / 1000);

/** `approval_added` for a new approval and its diff. */
export function approvalAddedFields(approval: Approval, diff: string | null): DashboardEventFields<'approval_added'> {
  const capped = diff === null ? null : capJsonText(diff, MAX_EVENT_DIFF_BYTES, `\n[diff cut for the event; the whole diff is in approval #${approval.id}]\n`);
  return {
    id: approval.id,
    agent: approval.agent,
    approval_kind: approval.kind,
    sha_short: shaShort(approval),
    diff: capped?.text ?? null,
    description: approval.description ?? null,
    diff_truncated: capped?.cut ?? false,
    commit_ref: approval.commit_ref,
    fetched_sha: approval.fetched_sha ?? null,
    requested_at: unixSeconds(approval.requested_at),
    requested_by: approval.requested_by ?? null,
    diff_files: approval.diff_files ?? null,
  };
}

/** `approval_resolved` for an approval that just left `pending`. */
export function approvalResolvedFields(approval: Approval): DashboardEventFields<'approval_resolved'> {
  return {
    id: approval.id,
    agent: approval.agent,
    approval_kind: approval.kind,
    sha_short: shaShort(approval),
    status: approval.status,
    resolved_at: unixSeconds(approval.resolved_at),
    note: approval.note ?? null,
    description: approval.description ?? null,
    resolved_by: approval.resolved_by ?? null,
    commit_ref: approval.commit_ref,
    requested_at: unixSeconds(approval.requested_at),
    requested_by: approval.requested_by ?? null,
  };
}

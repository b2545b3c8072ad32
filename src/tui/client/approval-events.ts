/** The Approval records the console builds from approval events (the events carry the record's fields flat, times as Unix seconds). */
import type { Approval, DashboardEvent, ToolApprovalEventFields } from '../../protocol/index.js';
import { withToolCall } from './tool-permissions.js';

/** Unix seconds as the RFC 3339 the Approval record holds. */
const rfc3339 = (unix: number): string => new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

type ApprovalAddedEvent = Extract<DashboardEvent, { kind: 'approval_added' }>;
type ApprovalResolvedEvent = Extract<DashboardEvent, { kind: 'approval_resolved' }>;

/** The Approval record an `approval_added` event describes. */
export function addedApproval(ev: ApprovalAddedEvent): Approval {
  const a: Approval = { id: ev.id, agent: ev.agent, kind: ev.approval_kind, commit_ref: ev.commit_ref, requested_at: rfc3339(ev.requested_at), status: 'pending' };
  if (ev.fetched_sha !== null) a.fetched_sha = ev.fetched_sha;
  if (ev.description !== null) a.description = ev.description;
  if (ev.requested_by !== null) a.requested_by = ev.requested_by;
  if (typeof ev.diff_files === 'number') a.diff_files = ev.diff_files;
  return withToolCall(a, ev as ApprovalAddedEvent & Partial<ToolApprovalEventFields>);
}

/** An approval after its `approval_resolved` event (built from the event when it was not held). */
export function resolvedApproval(prev: Approval | undefined, ev: ApprovalResolvedEvent): Approval {
  const a: Approval = prev
    ? { ...prev, status: ev.status, resolved_at: rfc3339(ev.resolved_at) }
    : { id: ev.id, agent: ev.agent, kind: ev.approval_kind, commit_ref: ev.commit_ref, requested_at: rfc3339(ev.requested_at), status: ev.status, resolved_at: rfc3339(ev.resolved_at) };
  if (ev.note !== null) a.note = ev.note;
  if (ev.description !== null) a.description = ev.description;
  if (ev.resolved_by !== null) a.resolved_by = ev.resolved_by;
  if (ev.requested_by !== null) a.requested_by = ev.requested_by;
  return a;
}

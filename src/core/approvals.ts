/**
 * The approval queue. A resolution happens exactly once: the pending check and
 * the status change commit in one transaction, and an approval being applied
 * is held so a concurrent approve/deny gets `conflict`.
 */
import type { Approval, ApprovalStatus } from '../protocol/index.js';
import type { AgentMail, ServicePorts, UnitOfWork } from './ports.js';
import { nowRfc3339, refuse, type Refusal } from './refusal.js';
import { approvalAddedFields, approvalResolvedFields } from './approval-events.js';

type ApprovalRow = {
  id: number;
  agent: string;
  kind: string;
  commit_ref: string;
  fetched_sha: string | null;
  requested_at: string;
  requested_by: string | null;
  status: ApprovalStatus;
  resolved_at: string | null;
  resolved_by: string | null;
  note: string | null;
  description: string | null;
  diff: string | null;
};

/** What approving an approval of one kind does. Resolves with an error sentence on failure. */
export type ApplyApproval = (approval: Approval) => Promise<string | null>;

export class Approvals {
  /** Approvals whose approve action is running: no second resolution may start. */
  private readonly applying = new Set<number>();
  private readonly appliers = new Map<string, ApplyApproval>();
  private readonly work: UnitOfWork;
  private readonly mail: AgentMail;
  private readonly selectOne;

  constructor(ports: Pick<ServicePorts, 'work' | 'mail'>) {
    this.work = ports.work;
    this.mail = ports.mail;
    this.selectOne = this.work.db.prepare('SELECT * FROM approvals WHERE id = ?');
  }

  /** Register what approving `kind` does (`spawn` here; `apply_commit` plugs in the same way). */
  onApprove(kind: string, apply: ApplyApproval): void {
    this.appliers.set(kind, apply);
  }

  get(id: number, withDiff = false): Approval | undefined {
    const row = this.selectOne.get(id) as ApprovalRow | undefined;
    return row && toApproval(row, withDiff);
  }

  /** Pending first (oldest first), then the 50 most recently resolved. */
  list(): Approval[] {
    const pending = this.work.db.prepare("SELECT * FROM approvals WHERE status = 'pending' ORDER BY id").all() as ApprovalRow[];
    const resolved = this.work.db
      .prepare("SELECT * FROM approvals WHERE status != 'pending' ORDER BY resolved_at DESC, id DESC LIMIT 50")
      .all() as ApprovalRow[];
    return [...pending, ...resolved].map((r) => toApproval(r, false));
  }

  /** Queue an approval; returns its id. */
  add(input: { agent: string; kind: string; commit_ref?: string; description?: string; requested_by?: string; diff?: string; fetched_sha?: string }): number {
    return this.work.commit(() => {
      const id = Number(
        this.work.db
          .prepare(
            `INSERT INTO approvals (agent, kind, commit_ref, fetched_sha, requested_at, requested_by, status, description, diff)
             VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
          )
          .run(input.agent, input.kind, input.commit_ref ?? '', input.fetched_sha ?? null, nowRfc3339(), input.requested_by ?? null, input.description ?? null, input.diff ?? null)
          .lastInsertRowid,
      );
      this.work.announce('approval_added', approvalAddedFields(this.get(id)!, input.diff ?? null));
      return id;
    });
  }

  /** A pending spawn for `name`, if any. */
  pendingSpawn(name: string): Approval | undefined {
    const row = this.work.db.prepare("SELECT * FROM approvals WHERE kind = 'spawn' AND agent = ? AND status = 'pending'").get(name) as ApprovalRow | undefined;
    return row && toApproval(row, false);
  }

  async approve(id: number, actor: string | undefined): Promise<true | Refusal> {
    const claimed = this.claim(id);
    if (!('id' in claimed)) return claimed;
    this.applying.add(id);
    let error: string | null;
    try {
      const apply = this.appliers.get(claimed.kind);
      error = apply ? await apply(claimed) : `approving a ${claimed.kind} request is not supported by this core`;
    } catch (err) {
      error = (err as Error).message;
    } finally {
      this.applying.delete(id);
    }
    const status: ApprovalStatus = error ? 'failed' : 'approved';
    this.finish(id, status, error ?? undefined, actor);
    return error ? refuse('unavailable', `approval #${id} failed: ${error}`) : true;
  }

  deny(id: number, note: string | undefined, actor: string | undefined): true | Refusal {
    const claimed = this.claim(id);
    if (!('id' in claimed)) return claimed;
    return this.finish(id, 'denied', note, actor);
  }

  /** Withdraw a pending approval (its agent is gone, say). */
  cancel(id: number, note: string): true | Refusal {
    const claimed = this.claim(id);
    if (!('id' in claimed)) return claimed;
    return this.finish(id, 'cancelled', note, 'core');
  }

  private claim(id: number): Approval | Refusal {
    const approval = this.get(id);
    if (!approval) return refuse('not_found', `no approval #${id}`);
    if (this.applying.has(id)) return refuse('conflict', `approval #${id} is already being approved`);
    if (approval.status !== 'pending') return refuse('conflict', `approval #${id} was already ${approval.status}`);
    return approval;
  }

  private finish(id: number, status: ApprovalStatus, note: string | undefined, actor: string | undefined): true | Refusal {
    const approval = this.work.commit(() => {
      const changes = this.work.db
        .prepare("UPDATE approvals SET status = ?, resolved_at = ?, resolved_by = ?, note = ? WHERE id = ? AND status = 'pending'")
        .run(status, nowRfc3339(), actor ?? 'operator', note ?? null, id).changes;
      if (changes === 0) return null;
      const approval = this.get(id)!;
      this.work.announce('approval_resolved', approvalResolvedFields(approval));
      this.work.audit(actor, status === 'denied' ? 'deny' : 'approve', String(id), { status, note });
      return approval;
    });
    if (!approval) return refuse('conflict', `approval #${id} was already resolved`);
    const requester = approval.requested_by;
    if (requester) {
      this.mail.notify(requester, { event: 'approval_resolved', id, agent: approval.agent, kind: approval.kind, status, ...(note ? { note } : {}) });
    }
    return true;
  }
}

function toApproval(row: ApprovalRow, withDiff: boolean): Approval {
  const a: Approval = {
    id: row.id,
    agent: row.agent,
    kind: row.kind,
    commit_ref: row.commit_ref,
    requested_at: row.requested_at,
    status: row.status,
  };
  if (row.fetched_sha) a.fetched_sha = row.fetched_sha;
  if (row.resolved_at) a.resolved_at = row.resolved_at;
  if (row.note) a.note = row.note;
  if (row.description) a.description = row.description;
  if (row.resolved_by) a.resolved_by = row.resolved_by;
  if (row.requested_by) a.requested_by = row.requested_by;
  if (withDiff && row.diff !== null) a.diff = row.diff;
  return a;
}

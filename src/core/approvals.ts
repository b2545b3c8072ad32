/**
 * The approval queue. A resolution happens exactly once: the pending check and
 * the status change commit in one transaction. Approving records the decision
 * before acting on it (status `approved`, marked applying), then runs the
 * kind's applier, then records the outcome (`approved`, or `failed` with the
 * error); a decision a crash left marked applying is finished or rolled back
 * by the applier's `recover` when the next core starts.
 */
import { diffFiles, type Approval, type ApprovalStatus, type ToolApprovalEventFields } from '../protocol/index.js';
import type { AgentMail, ServicePorts, UnitOfWork } from './ports.js';
import { nowRfc3339, refuse, type Refusal } from './refusal.js';
import { approvalAddedFields, approvalResolvedFields } from './approval-events.js';
import { PAGE_BYTES, chainRows, mapRows, takePage, type Page } from './paging.js';
import { crashPoint } from './crash-points.js';

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
  applying: number;
  base_sha: string | null;
  payload_json: string | null;
  tool_name: string | null;
  tool_use_id: string | null;
  tool_summary: string | null;
  tool_input_json: string | null;
  rule_proposal: string | null;
};

/** The tool call a `tool_permission` approval is about. */
export interface ToolCallFields {
  tool_name: string;
  tool_use_id?: string;
  summary: string;
  tool_input: Record<string, unknown>;
  rule_proposal?: string;
}

/** Resolved tool approvals kept (with their inputs) before the oldest are dropped. */
export const KEEP_RESOLVED_TOOL_APPROVALS = 2000;

/** What queuing an approval takes. */
export interface NewApproval {
  agent: string;
  kind: string;
  commit_ref?: string;
  description?: string;
  requested_by?: string;
  diff?: string;
  fetched_sha?: string;
  base_sha?: string;
  /** What the applier needs beyond the record (a spawn's files, a revival mark); stored, not sent. */
  payload?: Record<string, unknown>;
  /** The call a `tool_permission` approval is about. */
  tool?: ToolCallFields;
}

/** What approving one kind of request does, and how a crash in the middle of it is mended. */
export interface ApprovalApplier {
  /**
   * Carry the approved request out. Resolves with null when done, or with an
   * error sentence after undoing what it did (the approval ends `failed`).
   */
  apply(approval: Approval): Promise<string | null>;
  /**
   * The core stopped while `apply` ran. Finish the job (resolve null: the
   * approval ends `approved`) or remove what was half-done and resolve with
   * a sentence saying so (it ends `failed`). Runs at start, before any agent.
   */
  recover(approval: Approval): Promise<string | null>;
  /**
   * The request was resolved without being applied (`denied`, `cancelled`,
   * or `failed` without an apply), after that commit. Kinds whose requester
   * waits for the answer (tool_permission) pass it on here.
   */
  settled?(approval: Approval): void;
  /** The request was denied or cancelled: let go of what was set aside for it (runs in the transaction that records it). */
  dropped?(approval: Approval): void;
}

export class Approvals {
  private readonly appliers = new Map<string, ApprovalApplier>();
  private readonly work: UnitOfWork;
  private readonly mail: AgentMail;
  private readonly selectOne;

  constructor(ports: Pick<ServicePorts, 'work' | 'mail'>) {
    this.work = ports.work;
    this.mail = ports.mail;
    this.selectOne = this.work.db.prepare('SELECT * FROM approvals WHERE id = ?');
  }

  /** Register what approving `kind` does (`spawn` here; `apply_commit` and `tool_permission` plug in the same way). */
  onApprove(kind: string, applier: ApprovalApplier): void {
    this.appliers.set(kind, applier);
  }

  get(id: number, withDiff = false): Approval | undefined {
    const row = this.selectOne.get(id) as ApprovalRow | undefined;
    return row && toApproval(row, withDiff);
  }

  /** Pending first (oldest first), then the 50 most recently resolved, within `bytes`. */
  list(bytes: number = PAGE_BYTES): Page<Approval> {
    const pending = this.work.db.prepare("SELECT * FROM approvals WHERE status = 'pending' ORDER BY id").iterate() as Iterable<ApprovalRow>;
    const resolved = this.work.db
      .prepare("SELECT * FROM approvals WHERE status != 'pending' ORDER BY resolved_at DESC, id DESC LIMIT 50")
      .iterate() as Iterable<ApprovalRow>;
    return takePage(mapRows(chainRows(pending, resolved), (r) => toApproval(r, false)), Infinity, bytes);
  }

  /** A page of every approval (or only pending ones), newest first: ids below `before`. */
  page(before: number | undefined, limit: number, pendingOnly: boolean): Page<Approval> {
    const rows = this.work.db
      .prepare(`SELECT * FROM approvals WHERE id < ?${pendingOnly ? " AND status = 'pending'" : ''} ORDER BY id DESC`)
      .iterate(before ?? Number.MAX_SAFE_INTEGER) as Iterable<ApprovalRow>;
    return takePage(mapRows(rows, (r) => toApproval(r, false)), limit);
  }

  /** How many approvals wait for a decision. */
  pendingCount(): number {
    return (this.work.db.prepare("SELECT COUNT(*) AS n FROM approvals WHERE status = 'pending'").get() as { n: number }).n;
  }

  /**
   * Queue an approval; returns its id. `onQueued` runs inside the same
   * transaction with the new id: when it throws, nothing is queued.
   */
  add(input: NewApproval, onQueued?: (id: number) => void): number {
    return this.work.commit(() => {
      const tool = input.tool;
      const id = Number(
        this.work.db
          .prepare(
            `INSERT INTO approvals (agent, kind, commit_ref, fetched_sha, requested_at, requested_by, status, description, diff, base_sha, payload_json,
                                    tool_name, tool_use_id, tool_summary, tool_input_json, rule_proposal)
             VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            input.agent, input.kind, input.commit_ref ?? '', input.fetched_sha ?? null, nowRfc3339(), input.requested_by ?? null, input.description ?? null, input.diff ?? null,
            input.base_sha ?? null, storedPayload(input),
            tool?.tool_name ?? null, tool?.tool_use_id ?? null, tool?.summary ?? null, tool ? JSON.stringify(tool.tool_input) : null, tool?.rule_proposal ?? null,
          ).lastInsertRowid,
      );
      onQueued?.(id);
      const added = approvalAddedFields(this.get(id)!, input.diff ?? null);
      this.work.announce('approval_added', tool ? { ...added, ...toolEventFields(tool) } : added);
      if (tool) this.dropOldToolApprovals();
      return id;
    });
  }

  /** What `add` stored for the applier beside the record. */
  payload(id: number): Record<string, unknown> {
    const row = this.work.db.prepare('SELECT payload_json FROM approvals WHERE id = ?').get(id) as { payload_json: string | null } | undefined;
    return row?.payload_json ? (JSON.parse(row.payload_json) as Record<string, unknown>) : {};
  }

  /** Pending approvals of `kind` for `agent`, oldest first. */
  pendingFor(agent: string, kind: string): Approval[] {
    const rows = this.work.db.prepare("SELECT * FROM approvals WHERE agent = ? AND kind = ? AND status = 'pending' ORDER BY id").all(agent, kind) as ApprovalRow[];
    return rows.map((r) => toApproval(r, false));
  }

  /** The pending tool approval of claude's call `toolUseId`, if any. */
  pendingToolApproval(toolUseId: string): Approval | undefined {
    const row = this.work.db.prepare("SELECT * FROM approvals WHERE kind = 'tool_permission' AND status = 'pending' AND tool_use_id = ? ORDER BY id LIMIT 1").get(toolUseId) as ApprovalRow | undefined;
    return row && toApproval(row, false);
  }

  /** Pending approvals of `kind`, oldest first (for `kind`'s own bookkeeping at start). */
  pendingOfKind(kind: string): Approval[] {
    return (this.work.db.prepare("SELECT * FROM approvals WHERE kind = ? AND status = 'pending' ORDER BY id").all(kind) as ApprovalRow[]).map((r) => toApproval(r, false));
  }

  /** Tool approvals pile up one per call: keep the newest resolved ones, and every pending one. */
  private dropOldToolApprovals(): void {
    this.work.db
      .prepare(
        `DELETE FROM approvals WHERE kind = 'tool_permission' AND status != 'pending' AND applying = 0 AND id <= (
           SELECT id FROM approvals WHERE kind = 'tool_permission' AND status != 'pending' ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      )
      .run(KEEP_RESOLVED_TOOL_APPROVALS);
  }

  /** A pending spawn for `name`, if any. */
  pendingSpawn(name: string): Approval | undefined {
    const row = this.work.db.prepare("SELECT * FROM approvals WHERE kind = 'spawn' AND agent = ? AND status = 'pending'").get(name) as ApprovalRow | undefined;
    return row && toApproval(row, false);
  }

  /** Decide, apply, record the outcome: see the class comment. */
  async approve(id: number, actor: string | undefined): Promise<true | Refusal> {
    const decided = this.decide(id, actor);
    if (!('id' in decided)) return decided;
    crashPoint('approval-decided');
    const applier = this.appliers.get(decided.kind);
    let error: string | null;
    try {
      error = applier ? await applier.apply(decided) : `approving a ${decided.kind} request is not supported by this core`;
    } catch (err) {
      error = (err as Error).message;
    }
    crashPoint('approval-applied');
    this.settle(id, error);
    return error ? refuse('unavailable', `approval #${id} failed: ${error}`) : true;
  }

  deny(id: number, note: string | undefined, actor: string | undefined): true | Refusal {
    return this.resolveUnapplied(id, 'denied', note, actor);
  }

  /** Withdraw a pending approval (its agent is gone, say). */
  cancel(id: number, note: string): true | Refusal {
    return this.resolveUnapplied(id, 'cancelled', note, 'core');
  }

  /** End a pending approval as `failed` without applying it (a tool approval nobody decided in time). */
  fail(id: number, note: string): true | Refusal {
    return this.resolveUnapplied(id, 'failed', note, 'core');
  }

  /**
   * Finish or roll back every decision a crash left applying (at start,
   * before agents start). Returns how each ended, oldest first.
   */
  async recoverInterrupted(): Promise<{ id: number; status: ApprovalStatus; note?: string }[]> {
    const rows = this.work.db.prepare('SELECT * FROM approvals WHERE applying = 1 ORDER BY id').all() as ApprovalRow[];
    const outcomes: { id: number; status: ApprovalStatus; note?: string }[] = [];
    for (const row of rows) {
      const approval = toApproval(row, false);
      const applier = this.appliers.get(approval.kind);
      let error: string | null;
      try {
        error = applier ? await applier.recover(approval) : `the core stopped while applying it, and this core cannot finish approvals of kind ${approval.kind}`;
      } catch (err) {
        error = `the core stopped while applying it, and finishing it failed: ${(err as Error).message}`;
      }
      this.settle(approval.id, error);
      outcomes.push(error ? { id: approval.id, status: 'failed', note: error } : { id: approval.id, status: 'approved' });
    }
    return outcomes;
  }

  /** Why `approval` cannot be resolved now, or null when it is pending. */
  private unresolvable(id: number, approval: Approval | undefined, row: ApprovalRow | undefined): Refusal | null {
    if (!approval || !row) return refuse('not_found', `no approval #${id}`);
    if (row.applying) return refuse('conflict', `approval #${id} is already being approved`);
    if (approval.status !== 'pending') return refuse('conflict', `approval #${id} was already ${approval.status}`);
    return null;
  }

  /** Step one of approving: `approved` + applying, in one transaction with the pending check. */
  private decide(id: number, actor: string | undefined): Approval | Refusal {
    return this.work.commit(() => {
      const row = this.selectOne.get(id) as ApprovalRow | undefined;
      const refused = this.unresolvable(id, row && toApproval(row, false), row);
      if (refused) return refused;
      this.work.db
        .prepare("UPDATE approvals SET status = 'approved', applying = 1, resolved_at = ?, resolved_by = ? WHERE id = ?")
        .run(nowRfc3339(), actor ?? 'operator', id);
      this.work.audit(actor, 'approve', String(id), { status: 'approved' });
      return this.get(id)!;
    });
  }

  /** The last step of approving: the outcome, announced, and the requester told. */
  private settle(id: number, error: string | null): void {
    const status: ApprovalStatus = error ? 'failed' : 'approved';
    const approval = this.work.commit(() => {
      const changes = this.work.db.prepare('UPDATE approvals SET status = ?, note = ?, applying = 0 WHERE id = ? AND applying = 1').run(status, error, id).changes;
      if (changes === 0) return null;
      const approval = this.get(id)!;
      this.work.announce('approval_resolved', approvalResolvedFields(approval));
      return approval;
    });
    if (approval) this.tellRequester(approval, status, error ?? undefined);
  }

  /** Deny or cancel: nothing to apply, so the decision is the outcome. */
  private resolveUnapplied(id: number, status: 'denied' | 'cancelled' | 'failed', note: string | undefined, actor: string | undefined): true | Refusal {
    const approval = this.work.commit(() => {
      const row = this.selectOne.get(id) as ApprovalRow | undefined;
      const refused = this.unresolvable(id, row && toApproval(row, false), row);
      if (refused) return refused;
      this.work.db
        .prepare('UPDATE approvals SET status = ?, resolved_at = ?, resolved_by = ?, note = ? WHERE id = ?')
        .run(status, nowRfc3339(), actor ?? 'operator', note ?? null, id);
      const approval = this.get(id)!;
      this.appliers.get(approval.kind)?.dropped?.(approval);
      this.work.announce('approval_resolved', approvalResolvedFields(approval));
      this.work.audit(actor, status === 'denied' ? 'deny' : status === 'failed' ? 'fail' : 'cancel', String(id), { status, note });
      return approval;
    });
    if (!('id' in approval)) return approval;
    this.tellRequester(approval, status, note);
    this.appliers.get(approval.kind)?.settled?.(approval);
    return true;
  }

  private tellRequester(approval: Approval, status: ApprovalStatus, note: string | undefined): void {
    const requester = approval.requested_by;
    if (!requester) return;
    this.mail.notify(requester, { event: 'approval_resolved', id: approval.id, agent: approval.agent, kind: approval.kind, status, ...(note ? { note } : {}) });
  }
}

/** The payload column: what the applier needs, and how many files the diff touches (lists show it without the diff). */
function storedPayload(input: NewApproval): string | null {
  const payload = { ...input.payload, ...(input.diff ? { diff_files: diffFiles(input.diff).length } : {}) };
  return Object.keys(payload).length > 0 ? JSON.stringify(payload) : null;
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
  if (row.applying) a.applying = true;
  if (row.base_sha) a.base_sha = row.base_sha;
  if (row.payload_json) {
    const payload = JSON.parse(row.payload_json) as { revival?: unknown; diff_files?: unknown };
    if (payload.revival === true) a.revival = true;
    if (typeof payload.diff_files === 'number') a.diff_files = payload.diff_files;
  }
  if (withDiff && row.diff !== null) a.diff = row.diff;
  if (row.tool_name !== null) a.tool_name = row.tool_name;
  if (row.tool_use_id !== null) a.tool_use_id = row.tool_use_id;
  if (row.tool_summary !== null) a.summary = row.tool_summary;
  if (row.rule_proposal !== null) a.rule_proposal = row.rule_proposal;
  if (withDiff && row.tool_input_json !== null) a.tool_input = JSON.parse(row.tool_input_json) as Record<string, unknown>;
  return a;
}

/** Largest tool input an `approval_added` event carries (its JSON); a larger one is one `approval` request away. */
export const MAX_EVENT_TOOL_INPUT_BYTES = 256 * 1024;

/** What `approval_added` adds for a tool approval: the call, its input when small enough. */
function toolEventFields(tool: ToolCallFields): ToolApprovalEventFields {
  const fits = Buffer.byteLength(JSON.stringify(tool.tool_input)) <= MAX_EVENT_TOOL_INPUT_BYTES;
  return {
    tool_name: tool.tool_name,
    tool_use_id: tool.tool_use_id ?? null,
    summary: tool.summary,
    rule_proposal: tool.rule_proposal ?? null,
    tool_input: fits ? tool.tool_input : null,
    tool_input_truncated: !fits,
  };
}

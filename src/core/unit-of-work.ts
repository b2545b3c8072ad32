/**
 * The store's unit of work: the one sqlite writer's transactions, with the
 * dashboard events they append held back until the outermost commit and
 * dropped (seqs given back) when it rolls back.
 */
import { writeTransaction, type Db } from './store/index.js';
import type { DashboardChannel } from './events/index.js';
import type { DashboardEventFields, DashboardEventKind } from '../protocol/index.js';
import type { UnitOfWork } from './ports.js';
import { nowUnix } from './refusal.js';

export class StoreUnitOfWork implements UnitOfWork {
  private depth = 0;
  private afterCommitQueue: (() => void)[] = [];
  private readonly insertAudit;

  constructor(
    readonly db: Db,
    private readonly dashboard: DashboardChannel,
  ) {
    this.insertAudit = db.prepare('INSERT INTO audit (at, actor, action, target, detail_json) VALUES (?, ?, ?, ?, ?)');
  }

  commit<T>(fn: () => T): T {
    if (this.depth > 0) {
      this.depth++;
      try {
        return writeTransaction(this.db, fn);
      } finally {
        this.depth--;
      }
    }
    const startSeq = this.dashboard.currentSeq;
    this.depth = 1;
    let result: T;
    try {
      result = writeTransaction(this.db, fn);
    } catch (err) {
      this.dashboard.rollback(startSeq);
      this.afterCommitQueue = [];
      throw err;
    } finally {
      this.depth = 0;
    }
    this.dashboard.flush();
    const queued = this.afterCommitQueue;
    this.afterCommitQueue = [];
    for (const run of queued) run();
    return result;
  }

  afterCommit(fn: () => void): void {
    if (this.depth > 0) this.afterCommitQueue.push(fn);
    else fn();
  }

  announce<K extends DashboardEventKind>(kind: K, fields: DashboardEventFields<K>): void {
    this.dashboard.append(kind, fields);
  }

  audit(actor: string | undefined, action: string, target: string | null, detail?: unknown): void {
    this.insertAudit.run(nowUnix(), actor ?? null, action, target, detail === undefined ? null : JSON.stringify(detail));
  }
}

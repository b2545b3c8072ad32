/**
 * The dashboard snapshot, built to fit one line: each list gets a share of
 * the bytes (so an agent flooding the operator inbox cannot crowd out the
 * approvals), open items come before recent resolutions, and `counts` says
 * how many there are in all so a console can tell a cut list and page it.
 */
import { MAX_LINE_BYTES, type AgentStatusRow, type Approval, type HiveInfo, type HiveSpend, type OperatorMessage, type Question, type StateSnapshot, type TodayTotals, type TransientEntry } from '../protocol/index.js';
import { jsonBytes, takePage, type Page } from './paging.js';

/** Bytes of the whole snapshot's lists: the line cap less room for the envelope, `seq` and `counts`. */
export const SNAPSHOT_BYTES = MAX_LINE_BYTES - 16 * 1024;

/** Each list's share of `SNAPSHOT_BYTES`. */
export const SNAPSHOT_SHARES = {
  agents: 256 * 1024,
  approvals: 192 * 1024,
  questions: 192 * 1024,
  operator_inbox: 192 * 1024,
} as const;

/** Where the snapshot's parts come from; each list source takes the bytes it may fill. */
export interface SnapshotSources {
  seq: number;
  agents: readonly AgentStatusRow[];
  transients: Record<string, TransientEntry>;
  /** Pending approvals oldest first, then recent resolutions. */
  approvals(bytes: number): Page<Approval>;
  /** Open questions soonest first, then recent resolutions. */
  questions(bytes: number): Page<Question>;
  /** Unread operator messages, newest first. */
  unreadOperatorMessages(bytes: number): Page<OperatorMessage>;
  approvalsPending(): number;
  questionsOpen(): number;
  operatorUnread(): number;
  /** Who the core is and which models it takes; today's turns and cost. */
  hive?: HiveInfo;
  today?: TodayTotals;
  /** The hive's spend (a few hundred bytes, outside the lists' shares). */
  spend?: HiveSpend;
}

/** Build a snapshot whose lists take at most `total` bytes. */
export function buildSnapshot(sources: SnapshotSources, total: number = SNAPSHOT_BYTES): StateSnapshot {
  let remaining = total - jsonBytes(sources.transients) - jsonBytes(sources.hive ?? null) - jsonBytes(sources.today ?? null) - jsonBytes(sources.spend ?? null);
  // A list takes its share; an item larger than the share still goes in alone when the whole snapshot has room for it.
  const fill = <T>(share: number, source: (bytes: number) => Page<T>): T[] => {
    let page = source(Math.min(share, remaining));
    if (page.items.length === 0 && page.more && remaining > share) page = takePage(source(remaining).items, 1, remaining);
    remaining -= page.bytes;
    return page.items;
  };
  const agents = fill(SNAPSHOT_SHARES.agents, (bytes) => takePage(sources.agents, Infinity, bytes));
  const approvals = fill(SNAPSHOT_SHARES.approvals, (bytes) => sources.approvals(bytes));
  const questions = fill(SNAPSHOT_SHARES.questions, (bytes) => sources.questions(bytes));
  const inbox = fill(SNAPSHOT_SHARES.operator_inbox, (bytes) => sources.unreadOperatorMessages(bytes));
  return {
    seq: sources.seq,
    agents,
    approvals,
    questions,
    transients: sources.transients,
    operator_inbox: inbox.reverse(),
    counts: {
      agents: sources.agents.length,
      approvals_pending: sources.approvalsPending(),
      questions_open: sources.questionsOpen(),
      operator_unread: sources.operatorUnread(),
    },
    ...(sources.hive ? { hive: sources.hive } : {}),
    ...(sources.today ? { today: sources.today } : {}),
    ...(sources.spend && { spend: sources.spend }),
  };
}

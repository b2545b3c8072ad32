/**
 * The message broker: inboxes in sqlite, long-poll `recv`, at-least-once
 * delivery (delivered-but-unacked messages are handed out again to the agent's
 * next harness session), broadcast, the operator inbox, recipient rules.
 */
import type { HelperEvent, InboxMessage, OperatorMessage } from '../protocol/index.js';
import type { AgentDirectory, AgentMail, ServicePorts, StatusChanged, UnitOfWork } from './ports.js';
import { isRefusal, nowUnix, refuse, type Refusal } from './refusal.js';
import { mayReach, reachRefusal } from './recipient-policy.js';
import { PAGE_BYTES, jsonBytes, mapRows, takePage, type Page } from './paging.js';
import { MessageLedger, type HandledMessage, type MessageRetention } from './message-ledger.js';

/** What a `send` did: the (first) message id, how many inboxes it reached, how many a broadcast skipped. */
export interface SendReceipt {
  id: number;
  recipients: number;
  skipped: number;
}

/** Prefixed to a broadcast body so the recipient knows it was not addressed to it alone. */
export const BROADCAST_HINT = '[broadcast to every agent — answer only if it concerns you] ';

/** A row of the messages table as the broker reads it. */
export type MessageRow = {
  id: number;
  sender: string;
  recipient: string;
  body: string;
  sent_at: number;
  in_reply_to: number | null;
  broadcast: number;
  acked_at: number | null;
};

export class Broker implements AgentMail {
  private readonly work: UnitOfWork;
  private readonly agents: AgentDirectory;
  private readonly statusChanged: StatusChanged;
  private readonly waiters = new Map<string, Set<() => void>>();
  /** Harness session number per agent: bumped on each new `control` subscription. */
  private readonly generation = new Map<string, number>();
  private readonly insertMessage;
  private readonly selectDeliverable;
  private readonly markDelivered;
  private readonly markAcked;
  private readonly countUnread;
  /** Bytes of unhandled mail per sender and of handled mail per inbox, and their bounds. */
  readonly ledger: MessageLedger;

  constructor(ports: Pick<ServicePorts, 'work' | 'agents' | 'statusChanged'>, retention?: MessageRetention) {
    this.work = ports.work;
    this.agents = ports.agents;
    this.statusChanged = ports.statusChanged;
    const db = ports.work.db;
    this.ledger = new MessageLedger(db, retention);
    this.insertMessage = db.prepare(
      'INSERT INTO messages (sender, recipient, body, sent_at, in_reply_to, broadcast, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectDeliverable = db.prepare(
      `SELECT * FROM messages WHERE recipient = ? AND acked_at IS NULL
         AND (delivered_gen IS NULL OR delivered_gen < ?) ORDER BY id LIMIT ?`,
    );
    this.markDelivered = db.prepare('UPDATE messages SET delivered_at = ?, delivered_gen = ? WHERE id = ?');
    this.markAcked = db.prepare('UPDATE messages SET acked_at = ? WHERE id = ? AND recipient = ? AND acked_at IS NULL RETURNING sender, recipient, bytes');
    this.countUnread = db.prepare('SELECT COUNT(*) AS n FROM messages WHERE recipient = ? AND acked_at IS NULL');
  }

  /** Number of messages in `agent`'s inbox not yet acked. */
  unread(agent: string): number {
    return (this.countUnread.get(agent) as { n: number }).n;
  }

  /** A new harness session began for `agent`: unacked deliveries become deliverable again. */
  newSession(agent: string): void {
    this.generation.set(agent, (this.generation.get(agent) ?? 0) + 1);
    this.wake(agent);
  }

  /**
   * Send `body` from `from` (an agent, `operator`, `system`, `reminder`) to `to`
   * (an agent, `operator`, or `*`). A broadcast reaches only the agents the
   * sender may reach; the receipt counts those it skipped.
   */
  send(from: string, to: string, body: string, inReplyTo?: number): SendReceipt | Refusal {
    if (to === '*') {
      const others = this.agents.agentNames().filter((n) => n !== from);
      if (others.length === 0) return refuse('not_found', 'there is no other agent to broadcast to');
      const recipients = others.filter((n) => mayReach(this.agents, from, n));
      if (recipients.length === 0) return reachRefusal(this.agents, from, others[0]!)!;
      const ids = this.commitSends(from, recipients, BROADCAST_HINT + body, inReplyTo, true);
      if (isRefusal(ids)) return ids;
      return { id: ids[0]!, recipients: recipients.length, skipped: others.length - recipients.length };
    }
    if (to !== 'operator') {
      if (!this.agents.agent(to)) return refuse('not_found', `no agent named ${JSON.stringify(to)}`);
      const forbidden = reachRefusal(this.agents, from, to);
      if (forbidden) return forbidden;
    }
    const ids = this.commitSends(from, [to], body, inReplyTo, false);
    return isRefusal(ids) ? ids : { id: ids[0]!, recipients: 1, skipped: 0 };
  }

  /** Deliver one copy of `body` to each recipient in one transaction, within the sender's allowance of unhandled mail. */
  private commitSends(from: string, recipients: readonly string[], body: string, inReplyTo: number | undefined, broadcast: boolean): number[] | Refusal {
    const bodyBytes = Buffer.byteLength(body);
    const cost = MessageLedger.cost(bodyBytes) * recipients.length;
    // Only agents are held to the allowance: the operator and the core's own senders are not flooding anyone.
    const counted = this.agents.agent(from) !== undefined;
    if (counted && !this.ledger.mayAdd(from, cost)) {
      const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
      return refuse(
        'conflict',
        `${from} has ${mib(this.ledger.unread(from))} of messages not yet handled by their recipients (at most ${mib(this.ledger.retention.unreadBytesPerSender)}); send again once they have read some`,
      );
    }
    return this.work.commit(() => {
      const ids = recipients.map((r) => this.deliver(from, r, body, bodyBytes, inReplyTo, broadcast));
      if (counted) this.work.afterCommit(() => this.ledger.added(from, cost));
      return ids;
    });
  }

  /** Put a helper event (a `system` message whose body is JSON) into `agent`'s inbox. */
  notify(agent: string, event: HelperEvent): void {
    this.post('system', agent, JSON.stringify(event));
  }

  /** Put a message from `from` (not an agent: no recipient rules) into `agent`'s inbox. */
  post(from: string, agent: string, body: string): void {
    if (!this.agents.agent(agent)) return;
    this.work.commit(() => this.deliver(from, agent, body, Buffer.byteLength(body), undefined, false));
  }

  /** Insert one message inside the caller's transaction and announce it. */
  private deliver(from: string, to: string, body: string, bodyBytes: number, inReplyTo: number | undefined, broadcast: boolean): number {
    const sentAt = nowUnix();
    const id = Number(this.insertMessage.run(from, to, body, sentAt, inReplyTo ?? null, broadcast ? 1 : 0, bodyBytes).lastInsertRowid);
    this.work.announce('sent', { from, to, body, id, in_reply_to: inReplyTo ?? null });
    if (to === 'operator') {
      const message: OperatorMessage = { id, from, body, sent_at: sentAt, read: false };
      if (inReplyTo !== undefined) message.in_reply_to = inReplyTo;
      this.work.announce('operator_message', { message });
    } else {
      this.statusChanged(to);
      this.work.afterCommit(() => this.wake(to));
    }
    return id;
  }

  /** Hand out up to `max` deliverable messages now (marking them delivered), as many as fit one answer. */
  take(agent: string, max: number): InboxMessage[] {
    const gen = this.generation.get(agent) ?? 0;
    const rows = takePage(this.selectDeliverable.iterate(agent, gen, max) as Iterable<MessageRow>, max, PAGE_BYTES, (row) => jsonBytes(toInboxMessage(row))).items;
    if (rows.length === 0) return [];
    const now = nowUnix();
    this.work.commit(() => {
      for (const row of rows) {
        this.markDelivered.run(now, gen, row.id);
        this.work.announce('delivered', { from: row.sender, to: agent, body: row.body, id: row.id });
      }
    });
    return rows.map(toInboxMessage);
  }

  /** Long-poll: messages now, or the first to arrive within `waitMs`, or none. */
  async recv(agent: string, waitMs: number, max: number, isGone: () => boolean): Promise<InboxMessage[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const messages = this.take(agent, max);
      if (messages.length > 0 || Date.now() >= deadline || isGone()) return messages;
      await this.waitForMail(agent, deadline - Date.now());
      if (isGone()) return [];
    }
  }

  /** A `recv` whose client went away before it got its messages: hand them out again. */
  undeliver(ids: readonly number[]): void {
    const stmt = this.work.db.prepare('UPDATE messages SET delivered_at = NULL, delivered_gen = NULL WHERE id = ? AND acked_at IS NULL');
    this.work.commit(() => {
      for (const id of ids) stmt.run(id);
    });
  }

  /** Mark messages handled. Ids that are not this agent's unacked messages are ignored. */
  ack(agent: string, ids: readonly number[]): number {
    if (ids.length === 0) return 0;
    const now = nowUnix();
    return this.work.commit(() => {
      const handled = this.markHandled(ids, agent, now);
      if (handled.length > 0) this.statusChanged(agent);
      return handled.length;
    });
  }

  /** Mark `recipient`'s unhandled messages among `ids` handled (inside the caller's transaction); the ledger hears once it commits. */
  private markHandled(ids: readonly number[], recipient: string, now: number): (HandledMessage & { id: number })[] {
    const handled: (HandledMessage & { id: number })[] = [];
    for (const id of ids) {
      const row = this.markAcked.get(now, id, recipient) as HandledMessage | undefined;
      if (row) handled.push({ ...row, id });
    }
    if (handled.length > 0) this.work.afterCommit(() => this.ledger.handled(handled));
    return handled;
  }

  /** The operator inbox (or its unread part), newest first: ids below `before`, at most `limit`, within `bytes`. */
  operatorInbox(before: number | undefined, limit: number, unreadOnly: boolean, bytes: number = PAGE_BYTES): Page<OperatorMessage> {
    const rows = this.work.db
      .prepare(`SELECT * FROM messages WHERE recipient = 'operator' AND id < ?${unreadOnly ? ' AND acked_at IS NULL' : ''} ORDER BY id DESC`)
      .iterate(before ?? Number.MAX_SAFE_INTEGER) as Iterable<MessageRow>;
    return takePage(mapRows(rows, toOperatorMessage), limit, bytes);
  }

  /** How many operator messages are unread. */
  unreadOperatorCount(): number {
    return (this.countUnread.get('operator') as { n: number }).n;
  }

  /** Mark operator messages read. */
  markOperatorRead(ids: readonly number[], actor: string | undefined): number | Refusal {
    const now = nowUnix();
    return this.work.commit(() => {
      const marked = this.markHandled(ids, 'operator', now).map((m) => m.id);
      if (marked.length) {
        this.work.announce('operator_read', { ids: marked });
        this.work.audit(actor, 'mark_read', 'operator', { ids: marked });
      }
      return marked.length;
    });
  }

  private waitForMail(agent: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(agent);
      if (!set) this.waiters.set(agent, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      set.add(done);
    });
  }

  /** Wake every `recv` waiting on `agent`'s inbox. */
  wake(agent: string): void {
    const set = this.waiters.get(agent);
    if (!set) return;
    for (const done of [...set]) done();
  }

  /** Wake everything (shutdown). */
  wakeAll(): void {
    for (const name of this.waiters.keys()) this.wake(name);
  }
}

function toInboxMessage(row: MessageRow): InboxMessage {
  const m: InboxMessage = { id: row.id, from: row.sender, body: row.body, sent_at: row.sent_at };
  if (row.in_reply_to !== null) m.in_reply_to = row.in_reply_to;
  return m;
}

function toOperatorMessage(row: MessageRow): OperatorMessage {
  const m: OperatorMessage = { id: row.id, from: row.sender, body: row.body, sent_at: row.sent_at, read: row.acked_at !== null };
  if (row.in_reply_to !== null) m.in_reply_to = row.in_reply_to;
  return m;
}


/**
 * The message broker: inboxes in sqlite, long-poll `recv`, at-least-once
 * delivery (delivered-but-unacked messages are handed out again to the agent's
 * next harness session), broadcast, the operator inbox, recipient rules.
 */
import type { HelperEvent, InboxMessage, OperatorMessage } from '../protocol/index.js';
import type { AgentDirectory, AgentMail, ServicePorts, StatusChanged, UnitOfWork } from './ports.js';
import { nowUnix, refuse, type Refusal } from './refusal.js';

/** Prefixed to a broadcast body so the recipient knows it was not addressed to it alone. */
export const BROADCAST_HINT = '[broadcast to every agent — answer only if it concerns you] ';

type MessageRow = {
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

  constructor(ports: Pick<ServicePorts, 'work' | 'agents' | 'statusChanged'>) {
    this.work = ports.work;
    this.agents = ports.agents;
    this.statusChanged = ports.statusChanged;
    const db = ports.work.db;
    this.insertMessage = db.prepare(
      'INSERT INTO messages (sender, recipient, body, sent_at, in_reply_to, broadcast) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.selectDeliverable = db.prepare(
      `SELECT * FROM messages WHERE recipient = ? AND acked_at IS NULL
         AND (delivered_gen IS NULL OR delivered_gen < ?) ORDER BY id LIMIT ?`,
    );
    this.markDelivered = db.prepare('UPDATE messages SET delivered_at = ?, delivered_gen = ? WHERE id = ?');
    this.markAcked = db.prepare('UPDATE messages SET acked_at = ? WHERE id = ? AND recipient = ? AND acked_at IS NULL');
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
   * (an agent, `operator`, or `*`). Returns the new message id (the first, for a broadcast).
   */
  send(from: string, to: string, body: string, inReplyTo?: number): number | Refusal {
    const fromAgent = this.agents.agent(from);
    if (to === '*') {
      const recipients = this.agents.agentNames().filter((n) => n !== from);
      if (recipients.length === 0) return refuse('not_found', 'there is no other agent to broadcast to');
      const ids = this.work.commit(() => recipients.map((r) => this.deliver(from, r, BROADCAST_HINT + body, inReplyTo, true)));
      return ids[0]!;
    }
    if (to === 'operator') {
      return this.work.commit(() => this.deliver(from, 'operator', body, inReplyTo, false));
    }
    if (!this.agents.agent(to)) return refuse('not_found', `no agent named ${JSON.stringify(to)}`);
    if (fromAgent) {
      const allowed = fromAgent.config.allowed_recipients;
      if (allowed && !allowed.includes(to) && to !== this.agents.manager) {
        return refuse('forbidden', `${from} may not message ${to} (allowed: ${allowed.join(', ') || 'nobody'} and the manager)`);
      }
    }
    return this.work.commit(() => this.deliver(from, to, body, inReplyTo, false));
  }

  /** Put a helper event (a `system` message whose body is JSON) into `agent`'s inbox. */
  notify(agent: string, event: HelperEvent): void {
    this.post('system', agent, JSON.stringify(event));
  }

  /** Put a message from `from` (not an agent: no recipient rules) into `agent`'s inbox. */
  post(from: string, agent: string, body: string): void {
    if (!this.agents.agent(agent)) return;
    this.work.commit(() => this.deliver(from, agent, body, undefined, false));
  }

  /** Insert one message inside the caller's transaction and announce it. */
  private deliver(from: string, to: string, body: string, inReplyTo: number | undefined, broadcast: boolean): number {
    const sentAt = nowUnix();
    const id = Number(this.insertMessage.run(from, to, body, sentAt, inReplyTo ?? null, broadcast ? 1 : 0).lastInsertRowid);
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

  /** Hand out up to `max` deliverable messages now (marking them delivered). */
  take(agent: string, max: number): InboxMessage[] {
    const gen = this.generation.get(agent) ?? 0;
    const rows = this.selectDeliverable.all(agent, gen, max) as MessageRow[];
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
    let changed = 0;
    this.work.commit(() => {
      for (const id of ids) changed += this.markAcked.run(now, id, agent).changes;
      if (changed > 0) this.statusChanged(agent);
    });
    return changed;
  }

  /** The operator inbox, newest first. */
  operatorInbox(limit: number): OperatorMessage[] {
    const rows = this.work.db
      .prepare("SELECT * FROM messages WHERE recipient = 'operator' ORDER BY id DESC LIMIT ?")
      .all(limit) as MessageRow[];
    return rows.map(toOperatorMessage);
  }

  /** Unread operator messages (for the snapshot), oldest first, at most `limit`. */
  unreadOperatorMessages(limit: number): OperatorMessage[] {
    const rows = this.work.db
      .prepare("SELECT * FROM messages WHERE recipient = 'operator' AND acked_at IS NULL ORDER BY id DESC LIMIT ?")
      .all(limit) as MessageRow[];
    return rows.reverse().map(toOperatorMessage);
  }

  /** Mark operator messages read. */
  markOperatorRead(ids: readonly number[], actor: string | undefined): number | Refusal {
    const now = nowUnix();
    let changed = 0;
    const marked: number[] = [];
    this.work.commit(() => {
      for (const id of ids) {
        const n = this.markAcked.run(now, id, 'operator').changes;
        if (n) marked.push(id);
        changed += n;
      }
      if (marked.length) {
        this.work.announce('operator_read', { ids: marked });
        this.work.audit(actor, 'mark_read', 'operator', { ids: marked });
      }
    });
    return changed;
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


/**
 * What the messages table holds, in bytes: each sender's messages not yet
 * handled (capped, so no agent can fill the store with mail nobody reads),
 * and each inbox's handled messages (retained by bytes and age, the newest
 * kept). A message counts its body plus a fixed cost for its row, so a flood
 * of empty messages is bounded too.
 */
import { writeTransaction, type Db } from './store/index.js';

/** What one message costs against the caps besides its body: its row. */
export const MESSAGE_ROW_BYTES = 256;

/** The bounds on messages. */
export interface MessageRetention {
  /** Handled messages kept per inbox (the operator's included). */
  maxBytesPerInbox: number;
  /** Handled messages older than this go. */
  maxAgeSeconds: number;
  /** Most bytes of one agent's messages that may wait, unhandled, in other inboxes. */
  unreadBytesPerSender: number;
}

export const DEFAULT_MESSAGE_RETENTION: MessageRetention = {
  maxBytesPerInbox: 16 * 1024 * 1024,
  maxAgeSeconds: 30 * 86_400,
  unreadBytesPerSender: 32 * 1024 * 1024,
};

/** A handled message going out of the unread count. */
export interface HandledMessage {
  sender: string;
  recipient: string;
  bytes: number;
}

/** A prune takes an inbox down to this share of its cap, so it does not run on every ack. */
const LOW_WATER = 0.9;

export class MessageLedger {
  private readonly unreadBySender = new Map<string, number>();
  private readonly handledByInbox = new Map<string, number>();

  constructor(
    private readonly db: Db,
    readonly retention: MessageRetention = DEFAULT_MESSAGE_RETENTION,
  ) {
    const cost = `COALESCE(SUM(bytes), 0) + ${MESSAGE_ROW_BYTES} * COUNT(*)`;
    for (const row of db.prepare(`SELECT sender, ${cost} AS b FROM messages WHERE acked_at IS NULL GROUP BY sender`).all() as { sender: string; b: number }[]) {
      this.unreadBySender.set(row.sender, row.b);
    }
    for (const row of db.prepare(`SELECT recipient, ${cost} AS b FROM messages WHERE acked_at IS NOT NULL GROUP BY recipient`).all() as { recipient: string; b: number }[]) {
      this.handledByInbox.set(row.recipient, row.b);
    }
  }

  /** What a message of `bodyBytes` costs against the caps. */
  static cost(bodyBytes: number): number {
    return bodyBytes + MESSAGE_ROW_BYTES;
  }

  /** Bytes of `sender`'s messages not yet handled. */
  unread(sender: string): number {
    return this.unreadBySender.get(sender) ?? 0;
  }

  /** True when `sender` may add `cost` more unhandled bytes. */
  mayAdd(sender: string, cost: number): boolean {
    return this.unread(sender) + cost <= this.retention.unreadBytesPerSender;
  }

  /** Messages costing `cost` in all were committed from `sender`. */
  added(sender: string, cost: number): void {
    this.unreadBySender.set(sender, this.unread(sender) + cost);
  }

  /** Messages were marked handled (committed): move them from their senders' unread to their inboxes' kept bytes, pruning an inbox over its cap. */
  handled(messages: readonly HandledMessage[]): void {
    const inboxes = new Set<string>();
    for (const m of messages) {
      const cost = MessageLedger.cost(m.bytes);
      this.unreadBySender.set(m.sender, Math.max(0, this.unread(m.sender) - cost));
      this.handledByInbox.set(m.recipient, (this.handledByInbox.get(m.recipient) ?? 0) + cost);
      inboxes.add(m.recipient);
    }
    for (const inbox of inboxes) if ((this.handledByInbox.get(inbox) ?? 0) > this.retention.maxBytesPerInbox) this.prune(inbox);
  }

  /** Drop `inbox`'s handled messages older than the age limit and, over the bytes cap, the oldest down to 90% of it. */
  prune(inbox: string, nowSeconds: number = Math.floor(Date.now() / 1000)): void {
    const aged = this.db
      .prepare('SELECT MAX(id) AS id FROM messages WHERE recipient = ? AND acked_at IS NOT NULL AND acked_at < ?')
      .get(inbox, nowSeconds - this.retention.maxAgeSeconds) as { id: number | null };
    let cut = aged.id ?? 0;
    if ((this.handledByInbox.get(inbox) ?? 0) > this.retention.maxBytesPerInbox) {
      const byBytes = this.db
        .prepare(
          `SELECT MAX(id) AS id FROM (SELECT id, SUM(bytes + ${MESSAGE_ROW_BYTES}) OVER (ORDER BY id DESC) AS newer
             FROM messages WHERE recipient = ? AND acked_at IS NOT NULL) WHERE newer > ?`,
        )
        .get(inbox, Math.floor(this.retention.maxBytesPerInbox * LOW_WATER)) as { id: number | null };
      cut = Math.max(cut, byBytes.id ?? 0);
    }
    if (cut === 0) return;
    const left = writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM messages WHERE recipient = ? AND acked_at IS NOT NULL AND id <= ?').run(inbox, cut);
      return (
        this.db
          .prepare(`SELECT COALESCE(SUM(bytes), 0) + ${MESSAGE_ROW_BYTES} * COUNT(*) AS b FROM messages WHERE recipient = ? AND acked_at IS NOT NULL`)
          .get(inbox) as { b: number }
      ).b;
    });
    this.handledByInbox.set(inbox, left);
  }

  /** Apply the age limit to every inbox. */
  sweep(nowSeconds?: number): void {
    for (const inbox of [...this.handledByInbox.keys()]) this.prune(inbox, nowSeconds);
  }
}

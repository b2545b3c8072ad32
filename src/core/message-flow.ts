/**
 * The traffic between agents: every message (agents, the operator, the
 * core's own senders), newest first, with where it is (unread, delivered,
 * acked), and who waits on whom (an open question is an agent waiting for
 * an answer). Read from the broker's and the questions' tables; bounded.
 */
import type { Db } from './store/index.js';
import type { MessageRow as BrokerRow } from './broker.js';
import { PAGE_BYTES, mapRows, takePage, type Page } from './paging.js';
import type { FlowMessage, Waiting } from '../protocol/index.js';

type MessageRow = BrokerRow & { delivered_at: number | null };

/** Characters of a question a waiting line shows. */
const QUESTION_CHARS = 200;

export class MessageFlow {
  private readonly all;
  private readonly sentBy;
  private readonly sentTo;
  private readonly openQuestions;

  constructor(db: Db) {
    this.all = db.prepare('SELECT * FROM messages WHERE id < ? ORDER BY id DESC');
    this.sentBy = db.prepare('SELECT * FROM messages WHERE sender = ? AND id < ? ORDER BY id DESC');
    this.sentTo = db.prepare('SELECT * FROM messages WHERE recipient = ? AND id < ? ORDER BY id DESC');
    this.openQuestions = db.prepare('SELECT id, asker, target, question, asked_at, deadline_at FROM questions WHERE answered_at IS NULL ORDER BY asked_at, id');
  }

  /** Messages with an id below `before` (of `agent`, sent or received, when given), newest first, at most `limit` within `bytes`. */
  page(agent: string | undefined, before: number | undefined, limit: number, bytes: number = PAGE_BYTES): Page<FlowMessage> {
    const below = before ?? Number.MAX_SAFE_INTEGER;
    const rows =
      agent === undefined
        ? (this.all.iterate(below) as Iterable<MessageRow>)
        : newestOfBoth(this.sentBy.iterate(agent, below) as Iterable<MessageRow>, this.sentTo.iterate(agent, below) as Iterable<MessageRow>);
    return takePage(mapRows(rows, toFlowMessage), limit, bytes);
  }

  /** Agents waiting on an answer (of or on `agent`, when given), longest wait first, within `bytes`. */
  waiting(agent: string | undefined, bytes: number = PAGE_BYTES): Page<Waiting> {
    type Row = { id: number; asker: string; target: string | null; question: string; asked_at: number; deadline_at: number | null };
    const rows = this.openQuestions.iterate() as Iterable<Row>;
    const matching = function* () {
      for (const r of rows) {
        const on = r.target ?? 'operator';
        if (agent !== undefined && r.asker !== agent && on !== agent) continue;
        const w: Waiting = {
          agent: r.asker,
          on,
          question_id: r.id,
          question: r.question.length > QUESTION_CHARS ? `${r.question.slice(0, QUESTION_CHARS)}…` : r.question,
          asked_at: r.asked_at,
        };
        if (r.deadline_at !== null) w.deadline_at = r.deadline_at;
        yield w;
      }
    };
    return takePage(matching(), Number.MAX_SAFE_INTEGER, bytes);
  }
}

/** Two newest-first row sequences as one, newest first, each id once (both read lazily). */
function* newestOfBoth(a: Iterable<MessageRow>, b: Iterable<MessageRow>): Generator<MessageRow> {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  let l = left.next();
  let r = right.next();
  try {
    while (!l.done || !r.done) {
      if (r.done || (!l.done && l.value.id > r.value.id)) {
        yield l.value as MessageRow;
        l = left.next();
      } else if (l.done || r.value.id > l.value.id) {
        yield r.value;
        r = right.next();
      } else {
        yield l.value;
        l = left.next();
        r = right.next();
      }
    }
  } finally {
    // A page that stopped early leaves both statements mid-iteration: end them so the connection is free.
    left.return?.();
    right.return?.();
  }
}

function toFlowMessage(row: MessageRow): FlowMessage {
  const m: FlowMessage = {
    id: row.id,
    from: row.sender,
    to: row.recipient,
    body: row.body,
    sent_at: row.sent_at,
    broadcast: row.broadcast === 1,
    state: row.acked_at !== null ? 'acked' : row.delivered_at !== null ? 'delivered' : 'unread',
  };
  if (row.in_reply_to !== null) m.in_reply_to = row.in_reply_to;
  if (row.delivered_at !== null) m.delivered_at = row.delivered_at;
  if (row.acked_at !== null) m.acked_at = row.acked_at;
  return m;
}

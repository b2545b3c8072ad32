/**
 * Questions agents ask the operator (or a peer): TTL capped at 6 h, resolved
 * exactly once (answered, cancelled or expired by the watchdog), the asker told
 * through a `question_answered` helper event.
 */
import { MAX_OPEN_QUESTIONS, MAX_QUESTION_TTL_SECONDS, type Question } from '../protocol/index.js';
import type { AgentDirectory, AgentMail, ServicePorts, StatusChanged, UnitOfWork } from './ports.js';
import { nowUnix, refuse, type Refusal } from './refusal.js';
import { DeadlineTimer } from './deadline-timer.js';
import { reachRefusal } from './recipient-policy.js';
import { PAGE_BYTES, chainRows, mapRows, takePage, type Page } from './paging.js';

type QuestionRow = {
  id: number;
  asker: string;
  question: string;
  options_json: string;
  multi: number;
  asked_at: number;
  deadline_at: number | null;
  target: string | null;
  answer: string | null;
  answerer: string | null;
  answered_at: number | null;
  cancelled: number;
};

export interface AskInput {
  question: string;
  options?: string[];
  multi?: boolean;
  ttl_seconds?: number;
  to?: string;
}

export class Questions {
  private readonly watchdog: DeadlineTimer;
  private readonly work: UnitOfWork;
  private readonly agents: AgentDirectory;
  private readonly statusChanged: StatusChanged;
  private readonly mail: AgentMail;
  private readonly selectOne;

  constructor(ports: ServicePorts) {
    this.work = ports.work;
    this.agents = ports.agents;
    this.statusChanged = ports.statusChanged;
    this.mail = ports.mail;
    this.selectOne = this.work.db.prepare('SELECT * FROM questions WHERE id = ?');
    const nextDeadline = this.work.db.prepare('SELECT MIN(deadline_at) AS d FROM questions WHERE answered_at IS NULL AND deadline_at IS NOT NULL');
    this.watchdog = new DeadlineTimer(
      () => (nextDeadline.get() as { d: number | null }).d,
      () => this.expireDue(),
    );
  }

  get(id: number): Question | undefined {
    const row = this.selectOne.get(id) as QuestionRow | undefined;
    return row && toQuestion(row);
  }

  /** Open questions (soonest deadline first), then the 50 most recently resolved, within `bytes`. */
  list(bytes: number = PAGE_BYTES): Page<Question> {
    const open = this.work.db
      .prepare('SELECT * FROM questions WHERE answered_at IS NULL ORDER BY deadline_at IS NULL, deadline_at, id')
      .iterate() as Iterable<QuestionRow>;
    const resolved = this.work.db
      .prepare('SELECT * FROM questions WHERE answered_at IS NOT NULL ORDER BY answered_at DESC, id DESC LIMIT 50')
      .iterate() as Iterable<QuestionRow>;
    return takePage(mapRows(chainRows(open, resolved), toQuestion), Infinity, bytes);
  }

  /** A page of every question (or only open ones), newest first: ids below `before`. */
  page(before: number | undefined, limit: number, openOnly: boolean): Page<Question> {
    const rows = this.work.db
      .prepare(`SELECT * FROM questions WHERE id < ?${openOnly ? ' AND answered_at IS NULL' : ''} ORDER BY id DESC`)
      .iterate(before ?? Number.MAX_SAFE_INTEGER) as Iterable<QuestionRow>;
    return takePage(mapRows(rows, toQuestion), limit);
  }

  /** How many questions wait for an answer. */
  openCount(): number {
    return (this.work.db.prepare('SELECT COUNT(*) AS n FROM questions WHERE answered_at IS NULL').get() as { n: number }).n;
  }

  /** Open questions asked by `agent`, oldest first, within `bytes`. */
  openAskedBy(agent: string, bytes: number = PAGE_BYTES): Page<Question> {
    const rows = this.work.db.prepare('SELECT * FROM questions WHERE asker = ? AND answered_at IS NULL ORDER BY id').iterate(agent) as Iterable<QuestionRow>;
    return takePage(mapRows(rows, toQuestion), Infinity, bytes);
  }

  ask(asker: string, input: AskInput): number | Refusal {
    let target: string | null = null;
    if (input.to !== undefined && input.to !== 'operator') {
      if (!this.agents.agent(input.to)) return refuse('not_found', `no agent named ${JSON.stringify(input.to)} to ask`);
      if (input.to === asker) return refuse('bad_request', 'an agent cannot ask itself');
      // A peer question lands in the target's inbox: the asker's allowed_recipients decide, as for a message.
      const forbidden = reachRefusal(this.agents, asker, input.to);
      if (forbidden) return forbidden;
      target = input.to;
    }
    const asked = (this.work.db.prepare('SELECT COUNT(*) AS n FROM questions WHERE asker = ? AND answered_at IS NULL').get(asker) as { n: number }).n;
    if (asked >= MAX_OPEN_QUESTIONS) return refuse('conflict', `${asker} already has ${MAX_OPEN_QUESTIONS} open questions; wait for answers or cancel one first`);
    const options = input.options ?? [];
    if (input.multi && options.length === 0) return refuse('bad_request', 'a multi-select question needs options');
    const askedAt = nowUnix();
    const ttl = Math.min(input.ttl_seconds ?? MAX_QUESTION_TTL_SECONDS, MAX_QUESTION_TTL_SECONDS);
    const id = this.work.commit(() => {
      const id = Number(
        this.work.db
          .prepare('INSERT INTO questions (asker, question, options_json, multi, asked_at, deadline_at, target) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(asker, input.question, JSON.stringify(options), input.multi ? 1 : 0, askedAt, askedAt + ttl, target).lastInsertRowid,
      );
      this.work.announce('question_added', {
        id,
        asker,
        question: input.question,
        options,
        multi: !!input.multi,
        asked_at: askedAt,
        deadline_at: askedAt + ttl,
        target,
      });
      return id;
    });
    if (target) {
      this.mail.notify(target, { event: 'question_asked', id, asker, question: input.question, options, multi: !!input.multi });
    }
    this.schedule();
    return id;
  }

  /**
   * Resolve a question exactly once. `by` is who answers: `operator`, an agent
   * (must be the question's target), or the watchdog.
   */
  resolve(id: number, answer: string, by: { answerer: string; agent?: string; cancelled?: boolean; actor?: string }): true | Refusal {
    const row = this.selectOne.get(id) as QuestionRow | undefined;
    if (!row) return refuse('not_found', `no question #${id}`);
    if (by.agent !== undefined && !by.cancelled && row.target !== by.agent) {
      return refuse('forbidden', `question #${id} is not addressed to ${by.agent}`);
    }
    if (by.agent !== undefined && by.cancelled && row.asker !== by.agent) {
      return refuse('forbidden', `question #${id} was asked by ${row.asker}, not ${by.agent}`);
    }
    const resolved = this.work.commit(() => {
      const changes = this.work.db
        .prepare('UPDATE questions SET answer = ?, answerer = ?, answered_at = ?, cancelled = ? WHERE id = ? AND answered_at IS NULL')
        .run(answer, by.answerer, nowUnix(), by.cancelled ? 1 : 0, id).changes;
      if (changes === 0) return null;
      const question = this.get(id)!;
      this.work.announce('question_resolved', {
        id,
        answer: question.answer!,
        answerer: question.answerer!,
        answered_at: question.answered_at!,
        cancelled: question.cancelled === true,
      });
      this.work.audit(by.actor ?? by.answerer, by.cancelled ? 'cancel_question' : 'answer', String(id), { answer });
      return question;
    });
    if (!resolved) {
      const current = this.get(id)!;
      return refuse('conflict', `question #${id} was already ${current.cancelled ? 'cancelled' : 'answered'} (${JSON.stringify(current.answer)} by ${current.answerer})`);
    }
    this.mail.notify(row.asker, { event: 'question_answered', id, question: row.question, answer, answerer: by.answerer });
    this.statusChanged(row.asker);
    this.schedule();
    return true;
  }

  /** Arm the watchdog for the nearest deadline. */
  schedule(): void {
    this.watchdog.arm();
  }

  /** Answer every overdue question with `[expired]`. */
  expireDue(): void {
    const due = this.work.db
      .prepare('SELECT id FROM questions WHERE answered_at IS NULL AND deadline_at <= ?')
      .all(nowUnix()) as { id: number }[];
    for (const { id } of due) this.resolve(id, '[expired]', { answerer: 'ttl-watchdog' });
    this.schedule();
  }

  stop(): void {
    this.watchdog.stop();
  }
}

function toQuestion(row: QuestionRow): Question {
  const q: Question = {
    id: row.id,
    asker: row.asker,
    question: row.question,
    options: JSON.parse(row.options_json) as string[],
    multi: row.multi === 1,
    asked_at: row.asked_at,
    target: row.target,
  };
  if (row.deadline_at !== null) q.deadline_at = row.deadline_at;
  if (row.answered_at !== null) {
    q.answer = row.answer ?? '';
    q.answerer = row.answerer ?? '';
    q.answered_at = row.answered_at;
    q.cancelled = row.cancelled === 1;
  }
  return q;
}

/**
 * The recap: what happened in the hive since a time — turns per agent and
 * what they cost, turns that ended badly, harness starts, failures and
 * stalls, approvals and questions resolved (and by whom; expired ones too),
 * messages to the operator — and each operator's last look, kept in the
 * store. Read from the tables that own each piece; every list bounded.
 */
import type { Db } from './store/index.js';
import type { IncidentLog } from './incident-log.js';
import { PAGE_BYTES, mapRows, takePage } from './paging.js';
import type { ApprovalStatus, RecapAgent, RecapAnswer, RecapApproval, RecapMessage, RecapQuestion, RecapTurn } from '../protocol/index.js';

/** Characters of a question, answer, message or description a recap line shows. */
const TEXT_CHARS = 200;

const cut = (text: string) => (text.length > TEXT_CHARS ? `${text.slice(0, TEXT_CHARS)}…` : text);

/** RFC 3339 without fractions, as approvals store their times. */
const rfc3339 = (unix: number) => new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Lists = Pick<RecapAnswer, 'agents' | 'failed_turns' | 'incidents' | 'approvals' | 'questions' | 'messages' | 'counts'>;

export class Recaps {
  private readonly selectLook;
  private readonly saveLook;

  constructor(
    private readonly db: Db,
    private readonly incidents: IncidentLog,
  ) {
    this.selectLook = db.prepare('SELECT looked_at FROM operator_looks WHERE operator = ?');
    // A look never moves back: an older `at` (a console whose clock lags, a late request) changes nothing.
    this.saveLook = db.prepare(
      'INSERT INTO operator_looks (operator, looked_at) VALUES (?, ?) ON CONFLICT(operator) DO UPDATE SET looked_at = MAX(looked_at, excluded.looked_at) RETURNING looked_at',
    );
  }

  /** When `operator` last looked; null when never. */
  lookedAt(operator: string): number | null {
    return (this.selectLook.get(operator) as { looked_at: number } | undefined)?.looked_at ?? null;
  }

  /** `operator` has seen the hive as of `at`; answers their last look after it. */
  markSeen(operator: string, at: number): number {
    return (this.saveLook.get(operator, at) as { looked_at: number }).looked_at;
  }

  /**
   * What happened in `[since, until)`: each list newest first, at most `limit`
   * items, all of it within one answer. `until` is a whole second, so things
   * stamped to the second (approvals) fall wholly in one recap or the next.
   */
  build(since: number, until: number, limit: number): Lists {
    // Six lists share the page: none can crowd out the others.
    const share = Math.floor(PAGE_BYTES / 7);
    const agents = this.agents(since, until);
    const failedTurns = this.failedTurns(since, until, limit, share);
    const incidents = this.incidents.list(since, until, limit, share);
    const approvals = this.approvals(since, until, limit, share);
    const questions = this.questions(since, until, limit, share);
    const messages = this.messages(since, until, limit, share);
    const count = (sql: string, ...args: unknown[]) => (this.db.prepare(sql).get(...args) as { n: number }).n;
    return {
      agents: takePage(agents, 10_000, share).items,
      failed_turns: failedTurns.items,
      incidents: incidents.items,
      approvals: approvals.items,
      questions: questions.items,
      messages: messages.items,
      counts: {
        turns: agents.reduce((n, a) => n + a.turns, 0),
        cost_usd: agents.reduce((n, a) => n + a.cost_usd, 0),
        failed_turns: failedTurns.total,
        incidents: count('SELECT COUNT(*) AS n FROM agent_incidents WHERE at >= ? AND at < ?', since, until),
        approvals: count("SELECT COUNT(*) AS n FROM approvals WHERE status != 'pending' AND resolved_at >= ? AND resolved_at < ?", rfc3339(Math.ceil(since)), rfc3339(until)),
        questions: count('SELECT COUNT(*) AS n FROM questions WHERE answered_at >= ? AND answered_at < ?', since, until),
        questions_expired: count("SELECT COUNT(*) AS n FROM questions WHERE answered_at >= ? AND answered_at < ? AND answerer = 'ttl-watchdog'", since, until),
        messages: count("SELECT COUNT(*) AS n FROM messages WHERE recipient = 'operator' AND sent_at >= ? AND sent_at < ?", since, until),
        approvals_pending: count("SELECT COUNT(*) AS n FROM approvals WHERE status = 'pending'"),
        questions_open: count('SELECT COUNT(*) AS n FROM questions WHERE answered_at IS NULL'),
        messages_unread: count("SELECT COUNT(*) AS n FROM messages WHERE recipient = 'operator' AND acked_at IS NULL"),
      },
    };
  }

  /** Per agent with any turn or incident: turns, failed ones and cost (from the stats rows), its first turn start, its incidents. */
  private agents(since: number, until: number): RecapAgent[] {
    const byName = new Map<string, RecapAgent>();
    const entry = (name: string) => {
      let a = byName.get(name);
      if (!a) byName.set(name, (a = { name, turns: 0, failed_turns: 0, cost_usd: 0, started: 0, failed: 0, stalled: 0 }));
      return a;
    };
    const turns = this.db
      .prepare(
        `SELECT agent, COUNT(*) AS turns, COALESCE(SUM(json_extract(row_json, '$.cost_usd')), 0) AS cost,
           SUM(json_extract(row_json, '$.result_kind') IN ('failed', 'prompt_too_long')) AS failed
         FROM turn_stats WHERE ended_at >= ? AND ended_at < ? GROUP BY agent`,
      )
      .all(since, until) as { agent: string; turns: number; cost: number; failed: number }[];
    for (const t of turns) Object.assign(entry(t.agent), { turns: t.turns, cost_usd: t.cost, failed_turns: t.failed });
    for (const c of this.incidents.counts(since, until)) entry(c.agent)[c.kind] = c.n;
    const firstTurn = this.db.prepare("SELECT MIN(seq) AS seq FROM agent_events WHERE agent = ? AND kind = 'turn_start' AND stored_at >= ?");
    for (const a of byName.values()) {
      const seq = (firstTurn.get(a.name, since) as { seq: number | null }).seq;
      if (seq !== null) a.first_turn_seq = seq;
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Turns whose `turn_end` said not ok, from the streams, with the seq of their start. */
  private failedTurns(since: number, until: number, limit: number, bytes: number): { items: RecapTurn[]; total: number } {
    const ends = this.db
      .prepare("SELECT seq, agent, line FROM agent_events WHERE kind = 'turn_end' AND stored_at >= ? AND stored_at < ? ORDER BY stored_at DESC, seq DESC")
        .iterate(since, until) as Iterable<{ seq: number; agent: string; line: string }>;
    const turnStart = this.db.prepare("SELECT MAX(seq) AS seq FROM agent_events WHERE agent = ? AND kind = 'turn_start' AND seq < ?");
    const items: RecapTurn[] = [];
    let total = 0;
    let used = 0;
    for (const end of ends) {
      const event = JSON.parse(end.line) as { ok?: unknown; note?: unknown; ts_ms?: unknown };
      if (event.ok !== false) continue;
      total++;
      if (items.length >= limit) continue;
      const turn: RecapTurn = {
        agent: end.agent,
        seq: (turnStart.get(end.agent, end.seq) as { seq: number | null }).seq,
        end_seq: end.seq,
        at: typeof event.ts_ms === 'number' ? event.ts_ms / 1000 : 0,
      };
      if (typeof event.note === 'string') turn.note = cut(event.note);
      const size = Buffer.byteLength(JSON.stringify(turn)) + 1;
      if (used + size > bytes) continue;
      used += size;
      items.push(turn);
    }
    return { items, total };
  }

  private approvals(since: number, until: number, limit: number, bytes: number) {
    type Row = { id: number; agent: string; kind: string; status: ApprovalStatus; resolved_at: string; resolved_by: string | null; description: string | null; note: string | null };
    const rows = this.db
      .prepare("SELECT id, agent, kind, status, resolved_at, resolved_by, description, note FROM approvals WHERE status != 'pending' AND resolved_at >= ? AND resolved_at < ? ORDER BY resolved_at DESC, id DESC")
      .iterate(rfc3339(Math.ceil(since)), rfc3339(until)) as Iterable<Row>;
    return takePage(
      mapRows(rows, (r): RecapApproval => {
        const a: RecapApproval = { id: r.id, agent: r.agent, kind: r.kind, status: r.status, resolved_at: r.resolved_at };
        if (r.resolved_by) a.resolved_by = r.resolved_by;
        if (r.description) a.description = cut(r.description);
        if (r.note) a.note = cut(r.note);
        return a;
      }),
      limit,
      bytes,
    );
  }

  private questions(since: number, until: number, limit: number, bytes: number) {
    type Row = { id: number; asker: string; target: string | null; question: string; answer: string | null; answerer: string | null; answered_at: number; cancelled: number };
    const rows = this.db
      .prepare('SELECT id, asker, target, question, answer, answerer, answered_at, cancelled FROM questions WHERE answered_at >= ? AND answered_at < ? ORDER BY answered_at DESC, id DESC')
      .iterate(since, until) as Iterable<Row>;
    // The operator answers as `operator`; who that was is in the audit row.
    const actor = this.db.prepare("SELECT actor FROM audit WHERE action IN ('answer', 'cancel_question') AND target = ? ORDER BY id DESC LIMIT 1");
    return takePage(
      mapRows(rows, (r): RecapQuestion => {
        const answerer = r.answerer ?? '';
        const q: RecapQuestion = {
          id: r.id,
          asker: r.asker,
          target: r.target,
          question: cut(r.question),
          answer: cut(r.answer ?? ''),
          answerer,
          answered_at: r.answered_at,
          cancelled: r.cancelled === 1,
          expired: answerer === 'ttl-watchdog',
        };
        if (answerer === 'operator') {
          const who = (actor.get(String(r.id)) as { actor: string | null } | undefined)?.actor;
          if (who && who !== 'operator') q.resolved_by = who;
        }
        return q;
      }),
      limit,
      bytes,
    );
  }

  private messages(since: number, until: number, limit: number, bytes: number) {
    type Row = { id: number; sender: string; body: string; sent_at: number; acked_at: number | null };
    const rows = this.db
      .prepare("SELECT id, sender, body, sent_at, acked_at FROM messages WHERE recipient = 'operator' AND sent_at >= ? AND sent_at < ? ORDER BY id DESC")
      .iterate(since, until) as Iterable<Row>;
    return takePage(
      mapRows(rows, (r): RecapMessage => ({ id: r.id, from: r.sender, body: cut(r.body), sent_at: r.sent_at, read: r.acked_at !== null })),
      limit,
      bytes,
    );
  }
}

/** Human output of `hyperhive recap`: one screen of what happened since a time, each line naming its item, turn or stream point. Pure. */
import type { RecapAnswer } from '../protocol/recap.js';
import { age, cell, renderTable, toUnixSeconds, truncate, usd } from './format.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Where `since` came from, as a person says it. */
function sinceLine(r: RecapAnswer, now: number): string {
  const when = `${age(r.since, now)} ago`;
  if (r.looked_at !== null && r.since === r.looked_at) return `since your last look ${when} (${cell(r.operator)})`;
  if (r.looked_at === null && Math.abs(r.until - r.since - 86_400) < 1) return `in the last day (${cell(r.operator)} has not looked before)`;
  return `since ${when}`;
}

/** `recap`: a summary line, then a block per kind of thing that happened; "nothing new" when nothing did. */
export function renderRecap(r: RecapAnswer, nowSeconds: number, width?: number): string[] {
  const fit = (line: string) => (width !== undefined && width > 20 ? truncate(line, width) : line);
  const c = r.counts;
  const lines: string[] = [];
  const quiet = r.agents.length === 0 && c.approvals === 0 && c.questions === 0 && c.messages === 0 && c.failed_turns === 0 && c.incidents === 0;
  lines.push(quiet ? `nothing new ${sinceLine(r, nowSeconds)}` : `${sinceLine(r, nowSeconds)}: ${plural(c.turns, 'turn')}, ${usd(c.cost_usd)}`);
  const more = (shown: number, total: number) => (total > shown ? [`  … and ${total - shown} more`] : []);

  if (r.agents.length > 0) {
    const rows = r.agents.map((a) => {
      const trouble = [
        a.failed_turns > 0 && `${a.failed_turns} failed`,
        a.started > 0 && `started ${a.started}×`,
        a.failed > 0 && `marked failed ${a.failed}×`,
        a.stalled > 0 && `stalled ${a.stalled}×`,
      ].filter(Boolean);
      return [cell(a.name), String(a.turns), usd(a.cost_usd), trouble.join(', ') || '-', a.first_turn_seq !== undefined ? `turn #${a.first_turn_seq}` : '-'];
    });
    lines.push(...renderTable(['AGENT', 'TURNS', 'COST', 'TROUBLE', 'READ FROM'], rows, width === undefined ? undefined : width - 2).map((l) => `  ${l}`));
  }
  if (r.failed_turns.length > 0) {
    lines.push('turns that ended badly');
    for (const t of r.failed_turns) lines.push(fit(`  ${cell(t.agent)}  turn #${t.seq ?? '?'}  ${age(t.at, nowSeconds)} ago  ${cell(t.note ?? '')}`.trimEnd()));
    lines.push(...more(r.failed_turns.length, c.failed_turns));
  }
  if (r.incidents.length > 0) {
    lines.push('harnesses');
    for (const i of r.incidents) {
      lines.push(fit(`  ${cell(i.agent)}  ${i.kind}  ${age(i.at, nowSeconds)} ago${i.detail ? `  ${cell(i.detail)}` : ''}  (stream at #${i.seq})`));
    }
    lines.push(...more(r.incidents.length, c.incidents));
  }
  if (r.approvals.length > 0) {
    lines.push('approvals resolved');
    for (const a of r.approvals) {
      const by = a.resolved_by ? ` by ${cell(a.resolved_by)}` : '';
      lines.push(fit(`  #${a.id}  ${cell(a.kind)} ${cell(a.agent)}  ${cell(a.status)}${by}  ${age(toUnixSeconds(a.resolved_at), nowSeconds)} ago${a.note ? `  ${cell(a.note)}` : ''}`));
    }
    lines.push(...more(r.approvals.length, c.approvals));
  }
  if (r.questions.length > 0) {
    lines.push(`questions resolved${c.questions_expired > 0 ? ` (${c.questions_expired} expired)` : ''}`);
    for (const q of r.questions) {
      const outcome = q.expired ? 'expired' : q.cancelled ? `cancelled by ${cell(q.resolved_by ?? q.answerer)}` : `${cell(q.answer)} — by ${cell(q.resolved_by ?? q.answerer)}`;
      lines.push(fit(`  #${q.id}  ${cell(q.asker)} → ${cell(q.target ?? 'operator')}  ${cell(q.question)}  ${outcome}  ${age(q.answered_at, nowSeconds)} ago`));
    }
    lines.push(...more(r.questions.length, c.questions));
  }
  if (r.messages.length > 0) {
    lines.push('messages to you');
    for (const m of r.messages) lines.push(fit(`  #${m.id}  ${cell(m.from)}  ${age(m.sent_at, nowSeconds)} ago${m.read ? '' : '  (unread)'}  ${cell(m.body)}`));
    lines.push(...more(r.messages.length, c.messages));
  }
  const waiting = [
    c.approvals_pending > 0 && plural(c.approvals_pending, 'approval'),
    c.questions_open > 0 && plural(c.questions_open, 'question'),
    c.messages_unread > 0 && plural(c.messages_unread, 'unread message'),
  ].filter(Boolean);
  if (waiting.length > 0) lines.push(`waiting for you now: ${waiting.join(', ')}`);
  return lines;
}

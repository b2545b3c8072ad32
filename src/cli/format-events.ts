/** Dashboard events as `watch` prints them: one line each, `HH:MM:SS  seq  kind  details`. */
import type { AgentStatusRow, OperatorMessage, TurnStat } from '../protocol/records.js';
import { cell, duration, truncate, usd } from './format.js';
import { agentState } from './format-roster.js';

/** Wall-clock `HH:MM:SS` of a unix-seconds time, in the local zone. */
export function clock(atSeconds: number): string {
  if (!Number.isFinite(atSeconds)) return '--:--:--';
  const d = new Date(atSeconds * 1000);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

const BODY_PREVIEW = 160;

function preview(text: unknown): string {
  return truncate(cell(text), BODY_PREVIEW);
}

function describeEvent(ev: Record<string, unknown>): string {
  switch (ev.kind) {
    case 'sent':
      return `#${cell(ev.id)} ${cell(ev.from)} → ${cell(ev.to)}: ${preview(ev.body)}`;
    case 'delivered':
      return `#${cell(ev.id)} ${cell(ev.from)} → ${cell(ev.to)} delivered`;
    case 'approval_added': {
      const subject = ev.description ? cell(ev.description) : ev.approval_kind === 'spawn' ? `spawn ${cell(ev.agent)}` : cell(ev.sha_short ?? ev.commit_ref);
      return `#${cell(ev.id)} ${cell(ev.approval_kind)} for ${cell(ev.agent)}: ${subject}`;
    }
    case 'approval_resolved':
      return `#${cell(ev.id)} ${cell(ev.status)}${ev.resolved_by ? ` by ${cell(ev.resolved_by)}` : ''}${ev.note ? ` — ${preview(ev.note)}` : ''}`;
    case 'question_added':
      return `#${cell(ev.id)} ${cell(ev.asker)} → ${ev.target ? cell(ev.target) : 'operator'}: ${preview(ev.question)}`;
    case 'question_resolved':
      return `#${cell(ev.id)} ${ev.cancelled ? 'cancelled' : 'answered'}${ev.answerer ? ` by ${cell(ev.answerer)}` : ''}: ${preview(ev.answer)}`;
    case 'transient_set':
      return `${cell(ev.name)} ${cell(ev.transient_kind)}…`;
    case 'transient_cleared':
      return `${cell(ev.name)} done`;
    case 'agent_status': {
      const row = ev.row as AgentStatusRow | undefined;
      if (!row) return '';
      const status = row.status_text ? ` "${preview(row.status_text)}"` : '';
      return `${cell(row.name)} ${agentState(row)} ${cell(row.turn_state)} unread=${row.unread}${status}`;
    }
    case 'agent_removed':
      return `${cell(ev.name)} removed`;
    case 'turn_stat': {
      const s = ev.stat as TurnStat | undefined;
      return s ? `${cell(s.agent)} ${cell(s.result_kind)} in ${duration(s.duration_ms)} ${usd(s.cost_usd)} tools=${s.tool_call_count}` : '';
    }
    case 'operator_message': {
      const m = ev.message as OperatorMessage | undefined;
      return m ? `#${m.id} from ${cell(m.from)}: ${preview(m.body)}` : '';
    }
    case 'operator_read':
      return Array.isArray(ev.ids) ? ev.ids.map((id) => `#${id}`).join(' ') : '';
    case 'rule_added':
    case 'rule_removed': {
      const rule = ev.rule as { id?: number; effect?: string; rule?: string; agent?: string | null; hits?: number } | undefined;
      if (!rule) return '';
      const what = `#${rule.id} ${cell(rule.effect)} ${cell(rule.rule)} (${rule.agent ? cell(rule.agent) : 'hive'})`;
      return ev.kind === 'rule_added' ? what : `${what} ${ev.reason === 'expired' ? 'expired' : 'removed'} after ${rule.hits ?? 0} hits`;
    }
    case 'schedule_changed': {
      const s = ev.schedule as { id?: number; target?: string; state?: string; note?: string } | undefined;
      return s ? `#${s.id} → ${cell(s.target)} ${cell(s.state)}${s.note ? ` — ${preview(s.note)}` : ''}` : '';
    }
    default: {
      const { kind: _kind, seq: _seq, at: _at, ...rest } = ev;
      return preview(JSON.stringify(rest));
    }
  }
}

/** One dashboard event as one line: `HH:MM:SS  seq  kind  details`. */
export function renderEvent(ev: Record<string, unknown>): string {
  const at = typeof ev.at === 'number' ? ev.at : NaN;
  return `${clock(at)}  ${String(ev.seq ?? '?').padStart(6)}  ${cell(ev.kind).padEnd(17)}  ${describeEvent(ev)}`.trimEnd();
}

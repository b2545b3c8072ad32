/** The roster as the ctl prints it: `status`'s table and the one-word state of an agent. */
import { agentState as sharedAgentState } from '../protocol/display.js';
import type { AgentStatusRow } from '../protocol/records.js';
import { age, cell, duration, renderTable, tokens } from './format.js';

/** The one-word state of an agent: a transient in progress, else the console's precedence word (a stalled turn says so). */
export function agentState(row: AgentStatusRow): string {
  if (row.transient) return `${row.transient}…`;
  const word = sharedAgentState(row);
  return word === 'running' && row.stalled ? 'stalled' : word;
}

/** `status`: the roster table. */
export function renderStatus(rows: AgentStatusRow[], nowSeconds: number, width?: number): string[] {
  if (rows.length === 0) return ['no agents'];
  // needs-login is a flag only when the state word does not already say it (a failed agent may need a login too).
  const flags = (r: AgentStatusRow) =>
    [r.needs_login && agentState(r) !== 'needs login' && 'needs-login', r.needs_update && 'needs-update'].filter(Boolean).join(',');
  const body = rows.map((r) => {
    const turn = r.running ? `${cell(r.turn_state)} ${age(r.turn_state_since, nowSeconds)}` : '-';
    const last = r.last_turn
      ? `${cell(r.last_turn.result_kind)} ${duration(r.last_turn.duration_ms)} ${age(r.last_turn.ended_at, nowSeconds)} ago`
      : '-';
    const state = [agentState(r), flags(r)].filter(Boolean).join(' ');
    return [
      cell(r.name),
      state,
      turn,
      cell(r.active_model ?? '-'),
      String(r.unread ?? 0),
      String(r.pending_reminders ?? 0),
      r.context_tokens === undefined ? '-' : tokens(r.context_tokens),
      last,
      cell(r.status_text ?? ''),
    ];
  });
  return renderTable(['NAME', 'STATE', 'TURN', 'MODEL', 'UNREAD', 'REMIND', 'CONTEXT', 'LAST TURN', 'STATUS'], body, width);
}

/** Sample records for tests (shaped as the core sends them). */
import type { AgentStatusRow, Approval, DashboardEvent, Question, StateSnapshot, TurnStat, OperatorMessage } from '../../protocol/index.js';
import type { KeyContext } from '../keys/keymap.js';
import { idleAgentRow } from '../client/idle-agent-row.js';

/** A roster row with sensible defaults. */
export function agentRow(name: string, extra: Partial<AgentStatusRow> = {}): AgentStatusRow {
  return { ...idleAgentRow(name, Math.floor(Date.now() / 1000) - 5), ...extra };
}

/** A pending approval. */
export function approval(id: number, extra: Partial<Approval> = {}): Approval {
  return { id, agent: 'manager', kind: 'spawn', commit_ref: 'spawn', requested_at: new Date(Date.now() - 60_000).toISOString(), status: 'pending', ...extra };
}

/** An open operator question. */
export function question(id: number, extra: Partial<Question> = {}): Question {
  return { id, asker: 'iris', question: 'Which database?', options: ['sqlite', 'postgres', 'both'], multi: false, asked_at: Math.floor(Date.now() / 1000) - 30, target: null, ...extra };
}

/** The `approval_added` dashboard event of a new approval (flat, as the core sends it). */
export function approvalAdded(seq: number, id: number, extra: Partial<Extract<DashboardEvent, { kind: 'approval_added' }>> = {}): DashboardEvent {
  return {
    kind: 'approval_added',
    seq,
    at: Math.floor(Date.now() / 1000),
    id,
    agent: 'manager',
    approval_kind: 'spawn',
    sha_short: null,
    diff: null,
    description: null,
    diff_truncated: false,
    commit_ref: '',
    fetched_sha: null,
    requested_at: Math.floor(Date.now() / 1000) - 60,
    requested_by: 'manager',
    diff_files: null,
    ...extra,
  };
}

/** The `approval_resolved` dashboard event of approval `id`. */
export function approvalResolved(seq: number, id: number, extra: Partial<Extract<DashboardEvent, { kind: 'approval_resolved' }>> = {}): DashboardEvent {
  const now = Math.floor(Date.now() / 1000);
  return {
    kind: 'approval_resolved',
    seq,
    at: now,
    id,
    agent: 'manager',
    approval_kind: 'spawn',
    sha_short: null,
    status: 'approved',
    resolved_at: now,
    note: null,
    description: null,
    resolved_by: 'operator',
    commit_ref: '',
    requested_at: now - 60,
    requested_by: 'manager',
    ...extra,
  };
}

/** The `question_added` dashboard event of `question(id, extra)`. */
export function questionAdded(seq: number, id: number, extra: Partial<Question> = {}): DashboardEvent {
  const q = question(id, extra);
  return { kind: 'question_added', seq, at: q.asked_at, id, asker: q.asker, question: q.question, options: q.options, multi: q.multi, asked_at: q.asked_at, deadline_at: q.deadline_at ?? null, target: q.target ?? null };
}

/** A turn stat row. */
export function turnStat(id: number, extra: Partial<TurnStat> = {}): TurnStat {
  const now = Date.now() / 1000;
  return {
    id,
    agent: 'iris',
    model: 'haiku',
    wake_from: 'operator',
    result_kind: 'ok',
    started_at: now - 10 - id,
    ended_at: now - id,
    duration_ms: 1000 * id,
    input_tokens: 100 * id,
    output_tokens: 10 * id,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
    cost_usd: 0.001 * id,
    tool_call_count: id,
    tool_calls: {},
    open_threads_count: 0,
    open_reminders_count: 0,
    ...extra,
  };
}

/** An operator inbox message. */
export function operatorMessage(id: number, extra: Partial<OperatorMessage> = {}): OperatorMessage {
  return { id, from: 'iris', body: 'done with the task', sent_at: Math.floor(Date.now() / 1000) - 10, read: false, ...extra };
}

/** A snapshot. */
export function snapshot(extra: Partial<StateSnapshot> = {}): StateSnapshot {
  return { seq: 10, agents: [agentRow('manager'), agentRow('iris', { parent: 'manager' })], approvals: [], questions: [], transients: {}, operator_inbox: [], ...extra };
}

/** A keymap context: live, writable, normal mode, nothing selected, unless `over` says otherwise. */
export function keyContext(over: Partial<KeyContext> & Pick<KeyContext, 'view'>): KeyContext {
  return { mode: 'normal', item: 'none', readOnly: false, live: true, ...over };
}

/** A config change's diff: CLAUDE.md gains a line, agent.json's model goes from haiku to sonnet (17 rows, the second file from row 8). */
export const TWO_FILE_DIFF = [
  'diff --git a/CLAUDE.md b/CLAUDE.md',
  'index 1..2 100644',
  '--- a/CLAUDE.md',
  '+++ b/CLAUDE.md',
  '@@ -1,2 +1,3 @@',
  ' # iris',
  '+Run the suite first.',
  ' end',
  'diff --git a/agent.json b/agent.json',
  'index 3..4 100644',
  '--- a/agent.json',
  '+++ b/agent.json',
  '@@ -1,3 +1,3 @@',
  ' {',
  '-  "model": "haiku",',
  '+  "model": "sonnet",',
  ' }',
  '',
].join('\n');

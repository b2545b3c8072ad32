/**
 * Tool permissions: claude asks before running a tool (`permission` on its
 * agent socket, from the MCP tool `permission_prompt`) and waits. The hive's
 * own tools never ask; then the rules decide (deny wins); otherwise the call
 * becomes a `tool_permission` approval and waits for the operator, for the
 * hive's `permission_timeout_seconds` at most. Every decision reaches the
 * waiting call exactly once and is audited, and a note in the agent's
 * stream says who decided. A cancelled turn, a stopped or restarted agent, a
 * request whose connection closed and, at start, every request a previous
 * core held all end `cancelled`: none waits forever.
 */
import { MAX_WAITING_PERMISSIONS_PER_AGENT, proposeRule, type Approval, type PathContext, type ToolCall } from '../../protocol/index.js';
import type { Approvals } from '../approvals.js';
import type { UnitOfWork } from '../ports.js';
import { refuse, type Refusal } from '../refusal.js';
import type { IndexedRule } from './rule-index.js';
import type { RuleBook } from './rule-book.js';
import { toolCallDiff, toolCallSummary } from './tool-call-view.js';

/** The MCP server the hive's own tools come from; claude names them `mcp__hyperhive__<tool>`. */
export const HIVE_TOOL_PREFIX = 'mcp__hyperhive__';

/** Who decided a call. */
export type DecidedBy = 'hive' | 'rule' | 'operator' | 'timeout' | 'cancelled';

/** The answer claude gets: run the tool with this input, or not, and why. */
export type PermissionAnswer =
  | { behavior: 'allow'; updatedInput: Record<string, unknown>; decided_by: DecidedBy; approval_id?: number; rule_ids?: number[] }
  | { behavior: 'deny'; message: string; decided_by: DecidedBy; approval_id?: number; rule_ids?: number[] };

/** The connection a request waits on: when it closes, nobody is waiting any more. */
export interface WaitingConnection {
  readonly closed: boolean;
  /** Call `fn` once when the connection closes; returns a function that stops listening. */
  onClose(fn: () => void): () => void;
}

export interface ToolPermissionParts {
  work: UnitOfWork;
  approvals: Approvals;
  rules: RuleBook;
  /** The directories an agent's file rules are read against (as claude sees them), and where the core finds its work dir. */
  pathsOf(agent: string): PathContext & { hostWorkDir: string };
  /** Say something in the agent's live stream. */
  note(agent: string, text: string, detail: Record<string, unknown>): void;
  timeoutSeconds: number;
}

interface Waiter {
  approvalId: number;
  agent: string;
  toolUseId: string | undefined;
  call: ToolCall;
  summary: string;
  answer: Set<(answer: PermissionAnswer) => void>;
  timer: NodeJS.Timeout;
}

export class ToolPermissions {
  private readonly waiting = new Map<number, Waiter>();
  /** Set at shutdown: connections closing then are the core's doing, and the store may be gone. */
  private closed = false;

  constructor(private readonly parts: ToolPermissionParts) {
    parts.approvals.onApprove('tool_permission', {
      apply: async (approval) => this.allow(approval),
      recover: async () => 'the core stopped while passing the allow on; the request ended with that core, so the tool did not run',
      settled: (approval) => this.settled(approval),
    });
  }

  /** How many calls wait for the operator (all agents, or one). */
  waitingCount(agent?: string): number {
    let n = 0;
    for (const w of this.waiting.values()) if (agent === undefined || w.agent === agent) n++;
    return n;
  }

  /** One `permission` request of `agent`: resolves once decided. */
  async request(agent: string, req: { tool_name: string; input: Record<string, unknown>; tool_use_id?: string }, conn: WaitingConnection): Promise<PermissionAnswer | Refusal> {
    const { work, rules, approvals, note } = this.parts;
    const call: ToolCall = { tool_name: req.tool_name, input: req.input };
    const paths = this.parts.pathsOf(agent);
    const summary = toolCallSummary(call, paths.workDir);
    const about = { tool_name: call.tool_name, ...(req.tool_use_id ? { tool_use_id: req.tool_use_id } : {}), summary };
    if (call.tool_name.startsWith(HIVE_TOOL_PREFIX)) {
      work.commit(() => work.audit('hive', 'permission_allow', agent, { ...about, why: "the hive's own tool" }));
      return { behavior: 'allow', updatedInput: call.input, decided_by: 'hive' };
    }
    rules.syncAgent(agent);
    const verdict = work.commit(() => {
      const verdict = rules.decide(agent, call, paths);
      if (verdict.verdict !== 'ask') {
        work.audit(verdict.by.map(ruleName).join(', '), `permission_${verdict.verdict}`, agent, { ...about, rule_ids: verdict.by.map((r) => r.record.id) });
      }
      return verdict;
    });
    if (verdict.verdict !== 'ask') {
      const ruleIds = verdict.by.map((r) => r.record.id);
      const byText = `${verdict.by.length > 1 ? 'rules' : 'rule'} ${verdict.by.map((r) => `${ruleName(r)}: ${r.record.rule}`).join(', ')}`;
      note(agent, `${verdict.verdict === 'allow' ? 'allowed' : 'denied'} by ${byText} — ${call.tool_name}: ${summary}`, { permission: { ...about, behavior: verdict.verdict, decided_by: 'rule', rule_ids: ruleIds } });
      if (verdict.verdict === 'allow') return { behavior: 'allow', updatedInput: call.input, decided_by: 'rule', rule_ids: ruleIds };
      return { behavior: 'deny', message: `The hive's ${byText} denies this call; do not retry it as written.`, decided_by: 'rule', rule_ids: ruleIds };
    }
    const joined = req.tool_use_id === undefined ? undefined : [...this.waiting.values()].find((w) => w.agent === agent && w.toolUseId === req.tool_use_id);
    if (!joined && this.waitingCount(agent) >= MAX_WAITING_PERMISSIONS_PER_AGENT) {
      return refuse('conflict', `${agent} already has ${MAX_WAITING_PERMISSIONS_PER_AGENT} tool calls waiting for the operator; this one is refused until some are decided`);
    }
    if (conn.closed) return refuse('unavailable', 'the request ended before it was queued');
    const waiter = joined ?? this.queue(agent, call, req.tool_use_id, summary, paths);
    return new Promise<PermissionAnswer>((resolve) => {
      const stopListening = conn.onClose(() => {
        waiter.answer.delete(deliver);
        if (this.closed) return; // the next core cancels it at start
        // The last one waiting is gone (the turn ended, claude exited): nobody can use a decision now.
        if (waiter.answer.size === 0 && this.waiting.get(waiter.approvalId) === waiter) {
          approvals.cancel(waiter.approvalId, 'the request ended before a decision (the turn ended or claude exited)');
        }
      });
      const deliver = (answer: PermissionAnswer) => {
        stopListening();
        resolve(answer);
      };
      waiter.answer.add(deliver);
    });
  }

  /**
   * Decide by the rules the calls that wait (a rule was just added): each one
   * a rule now decides is approved or denied in that rule's name. Returns how many.
   */
  async settleByRules(): Promise<number> {
    const { work, rules, approvals } = this.parts;
    let settled = 0;
    for (const waiter of [...this.waiting.values()]) {
      if (!this.waiting.has(waiter.approvalId)) continue;
      const verdict = work.commit(() => rules.decide(waiter.agent, waiter.call, this.parts.pathsOf(waiter.agent)));
      if (verdict.verdict === 'ask') continue;
      const by = `${verdict.by.length > 1 ? 'rules' : 'rule'} ${verdict.by.map(ruleName).join(', ')}`;
      const outcome =
        verdict.verdict === 'allow'
          ? await approvals.approve(waiter.approvalId, by)
          : approvals.deny(waiter.approvalId, `The hive's ${by} (${verdict.by.map((r) => r.record.rule).join(', ')}) denies this call; do not retry it as written.`, by);
      if (outcome === true) settled++;
    }
    return settled;
  }

  /** End every call `agent` has waiting (its turn was cancelled, it is stopping), as `cancelled`. */
  cancelWaiting(agent: string, why: string): void {
    for (const waiter of [...this.waiting.values()]) {
      if (waiter.agent === agent) this.parts.approvals.cancel(waiter.approvalId, why);
    }
  }

  /** At start: a pending tool approval was held by a previous core, whose connections are gone. */
  cancelLeftovers(): number {
    const leftovers = this.parts.approvals.pendingOfKind('tool_permission').filter((a) => !this.waiting.has(a.id));
    for (const approval of leftovers) this.parts.approvals.cancel(approval.id, 'the core restarted; the request ended with the core that held it');
    return leftovers.length;
  }

  /** Stop the timers (shutdown); the connections close with the sockets. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.values()) clearTimeout(waiter.timer);
  }

  private queue(agent: string, call: ToolCall, toolUseId: string | undefined, summary: string, paths: PathContext & { hostWorkDir: string }): Waiter {
    const { approvals, note, timeoutSeconds } = this.parts;
    const diff = toolCallDiff(call, paths.workDir, paths.hostWorkDir) ?? undefined;
    const approvalId = approvals.add({
      agent,
      kind: 'tool_permission',
      description: `${call.tool_name}: ${summary}`,
      diff,
      tool: { tool_name: call.tool_name, tool_use_id: toolUseId, summary, tool_input: call.input, rule_proposal: proposeRule(call, paths.workDir) },
    });
    const timer = setTimeout(() => approvals.fail(approvalId, 'timed out'), timeoutSeconds * 1000);
    timer.unref();
    const waiter: Waiter = { approvalId, agent, toolUseId, call, summary, answer: new Set(), timer };
    this.waiting.set(approvalId, waiter);
    note(agent, `waiting for the operator: approval #${approvalId} — ${call.tool_name}: ${summary}`, {
      permission: { tool_name: call.tool_name, ...(toolUseId ? { tool_use_id: toolUseId } : {}), summary, approval_id: approvalId, waiting: true },
    });
    return waiter;
  }

  /** The `tool_permission` applier: the operator approved; the waiting call runs with its input unchanged. */
  private allow(approval: Approval): string | null {
    const listening = this.waiting.get(approval.id)?.answer.size ?? 0;
    const delivered = this.deliver(approval.id, { behavior: 'allow', updatedInput: this.waiting.get(approval.id)?.call.input ?? {}, decided_by: 'operator', approval_id: approval.id });
    if (!delivered || listening === 0) return 'the request ended before the allow reached it (the turn ended or claude exited); the tool did not run';
    this.noteDecision(delivered, 'allowed', `by ${approval.resolved_by ?? 'the operator'} (approval #${approval.id})`, 'operator');
    return null;
  }

  /** Denied, cancelled or failed (timed out): the waiting call is told, once. */
  private settled(approval: Approval): void {
    const minutes = this.parts.timeoutSeconds / 60;
    const wait = minutes >= 1 ? `${+minutes.toFixed(1)} min` : `${this.parts.timeoutSeconds} s`;
    const [decidedBy, message, said]: [DecidedBy, string, string] =
      approval.status === 'denied'
        ? ['operator', approval.note ?? 'The operator denied this tool call.', `by ${approval.resolved_by ?? 'the operator'} (approval #${approval.id})${approval.note ? `: ${approval.note}` : ''}`]
        : approval.status === 'failed'
          ? ['timeout', `Nobody decided within ${wait}, so this tool call is denied (timed out). The operator can be asked again later.`, `after ${wait} without a decision (approval #${approval.id} timed out)`]
          : ['cancelled', `This tool call was not run: ${approval.note ?? 'the request was cancelled'}.`, `(approval #${approval.id} cancelled: ${approval.note ?? 'no reason given'})`];
    const delivered = this.deliver(approval.id, { behavior: 'deny', message, decided_by: decidedBy, approval_id: approval.id });
    if (delivered) this.noteDecision(delivered, 'denied', said, decidedBy);
  }

  /** Hand `answer` to everyone waiting on approval `id`, exactly once; the waiter it went to, or null. */
  private deliver(id: number, answer: PermissionAnswer): Waiter | null {
    const waiter = this.waiting.get(id);
    if (!waiter) return null;
    this.waiting.delete(id);
    clearTimeout(waiter.timer);
    for (const give of [...waiter.answer]) give(answer);
    waiter.answer.clear();
    return waiter;
  }

  private noteDecision(waiter: Waiter, verb: 'allowed' | 'denied', said: string, decidedBy: DecidedBy): void {
    this.parts.note(waiter.agent, `${verb} ${said} — ${waiter.call.tool_name}: ${waiter.summary}`, {
      permission: {
        tool_name: waiter.call.tool_name,
        ...(waiter.toolUseId ? { tool_use_id: waiter.toolUseId } : {}),
        summary: waiter.summary,
        approval_id: waiter.approvalId,
        behavior: verb === 'allowed' ? 'allow' : 'deny',
        decided_by: decidedBy,
      },
    });
  }
}

function ruleName(rule: IndexedRule): string {
  return `#${rule.record.id}`;
}

/**
 * What the container derives from the hive state and the UI state for the
 * views and the keys: the lists as filtered, the header's figures, the
 * streams to watch, and the stream lines shown beside a question or an
 * approval. Pure.
 */
import type { KeptAgent, OperatorMessage, TurnStat } from '../protocol/index.js';
import { attentionAgent, isHoldItem, type AttentionItem } from './client/attention-queue.js';
import type { HiveState } from './client/hive-state.js';
import { streamLineAt, streamLineCount, type StreamBuffer } from './client/stream-buffer.js';
import type { StreamLine } from './client/stream-lines.js';
import type { HeaderFacts } from './components/Header.js';
import { matchesFilter } from './ui/list.js';
import { shownPanes } from './ui/stream-scroll.js';
import type { UiState } from './ui/ui-state.js';
import type { StreamContext } from './views/ContextLines.js';
import { holdNeedsYou } from './holds.js';

/** What a filter finds a hold by, beside its agents. */
const HOLD_WORDS = { login: 'needs login', limit: 'usage limit account', budget: 'budget spend' } as const;

/** The attention items the filter lets through. */
export function filterAttention(items: readonly AttentionItem[], filter: string): AttentionItem[] {
  if (!filter) return [...items];
  return items.filter((item) => {
    if (isHoldItem(item)) return matchesFilter(filter, [item.kind, HOLD_WORDS[item.kind], item.id, ...item.agents]);
    const base = [item.kind, `#${item.id}`, attentionAgent(item)];
    if (item.kind === 'approval') return matchesFilter(filter, [...base, item.approval.kind, item.approval.agent, item.approval.description, item.approval.commit_ref]);
    if (item.kind === 'question') return matchesFilter(filter, [...base, item.question.question, ...item.question.options]);
    return matchesFilter(filter, [...base, item.message.body]);
  });
}

/** The operator inbox, newest first, as filtered. */
export function filterInbox(messages: readonly OperatorMessage[], filter: string): OperatorMessage[] {
  return [...messages].sort((a, b) => b.id - a.id).filter((m) => matchesFilter(filter, [`#${m.id}`, m.from, m.body, m.read ? 'read' : 'unread']));
}

/** The kept agents as the roster's filter leaves them (it matches their names and the word "kept"). */
export function filterKept(kept: readonly KeptAgent[], filter: string): readonly KeptAgent[] {
  return filter ? kept.filter((k) => matchesFilter(filter, [k.name, 'kept', k.deployed_sha])) : kept;
}

/** The stats rows as filtered. */
export function filterStats(rows: readonly TurnStat[], filter: string): TurnStat[] {
  return rows.filter((r) => matchesFilter(filter, [r.agent, r.model, r.result_kind, r.wake_from, r.note]));
}

/** The header's figures. */
export function headerFacts(state: HiveState, queue: readonly AttentionItem[]): HeaderFacts {
  const rows = Object.values(state.agents);
  return {
    hive: state.hive,
    agentsRunning: rows.filter((r) => r.running).length,
    agentsTotal: rows.length,
    turnsRunning: rows.filter((r) => r.running && r.turn_state !== 'idle').length,
    todayCostUsd: state.today?.cost_usd,
    ...(state.spend && { spend: state.spend }),
    approvals: queue.filter((x) => x.kind === 'approval').length,
    questions: queue.filter((x) => x.kind === 'question').length,
    messages: queue.filter((x) => x.kind === 'message').length,
    agentTrouble: rows.filter((r) => r.failed || r.needs_login || r.stalled || holdNeedsYou(r)).length,
  };
}

/** The agent whose stream is shown beside what is selected: the asker of an open answer form, or of the selected question or approval. */
export function contextAgent(ui: UiState, attention: readonly AttentionItem[], queue: readonly AttentionItem[]): string | undefined {
  if (ui.modal?.kind === 'answer') {
    const id = ui.modal.questionId;
    const item = queue.find((x) => x.kind === 'question' && x.id === id);
    return item ? attentionAgent(item) : undefined;
  }
  if (ui.view === 'approval') {
    // A tool call is read beside the turn that made it.
    const item = queue.find((x) => x.kind === 'approval' && x.id === ui.approvalId);
    return item?.kind === 'approval' && item.approval.kind === 'tool_permission' ? item.approval.agent : undefined;
  }
  if (ui.view !== 'attention') return undefined;
  const item = attention[Math.max(0, Math.min(ui.cursor.attention, attention.length - 1))];
  return item && item.kind !== 'message' ? attentionAgent(item) : undefined;
}

/** The streams to keep open: the panes on screen, and the context agent's. */
export function watchedAgents(ui: UiState, maxPanes: number, context: string | undefined, known: Record<string, unknown>): string[] {
  const panes = ui.view === 'stream' ? shownPanes(ui.streamAgents, ui.focusPane, ui.paneStart, maxPanes).shown : [];
  return context && known[context] && !panes.includes(context) ? [...panes, context] : panes;
}

/** The last `count` lines of a stream (oldest first). */
export function lastLines(buffer: StreamBuffer, count: number): StreamLine[] {
  const total = streamLineCount(buffer);
  const lines: StreamLine[] = [];
  for (let i = Math.max(0, total - count); i < total; i++) lines.push(streamLineAt(buffer, i)!);
  return lines;
}

/** The context box's content (none for an agent the hive does not have, such as one a spawn would create). */
export function streamContext(agent: string | undefined, streams: Record<string, StreamBuffer>, known: Record<string, unknown>): StreamContext | undefined {
  if (!agent || !known[agent]) return undefined;
  const buffer = streams[agent];
  return { agent, lines: buffer ? lastLines(buffer, 8) : undefined };
}

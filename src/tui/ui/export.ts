/**
 * Getting text out: `y` copies the selected item (a message, a question, a
 * stream line, a diff) to the clipboard, `o` opens it in $PAGER, `O` the
 * turn at the top of a stream pane. The dispatcher only names the text; the
 * container writes it out.
 */
import type { Approval } from '../../protocol/index.js';
import { streamLineAt, streamLineCount, type StreamBuffer } from '../client/stream-buffer.js';
import type { AttentionItem } from '../client/attention-queue.js';
import { holdOutlook, holdSentence } from '../client/hold-items.js';
import { agentState } from '../format.js';
import { toolCallText } from '../tool-call.js';
import type { Command } from '../keys/keymap.js';
import { selectedAgent, selectedAttention, selectedMessage, selectedStat } from './selection.js';
import { bottomIndex, topIndex } from './stream-scroll.js';
import { flash, stay, type Handler, type KeyEnv, type Outcome, type UiState } from './ui-state.js';

/** The whole text of an attention item. */
function itemText(item: AttentionItem, nowMs: number): string {
  switch (item.kind) {
    case 'approval': {
      const a = item.approval;
      return `approval #${a.id}: ${a.kind} ${a.commit_ref} for ${a.agent}${a.requested_by ? ` (asked by ${a.requested_by})` : ''}\n${a.description ?? ''}`.trimEnd();
    }
    case 'question': {
      const q = item.question;
      return [`question #${q.id} from ${q.asker}: ${q.question}`, ...q.options.map((o, i) => `  ${i + 1}. ${o}`)].join('\n');
    }
    case 'message':
      return item.message.body;
    case 'login':
    case 'limit':
    case 'budget':
      return `${holdSentence(item, nowMs)}\n${holdOutlook(item, nowMs)}`;
  }
}

function approvalText(a: Approval): string {
  return a.diff ?? `approval #${a.id}: ${a.kind} ${a.commit_ref}\n${a.description ?? ''}`;
}

function focusedStream(ui: UiState, env: KeyEnv): { agent: string; buffer: StreamBuffer } | undefined {
  const agent = ui.streamAgents[ui.focusPane];
  const buffer = agent ? env.streams[agent] : undefined;
  return agent && buffer && streamLineCount(buffer) > 0 ? { agent, buffer } : undefined;
}

function streamText(buffer: StreamBuffer, from: number, to: number): string {
  const lines: string[] = [];
  for (let i = from; i <= to; i++) lines.push(streamLineAt(buffer, i)!.text);
  return lines.join('\n');
}

/** The turn that holds the line at the top of the focused pane: its header to its end. */
function turnAtTop(ui: UiState, env: KeyEnv): { text: string; what: string } | undefined {
  const focused = focusedStream(ui, env);
  if (!focused) return undefined;
  const { agent, buffer } = focused;
  const count = streamLineCount(buffer);
  const top = topIndex(buffer, bottomIndex(buffer, ui.scroll[agent]), env.bodyRows, env.paneWidth);
  let start = top;
  while (start > 0 && streamLineAt(buffer, start)!.kind !== 'turn_start') start--;
  let end = start + 1;
  while (end < count && streamLineAt(buffer, end)!.kind !== 'turn_start') end++;
  return { text: streamText(buffer, start, end - 1), what: `${agent}'s turn` };
}

/** What `y` copies and `o` shows in the current view, if anything. */
function selectedText(ui: UiState, env: KeyEnv, forPager: boolean): { text: string; what: string } | { approvalId: number } | undefined {
  switch (ui.view) {
    case 'agents': {
      const row = env.roster.find((r) => r.name === selectedAgent(ui, env));
      return row ? { text: `${row.name}: ${agentState(row)}${row.status_text ? ` — ${row.status_text}` : ''}`, what: `${row.name}'s row` } : undefined;
    }
    case 'attention': {
      const item = selectedAttention(ui, env);
      if (!item) return undefined;
      // A tool call gives what it would run; other approvals (and an edit whose diff is not held) page the fetched diff.
      const call = item.kind === 'approval' && item.approval.kind === 'tool_permission' ? toolCallText(item.approval) : undefined;
      if (call) return call;
      if (item.kind === 'approval' && forPager) return { approvalId: item.id };
      return { text: itemText(item, env.nowMs ?? Date.now()), what: typeof item.id === 'number' ? `${item.kind} #${item.id}` : `${item.kind} of ${item.id}` };
    }
    case 'inbox': {
      const m = selectedMessage(ui, env);
      return m ? { text: m.body, what: `message #${m.id}` } : undefined;
    }
    case 'approval': {
      if (ui.approvalId === undefined) return undefined;
      const call = env.approval?.kind === 'tool_permission' ? toolCallText(env.approval) : undefined;
      if (call) return call;
      // The view holds one page of a long diff: the pager gets all of them.
      if (forPager) return { approvalId: ui.approvalId };
      return env.approval ? { text: approvalText(env.approval), what: env.approval.diff ? `the diff of #${env.approval.id}` : `approval #${env.approval.id}` } : undefined;
    }
    case 'stats': {
      const t = selectedStat(ui, env);
      return t ? { text: JSON.stringify(t, null, 2), what: `turn #${t.id}` } : undefined;
    }
    case 'stream': {
      const focused = focusedStream(ui, env);
      if (!focused) return undefined;
      const { agent, buffer } = focused;
      if (forPager) return { text: streamText(buffer, 0, streamLineCount(buffer) - 1), what: `${agent}'s stream` };
      return { text: streamLineAt(buffer, bottomIndex(buffer, ui.scroll[agent]))!.text, what: `the bottom line of ${agent}'s stream` };
    }
    default:
      return undefined;
  }
}

function exportSelected(ui: UiState, env: KeyEnv, type: 'copy' | 'pager'): Outcome {
  const found = selectedText(ui, env, type === 'pager');
  if (!found) return flash(ui, type === 'copy' ? 'nothing selected to copy' : 'nothing selected to open', 'info');
  if ('approvalId' in found) return { ui, effects: [{ type: 'pager_approval', id: found.approvalId, ...(ui.view === 'approval' && ui.approvalAgainst && { against: ui.approvalAgainst }) }] };
  return { ui, effects: [{ type, text: found.text, what: found.what }] };
}

/** `y`, `o`, `O`. */
export const EXPORT_COMMANDS = {
  copy: (ui, env) => exportSelected(ui, env, 'copy'),
  pager: (ui, env) => exportSelected(ui, env, 'pager'),
  pager_turn: (ui, env) => {
    const turn = turnAtTop(ui, env);
    return turn ? { ui, effects: [{ type: 'pager', text: turn.text, what: turn.what }] } : stay(ui);
  },
} satisfies Partial<Record<Command, Handler>>;

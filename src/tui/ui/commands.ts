/**
 * Commands that change the hive. Each names the request it wants sent (an
 * `ask`); whether that is confirmed first, and whether it may run at all
 * (read-only, not live), is the dispatcher's call from the keymap's flags.
 * A command that needs text (a deny note, a message, a model) first opens
 * an input; Enter there runs it again with the text.
 */
import type { Approval, HostRequest } from '../../protocol/index.js';
import type { Command } from '../keys/keymap.js';
import { selectedAgent, selectedApprovalId, selectedAttention } from './selection.js';
import { flash, stay, type Call, type Handler, type KeyEnv, type Outcome, type UiState } from './ui-state.js';

function ask(ui: UiState, prompt: string, request: HostRequest, what: string): Outcome {
  return { ui, effects: [], ask: { prompt, requests: [{ request, what }] } };
}

/** Open a text input whose value comes back to `call` as its `text`. */
function askText(ui: UiState, label: string, call: Call): Outcome {
  return stay({ ...ui, modal: { kind: 'input', purpose: 'argument', label, value: '', call } });
}

const approvalOf = (ui: UiState, env: KeyEnv, call: Call) => (typeof call.target === 'number' ? call.target : selectedApprovalId(ui, env));
const agentOf = (ui: UiState, env: KeyEnv, call: Call) => (typeof call.target === 'string' ? call.target : selectedAgent(ui, env));

/** What the hive knows of approval `id`: the one shown, or the one in the queue. */
function approvalRecord(env: KeyEnv, id: number): Approval | undefined {
  if (env.approval?.id === id) return env.approval;
  const item = env.attention.find((x) => x.kind === 'approval' && x.id === id);
  return item?.kind === 'approval' ? item.approval : undefined;
}

/** The confirm line of an approve: a config change says how many files it applies to which agent. */
export function approvePrompt(id: number, a: Approval | undefined): string {
  if (a?.kind !== 'apply_commit') return `approve #${id}?`;
  const files = a.files_total ?? a.files?.length ?? a.diff_files;
  const what = files === undefined ? 'this change' : `${files} file${files === 1 ? '' : 's'}`;
  const commit = a.fetched_sha ? ` (${a.fetched_sha.slice(0, 12)})` : '';
  return `approve #${id}: apply ${what}${commit} to ${a.agent} and restart it?`;
}

function selectedQuestion(ui: UiState, env: KeyEnv, call: Call) {
  const item = typeof call.target === 'number' ? env.attention.find((x) => x.kind === 'question' && x.id === call.target) : selectedAttention(ui, env);
  return item?.kind === 'question' ? item : undefined;
}

/** Requests to the core, by command. */
export const HIVE_COMMANDS = {
  approve: (ui, env, call) => {
    const id = approvalOf(ui, env, call);
    if (id === undefined) return flash(ui, 'no approval selected');
    return ask(ui, approvePrompt(id, approvalRecord(env, id)), { cmd: 'approve', id }, `approve #${id}`);
  },
  deny: (ui, env, call) => {
    const id = approvalOf(ui, env, call);
    if (id === undefined) return flash(ui, 'no approval selected');
    if (call.text === undefined) return askText(ui, `deny #${id} — note (optional):`, { command: 'deny', target: id });
    const note = call.text.trim();
    return ask(ui, `deny #${id}?`, note ? { cmd: 'deny', id, note } : { cmd: 'deny', id }, `deny #${id}`);
  },
  cancel_question: (ui, env, call) => {
    const item = selectedQuestion(ui, env, call);
    if (!item) return flash(ui, 'no question selected');
    return ask(ui, `cancel question #${item.id} from ${item.question.asker}?`, { cmd: 'cancel_question', id: item.id }, `cancel question #${item.id}`);
  },
  answer: (ui, env, call) => {
    const item = selectedQuestion(ui, env, call);
    if (!item) return flash(ui, 'no question selected');
    const typing = item.question.options.length === 0;
    return stay({ ...ui, modal: { kind: 'answer', questionId: item.id, cursor: 0, picked: [], typing, text: '' } });
  },
  mark_read: (ui, env, call) => {
    const item = typeof call.target === 'number' ? undefined : selectedAttention(ui, env);
    const id = typeof call.target === 'number' ? call.target : item?.kind === 'message' ? item.id : undefined;
    if (id === undefined) return flash(ui, 'no operator message selected');
    return ask(ui, `mark message #${id} read?`, { cmd: 'mark_read', ids: [id] }, `mark message #${id} read`);
  },
  message: (ui, env, call) => {
    const name = agentOf(ui, env, call);
    if (!name) return flash(ui, 'no agent selected');
    if (call.text === undefined) return askText(ui, `message ${name}:`, { command: 'message', target: name });
    if (!call.text.trim()) return flash(ui, 'empty message not sent');
    return ask(ui, `send to ${name}?`, { cmd: 'send', to: name, body: call.text }, `message to ${name}`);
  },
  pause: (ui, env, call) => {
    const name = agentOf(ui, env, call);
    if (!name) return flash(ui, 'no agent selected');
    const paused = env.roster.find((r) => r.name === name)?.paused ?? false;
    const verb = paused ? 'resume' : 'pause';
    return ask(ui, `${verb} ${name}?`, { cmd: 'set_paused', name, paused: !paused }, `${verb} ${name}`);
  },
  restart: (ui, env, call) => {
    const name = agentOf(ui, env, call);
    if (!name) return flash(ui, 'no agent selected');
    return ask(ui, `restart ${name}?`, { cmd: 'restart', name }, `restart ${name}`);
  },
  cancel_turn: (ui, env, call) => agentControl(ui, env, call, 'cancel_turn', 'cancel the running turn of'),
  new_session: (ui, env, call) => agentControl(ui, env, call, 'new_session', 'start a new session for'),
  set_model: (ui, env, call) => {
    const name = agentOf(ui, env, call);
    if (!name) return flash(ui, 'no agent selected');
    if (call.text === undefined) return askText(ui, `model for ${name}:`, { command: 'set_model', target: name });
    const model = call.text.trim();
    if (!model) return flash(ui, 'no model given; nothing changed');
    return ask(ui, `set the model of ${name} to ${model}?`, { cmd: 'agent_control', name, action: 'set_model', model }, `set model of ${name}`);
  },
} satisfies Partial<Record<Command, Handler>>;

function agentControl(ui: UiState, env: KeyEnv, call: Call, action: 'cancel_turn' | 'new_session', words: string): Outcome {
  const name = agentOf(ui, env, call);
  if (!name) return flash(ui, 'no agent selected');
  return ask(ui, `${words} ${name}?`, { cmd: 'agent_control', name, action }, `${words} ${name}`);
}

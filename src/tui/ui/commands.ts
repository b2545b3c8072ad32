/**
 * Commands that change the hive. Each names the requests it wants sent (an
 * `ask`); whether that is confirmed first, and whether it may run at all
 * (read-only, not live), is the dispatcher's call from the keymap's flags —
 * and several requests at once (the marked rows) are always confirmed, on
 * one line that lists them. A command that needs text (a deny note, a
 * message) first opens an input, and a model opens a pick list; the choice
 * runs the command again with it.
 */
import { modelProblem } from '../../protocol/light.js';
import type { Approval, HostRequest } from '../../protocol/index.js';
import { attentionKey, isHoldItem, type AttentionItem } from '../client/attention-queue.js';
import { formatCost } from '../format.js';
import type { Command } from '../keys/keymap.js';
import { selectedAgent, selectedApprovalId, selectedAttention, selectedMessage } from './selection.js';
import { flash, stay, type Call, type Handler, type KeyEnv, type MarkList, type Outcome, type PendingRequest, type UiState } from './ui-state.js';

function ask(ui: UiState, prompt: string, request: HostRequest, what: string): Outcome {
  return { ui, effects: [], ask: { prompt, requests: [{ request, what }] } };
}

/** One confirm for several requests: the prompt lists what they act on (the first few, then how many more). */
function askAll(ui: UiState, verb: string, names: string[], requests: PendingRequest[], marks: MarkList): Outcome {
  const listed = names.length > 6 ? `${names.slice(0, 6).join(', ')} and ${names.length - 6} more` : names.join(', ');
  return { ui, effects: [], ask: { prompt: `${verb} ${listed}?`, requests, clearMarks: marks } };
}

/** Open a text input whose value comes back to `call` as its `text`. */
function askText(ui: UiState, label: string, call: Call): Outcome {
  return stay({ ...ui, modal: { kind: 'input', purpose: 'argument', label, value: '', call } });
}

/** The marked attention items of one kind, in queue order (none when the command names its target). */
function markedItems<K extends AttentionItem['kind']>(ui: UiState, env: KeyEnv, call: Call, kind: K): Extract<AttentionItem, { kind: K }>[] {
  if (call.target !== undefined || ui.view !== 'attention' || ui.marks.attention.length === 0) return [];
  const marked = new Set(ui.marks.attention);
  return env.queue.filter((x): x is Extract<AttentionItem, { kind: K }> => x.kind === kind && marked.has(attentionKey(x)));
}

/** The marked agents, in roster order (none when the command names its target). */
function markedAgents(ui: UiState, env: KeyEnv, call: Call): string[] {
  if (call.target !== undefined || ui.view !== 'agents' || ui.marks.agents.length === 0) return [];
  return ui.marks.agents.filter((name) => env.agents[name]);
}

/** Nothing marked is of the kind the command acts on. */
function noneMarked(ui: UiState, what: string): Outcome {
  return flash(ui, `none of the marked rows is ${what} (Esc clears the marks)`);
}

const approvalOf = (ui: UiState, env: KeyEnv, call: Call) => (typeof call.target === 'number' ? call.target : selectedApprovalId(ui, env));
const agentOf = (ui: UiState, env: KeyEnv, call: Call) => (typeof call.target === 'string' ? call.target : selectedAgent(ui, env));

/** What the hive knows of approval `id`: the one shown, or the one in the queue. */
function approvalRecord(env: KeyEnv, id: number): Approval | undefined {
  if (env.approval?.id === id) return env.approval;
  const item = env.queue.find((x) => x.kind === 'approval' && x.id === id);
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
  const item = typeof call.target === 'number' ? env.queue.find((x) => x.kind === 'question' && x.id === call.target) : selectedAttention(ui, env);
  return item?.kind === 'question' ? item : undefined;
}

/** An answer typed on the `:` line: an option's number picks it (several, comma-separated, on a multi question); other text is the answer. */
export function answerFromText(options: readonly string[], multi: boolean, text: string): string {
  const picks = text.split(',').map((s) => s.trim());
  const numbers = picks.map((p) => (/^[1-9]\d*$/.test(p) ? Number(p) : NaN));
  const valid = options.length > 0 && numbers.every((n) => n >= 1 && n <= options.length) && (multi || numbers.length === 1);
  return valid ? [...new Set(numbers)].sort((a, b) => a - b).map((n) => options[n - 1]!).join(', ') : text;
}

/** Requests to the core, by command. */
export const HIVE_COMMANDS = {
  approve: (ui, env, call) => {
    if (ui.view === 'attention' && ui.marks.attention.length > 0 && call.target === undefined) {
      const marked = markedItems(ui, env, call, 'approval');
      if (marked.length === 0) return noneMarked(ui, 'an approval');
      return askAll(ui, 'approve', marked.map((a) => `#${a.id}`), marked.map((a) => ({ request: { cmd: 'approve', id: a.id }, what: `approve #${a.id}` })), 'attention');
    }
    const id = approvalOf(ui, env, call);
    if (id === undefined) return flash(ui, 'no approval selected');
    return ask(ui, approvePrompt(id, approvalRecord(env, id)), { cmd: 'approve', id }, `approve #${id}`);
  },
  deny: (ui, env, call) => {
    if (ui.view === 'attention' && ui.marks.attention.length > 0 && call.target === undefined) {
      const marked = markedItems(ui, env, call, 'approval');
      if (marked.length === 0) return noneMarked(ui, 'an approval');
      const ids = marked.map((a) => `#${a.id}`);
      if (call.text === undefined) return askText(ui, `deny ${ids.join(', ')} — one note for all (optional):`, { command: 'deny' });
      const note = call.text.trim();
      return askAll(ui, 'deny', ids, marked.map((a) => ({ request: note ? { cmd: 'deny', id: a.id, note } : { cmd: 'deny', id: a.id }, what: `deny #${a.id}` })), 'attention');
    }
    const id = approvalOf(ui, env, call);
    if (id === undefined) return flash(ui, 'no approval selected');
    if (call.text === undefined) return askText(ui, `deny #${id} — note (optional):`, { command: 'deny', target: id });
    const note = call.text.trim();
    return ask(ui, `deny #${id}?`, note ? { cmd: 'deny', id, note } : { cmd: 'deny', id }, `deny #${id}`);
  },
  cancel_question: (ui, env, call) => {
    const item = selectedQuestion(ui, env, call);
    if (!item) return flash(ui, typeof call.target === 'number' ? `no open question #${call.target}` : 'no question selected');
    return ask(ui, `cancel question #${item.id} from ${item.question.asker}?`, { cmd: 'cancel_question', id: item.id }, `cancel question #${item.id}`);
  },
  answer: (ui, env, call) => {
    const item = selectedQuestion(ui, env, call);
    if (!item) return flash(ui, typeof call.target === 'number' ? `no open question #${call.target}` : 'no question selected');
    const q = item.question;
    if (call.text !== undefined && call.text.trim()) {
      const answer = answerFromText(q.options, q.multi, call.text.trim());
      return ask(ui, `answer #${q.id} "${answer}"?`, { cmd: 'answer', id: q.id, answer }, `answer question #${q.id}`);
    }
    return stay({ ...ui, modal: { kind: 'answer', questionId: item.id, cursor: 0, picked: [], typing: q.options.length === 0, text: '' } });
  },
  mark_read: (ui, env, call) => {
    const marked = markedItems(ui, env, call, 'message');
    if (ui.view === 'attention' && ui.marks.attention.length > 0 && call.target === undefined) {
      if (marked.length === 0) return noneMarked(ui, 'an operator message');
      const ids = marked.map((m) => m.id);
      return askAll(ui, 'mark read', ids.map((id) => `#${id}`), [{ request: { cmd: 'mark_read', ids }, what: `mark ${ids.length} messages read` }], 'attention');
    }
    const selected = ui.view === 'inbox' ? selectedMessage(ui, env) : undefined;
    const item = ui.view === 'attention' ? selectedAttention(ui, env) : undefined;
    const id = typeof call.target === 'number' ? call.target : (selected?.id ?? (item?.kind === 'message' ? item.id : undefined));
    if (id === undefined) return flash(ui, 'no operator message selected');
    if (selected?.read && call.target === undefined) return flash(ui, `message #${id} is read already`, 'info');
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
    const held = call.target === undefined ? heldAgents(ui, env) : [];
    if (held.length > 1) return askAll(ui, 'resume', held, held.map((name) => ({ request: { cmd: 'set_paused', name, paused: false }, what: `resume ${name}` })), 'attention');
    const marked = markedAgents(ui, env, call);
    if (marked.length > 0) {
      // Pause the running ones; when all are paused already, resume them.
      const resume = call.word === 'resume' || (call.word !== 'pause' && marked.every((n) => env.agents[n]?.paused));
      const acting = marked.filter((n) => Boolean(env.agents[n]?.paused) === resume);
      if (acting.length === 0) return flash(ui, `every marked agent is ${resume ? 'running' : 'paused'} already`, 'info');
      const verb = resume ? 'resume' : 'pause';
      return askAll(ui, verb, acting, acting.map((name) => ({ request: { cmd: 'set_paused', name, paused: !resume }, what: `${verb} ${name}` })), 'agents');
    }
    const name = agentOf(ui, env, call);
    if (!name) return flash(ui, 'no agent selected');
    const paused = env.agents[name]?.paused ?? false;
    if (call.word === 'pause' && paused) return flash(ui, `${name} is paused already (:resume ${name} resumes it)`, 'info');
    if (call.word === 'resume' && !paused) return flash(ui, `${name} is not paused`, 'info');
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
    const current = env.agents[name]?.active_model;
    if (call.text === undefined) {
      // The names the hive takes (a `prefix*` entry is typed with `e`), the current one marked and under the cursor.
      const options = env.models.filter((m) => !m.endsWith('*'));
      const cursor = Math.max(0, options.indexOf(current ?? ''));
      return stay({ ...ui, modal: { kind: 'pick', title: `model for ${name}`, options, current, cursor, typing: options.length === 0, text: '', call: { command: 'set_model', target: name } } });
    }
    const model = call.text.trim();
    if (!model) return flash(ui, 'no model given; nothing changed');
    const problem = modelProblem(model, env.models);
    if (problem) return flash(ui, `${problem}; nothing changed`);
    if (model === current) return flash(ui, `${name} uses ${model} already`, 'info');
    return ask(ui, `set the model of ${name} to ${model}?`, { cmd: 'agent_control', name, action: 'set_model', model }, `set model of ${name} to ${model}`);
  },
  set_budget: (ui, env, call) => {
    const [scope = '', amount = '', ...extra] = (call.text ?? '').trim().split(/\s+/);
    const usd = budgetAmount(amount);
    if (!scope || !amount || extra.length > 0 || usd === undefined) {
      return flash(ui, 'usage: :budget AGENT|hive USD|none (the daily budget; none lifts it)');
    }
    if (scope !== 'hive' && !env.agents[scope]) return flash(ui, `no agent named "${scope.slice(0, 63)}"`);
    const who = scope === 'hive' ? 'the hive' : scope;
    const what = usd === null ? `lift the daily budget of ${who}` : `set the daily budget of ${who} to $${usd.toFixed(2)}`;
    return ask(ui, `${what}?`, { cmd: 'set_budget', ...(scope !== 'hive' && { agent: scope }), daily_usd: usd }, what);
  },
  raise_budget: (ui, env, call) => {
    const item = typeof call.target === 'string' ? env.queue.find((x) => x.kind === 'budget' && x.id === call.target) : selectedAttention(ui, env);
    if (item?.kind !== 'budget') return flash(ui, typeof call.target === 'string' ? `${call.target} is not held by a budget any more` : 'no budget item selected');
    const perTurn = item.budget === 'per_turn';
    const which = perTurn ? 'per-turn' : 'daily';
    const who = item.scope === 'hive' ? 'the hive' : item.id;
    if (call.text === undefined) {
      const now = [item.limitUsd !== undefined && `now ${formatCost(item.limitUsd)}`, item.spentUsd !== undefined && `${perTurn ? 'the turn cost' : 'spent today'} ${formatCost(item.spentUsd)}`].filter(Boolean).join(', ');
      return askText(ui, `${which} budget of ${who} in USD, or none${now ? ` (${now})` : ''}:`, { command: 'raise_budget', target: item.id });
    }
    const usd = budgetAmount(call.text.trim());
    if (usd === undefined) return flash(ui, `"${call.text.trim().slice(0, 40)}" is not an amount: type USD (12.50) or none; nothing changed`);
    if (!perTurn && item.paused && usd !== null && item.spentUsd !== undefined && usd <= item.spentUsd) {
      return flash(ui, `${formatCost(usd)} is not above the ${formatCost(item.spentUsd)} spent today, so ${who} would stay paused; nothing changed`);
    }
    const what = usd === null ? `lift the ${which} budget of ${who}` : `set the ${which} budget of ${who} to ${formatCost(usd)}`;
    const agent = item.scope === 'hive' ? {} : { agent: item.id };
    return ask(ui, `${what}?`, { cmd: 'set_budget', ...agent, ...(perTurn ? { per_turn_usd: usd } : { daily_usd: usd }) }, what);
  },
  login: (ui, env, call) => {
    const name = agentOf(ui, env, call);
    if (!name) return flash(ui, 'no agent selected');
    if (call.text === undefined) {
      // Start (or show the running) login, and wait for the code with its address above the input.
      const input = askText(ui, `login ${name} — open the address above, sign in, paste the code:`, { command: 'login', target: name });
      const running = env.logins[name] && ['starting', 'waiting_for_code', 'checking'].includes(env.logins[name].state);
      return running ? input : { ...input, effects: [{ type: 'request', pending: { request: { cmd: 'login', name }, what: `start claude's login for ${name}` } }] };
    }
    const code = call.text.trim();
    if (!code) return { ...ask(ui, '', { cmd: 'login_cancel', name }, `cancel the login of ${name}`) };
    return ask(ui, '', { cmd: 'login_code', name, code }, `send the login code for ${name}`);
  },
} satisfies Partial<Record<Command, Handler>>;

/** A budget as typed: USD (a leading $ allowed), or `none` (null); undefined when it is neither. */
function budgetAmount(text: string): number | null | undefined {
  if (text.toLowerCase() === 'none') return null;
  const usd = Number(text.replace(/^\$/, ''));
  return text !== '' && Number.isFinite(usd) && usd >= 0 && usd <= 1_000_000 ? usd : undefined;
}

/** The paused agents of the hold selected in the attention queue (an account's usage limit, the hive's budget). */
function heldAgents(ui: UiState, env: KeyEnv): string[] {
  if (ui.view !== 'attention') return [];
  const item = selectedAttention(ui, env);
  return item && isHoldItem(item) ? item.agents.filter((name) => env.agents[name]?.paused) : [];
}

function agentControl(ui: UiState, env: KeyEnv, call: Call, action: 'cancel_turn' | 'new_session', words: string): Outcome {
  const name = agentOf(ui, env, call);
  if (!name) return flash(ui, 'no agent selected');
  return ask(ui, `${words} ${name}?`, { cmd: 'agent_control', name, action }, `${words} ${name}`);
}

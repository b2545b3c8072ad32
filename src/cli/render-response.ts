/** Human lines for each verb's successful response: the verb's formatter, or a sentence saying what was done, with a hint at the next page when the core cut one short. */
import type { AgentStatusRow, Approval, KeptAgent, OperatorMessage, PermissionRule, Question, TurnStat } from '../protocol/records.js';
import type { Schedule } from '../protocol/schedules.js';
import type { ResourceSample } from '../protocol/resources.js';
import type { AgentCost, HiveSpend } from '../protocol/spend.js';
import type { SearchHit, SearchTurn } from '../protocol/search.js';
import type { RecapAnswer } from '../protocol/recap.js';
import type { FlowMessage, Waiting } from '../protocol/traffic.js';
import type { CliIo } from './cli-io.js';
import type { RequestCommand } from './request.js';
import { cell, usd } from './format.js';
import { renderApproval, renderApprovals, renderConfigDiff, renderKept } from './format-approvals.js';
import { renderInbox, renderQuestions } from './format-operator.js';
import { renderStatus } from './format-roster.js';
import { renderStats } from './format-stats.js';
import { describeAddedRule, renderRules, renderToolCall } from './format-permissions.js';
import { renderSchedules } from './format-schedules.js';
import { renderResources } from './format-resources.js';
import { renderCost } from './spend-format.js';
import { renderSearch } from './format-search.js';
import { renderRecap } from './format-recap.js';
import { renderMessages } from './format-traffic.js';

/** The operator inbox from an `operator_inbox` response (`messages`, or `operator_inbox` as in the snapshot). */
export function inboxMessages(response: Record<string, unknown>): OperatorMessage[] {
  const list = response.messages ?? response.operator_inbox;
  return Array.isArray(list) ? (list as OperatorMessage[]) : [];
}

function arrayField<T>(response: Record<string, unknown>, key: string): T[] {
  const value = response[key];
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Human lines for a successful response. */
export function renderResponse(command: RequestCommand, response: Record<string, unknown>, io: Pick<CliIo, 'now' | 'columns' | 'color'>): string[] {
  const now = io.now() / 1000;
  const width = io.columns;
  switch (command.verb) {
    case 'status':
      return renderStatus(arrayField<AgentStatusRow>(response, 'agent_statuses'), now, width);
    case 'list':
      return arrayField<string>(response, 'agents').map(cell);
    case 'pending':
      return renderApprovals(arrayField<Approval>(response, 'approvals'), now, width);
    case 'approval': {
      const approval = response.approval as Approval;
      return renderApproval(approval, now, io.color === true, renderToolCall(approval));
    }
    case 'questions':
      return renderQuestions(arrayField<Question>(response, 'questions'), now, width, command.all);
    case 'inbox': {
      const messages = inboxMessages(response);
      return [...renderInbox(messages, now, width), ...olderHint(response, messages, 'hyperhive inbox')];
    }
    case 'stats': {
      const stats = arrayField<TurnStat>(response, 'turn_stats');
      return [...renderStats(stats, now, width), ...olderHint(response, stats, `hyperhive stats${command.agent ? ` --agent ${command.agent}` : ''}`)];
    }
    case 'approve':
      return [`approved ${command.toolUseId ?? `#${command.id}`}${command.supersede ? ' (older config changes of its agent withdrawn)' : ''}`];
    case 'diff':
      return renderConfigDiff(command.agent, response, io.color === true);
    case 'kept':
      return renderKept(arrayField<KeptAgent>(response, 'kept'), now, width);
    case 'revive':
      return [`revival of ${command.name} queued as approval #${cell(response.id)} — hyperhive approve ${cell(response.id)}`];
    case 'purge':
      return [`purged ${command.name}`];
    case 'destroy':
      return [command.purge ? `destroyed and purged ${command.agent}` : `destroyed ${command.agent}; its state is kept (hyperhive kept, revive, purge)`];
    case 'deny':
      return [`denied ${command.toolUseId ?? `#${command.id}`}`];
    case 'rules':
      return renderRules(arrayField<PermissionRule>(response, 'rules'), now, width);
    case 'rule':
      return command.action === 'rm' ? [`removed rule #${command.id}`] : describeAddedRule(response, now);
    case 'answer':
      return [`answered question #${command.id}`];
    case 'cancel-question':
      return [`cancelled question #${command.id}`];
    case 'send':
      return [command.agent === '*' ? `broadcast from #${cell(response.id)} to ${typeof response.recipients === 'number' ? `${response.recipients} agents` : 'every agent'}` : `sent #${cell(response.id)} to ${command.agent}`];
    case 'pause':
      return [`paused ${command.agent}`];
    case 'resume':
      return [`resumed ${command.agent}`];
    case 'start':
    case 'stop': {
      const done = command.verb === 'start' ? 'started' : 'stopped';
      return [`${done} ${command.agents === 'all' ? 'all agents' : command.agents.join(', ')}`];
    }
    case 'restart':
      return [`restarted ${command.agent}`];
    case 'spawn':
      return [`spawn of ${command.name} queued as approval #${cell(response.id)} — hyperhive approve ${cell(response.id)}`];
    case 'search': {
      const hits = arrayField<SearchHit>(response, 'hits');
      const lines = renderSearch(hits, arrayField<SearchTurn>(response, 'turns'), now, width);
      const behind = typeof response.index_behind === 'number' && response.index_behind > 1000 ? [`(the index is still catching up: about ${response.index_behind} newer events are not searched yet)`] : [];
      const last = hits.at(-1)?.seq;
      const next = response.more === true && last !== undefined ? ['', `older hits: hyperhive search ${shellWords(command.query)}${command.agent ? ` --agent ${command.agent}` : ''} --before ${last}`] : [];
      const note = typeof response.note === 'string' ? [`(${cell(response.note)})`] : [];
      return [...lines, ...note, ...behind, ...next];
    }
    case 'recap':
      return renderRecap(response as unknown as RecapAnswer, now, width);
    case 'messages': {
      const messages = arrayField<FlowMessage>(response, 'messages');
      return [
        ...renderMessages(messages, arrayField<Waiting>(response, 'waiting'), now, width),
        ...olderHint(response, messages, `hyperhive messages${command.agent ? ` --agent ${command.agent}` : ''}`),
      ];
    }
    case 'control':
      return [`sent ${command.action}${command.model ? ` ${cell(command.model)}` : ''} to ${command.agent}`];
    case 'cost':
      return renderCost(response.spend as HiveSpend, arrayField<AgentCost>(response, 'agents'), width);
    case 'budget': {
      const scope = command.agent ?? 'the hive';
      const spend = response.spend as { daily_budget_usd?: number; per_turn_budget_usd?: number; today_usd: number };
      const limit = (v: number | undefined) => (v === undefined ? 'none' : usd(v));
      return [`budget of ${scope}: daily ${limit(spend.daily_budget_usd)}, per turn ${limit(spend.per_turn_budget_usd)} (spent today ${usd(spend.today_usd)})`];
    }
    case 'schedule':
      return [`schedule #${cell(response.schedule_id)} for ${command.agent} queued as approval #${cell(response.id)} — hyperhive approve ${cell(response.id)}`];
    case 'schedules':
      return renderSchedules(arrayField<Schedule>(response, 'schedules'), now, width, command.all);
    case 'pause-schedule':
      return [`paused schedule #${command.id}`];
    case 'resume-schedule':
      return [`resumed schedule #${command.id}`];
    case 'delete-schedule':
      return [`deleted schedule #${command.id}`];
    case 'resources':
      return renderResources(arrayField<ResourceSample>(response, 'agents'), typeof response.note === 'string' ? response.note : undefined, width);
  }
}

/** `text` as one shell word, quoted when it needs to be. */
function shellWords(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${cell(text).replaceAll("'", "'\\''")}'`;
}

/** When the core cut a page short (`more`), the command that shows the next one. */
function olderHint(response: Record<string, unknown>, items: { id?: unknown }[], command: string): string[] {
  const last = items.at(-1)?.id;
  if (response.more !== true || typeof last !== 'number') return [];
  return ['', `older ones: ${command} --before ${last}`];
}

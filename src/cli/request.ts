/** Maps a ctl command to the host-socket request it sends (pure). */
import os from 'node:os';
import { readlinkSync } from 'node:fs';
import { CONTROL_ACTIONS, type ApprovalRef, type Command } from './command.js';

/** Every command that is one request/response exchange (everything but help, version, watch). */
export type RequestCommand = Exclude<Command, { verb: 'help' | 'version' | 'watch' | 'login' }>;

/** The request line for `command`; mutating requests carry `actor` (and `recap`, whose last look is the actor's). */
export function buildRequest(command: RequestCommand, actor: string, nowSeconds: number = Date.now() / 1000): Record<string, unknown> {
  switch (command.verb) {
    case 'status':
      return { cmd: 'agent_status' };
    case 'list':
      return { cmd: 'list' };
    case 'pending':
      return { cmd: 'pending' };
    case 'approval':
      return { cmd: 'approval', id: command.id };
    case 'approve':
      return { cmd: 'approve', ...refOf(command), ...(command.supersede && { supersede: true }), actor };
    case 'deny':
      return { cmd: 'deny', ...refOf(command), ...(command.note !== undefined && { note: command.note }), actor };
    case 'rules':
      return { cmd: 'rules', ...(command.agent !== undefined && { agent: command.agent }) };
    case 'rule':
      if (command.action === 'rm') return { cmd: 'rule_rm', id: command.id, actor };
      return {
        cmd: 'rule_add',
        rule: command.rule,
        effect: command.effect,
        ...(command.agent !== undefined && { agent: command.agent }),
        ...(command.forSeconds !== undefined && { expires_in_seconds: command.forSeconds }),
        actor,
      };
    case 'questions':
      return { cmd: 'questions' };
    case 'answer':
      return { cmd: 'answer', id: command.id, answer: command.text, actor };
    case 'cancel-question':
      return { cmd: 'cancel_question', id: command.id, actor };
    case 'send':
      return { cmd: 'send', to: command.agent, body: command.text, actor };
    case 'inbox':
      return { cmd: 'operator_inbox', ...(command.limit !== undefined && { limit: command.limit }), ...(command.before !== undefined && { before: command.before }) };
    case 'stats':
      return {
        cmd: 'turn_stats',
        ...(command.agent !== undefined && { agent: command.agent }),
        limit: command.limit ?? 20,
        ...(command.before !== undefined && { before: command.before }),
      };
    case 'pause':
    case 'resume':
      return { cmd: 'set_paused', name: command.agent, paused: command.verb === 'pause', actor };
    case 'start':
      return { cmd: 'start', scope: scopeOf(command.agents), actor };
    case 'stop':
      return { cmd: 'stop', scope: scopeOf(command.agents), graceful: !command.force, actor };
    case 'restart':
      return { cmd: 'restart', name: command.agent, actor };
    case 'spawn':
      return { cmd: 'request_spawn', name: command.name, ...(command.description !== undefined && { description: command.description }), actor };
    case 'diff':
      return { cmd: 'config_diff', name: command.agent };
    case 'kept':
      return { cmd: 'kept' };
    case 'revive':
      return { cmd: 'revive', name: command.name, ...(command.description !== undefined && { description: command.description }), actor };
    case 'purge':
      return { cmd: 'purge', name: command.name, actor };
    case 'destroy':
      return { cmd: 'destroy', name: command.agent, purge: command.purge, actor };
    case 'search':
      return {
        cmd: 'search',
        query: command.query,
        ...(command.agent !== undefined && { agent: command.agent }),
        limit: command.limit ?? 20,
        ...(command.before !== undefined && { before: command.before }),
      };
    case 'recap': {
      const since = command.since === undefined ? undefined : 'agoSeconds' in command.since ? nowSeconds - command.since.agoSeconds : command.since.atSeconds;
      return { cmd: 'recap', ...(since !== undefined && { since: Math.max(0, since) }), ...(command.limit !== undefined && { limit: command.limit }), actor };
    }
    case 'messages':
      return {
        cmd: 'messages',
        ...(command.agent !== undefined && { agent: command.agent }),
        limit: command.limit ?? 30,
        ...(command.before !== undefined && { before: command.before }),
      };
    case 'control':
      return {
        cmd: 'agent_control',
        name: command.agent,
        action: CONTROL_ACTIONS[command.action],
        ...(command.model !== undefined && { model: command.model }),
        actor,
      };
    case 'cost':
      return { cmd: 'cost' };
    case 'budget':
      return {
        cmd: 'set_budget',
        ...(command.agent !== undefined && { agent: command.agent }),
        ...(command.daily !== undefined && { daily_usd: command.daily }),
        ...(command.perTurn !== undefined && { per_turn_usd: command.perTurn }),
        actor,
      };
    case 'schedule':
      return {
        cmd: 'schedule_prompt',
        to: command.agent,
        prompt: command.text,
        ...(command.cron !== undefined && { cron: command.cron }),
        ...(command.everySeconds !== undefined && { every_seconds: command.everySeconds }),
        ...(command.tz !== undefined && { tz: command.tz }),
        ...(command.catchUp && { catch_up: true }),
        actor,
      };
    case 'schedules':
      return { cmd: 'schedules', ...(command.all && { all: true }) };
    case 'pause-schedule':
    case 'resume-schedule':
      return { cmd: 'set_schedule_paused', id: command.id, paused: command.verb === 'pause-schedule', actor };
    case 'delete-schedule':
      return { cmd: 'delete_schedule', id: command.id, actor };
    case 'resources':
      return { cmd: 'resources' };
  }
}

function refOf(ref: ApprovalRef): Record<string, unknown> {
  return ref.toolUseId !== undefined ? { tool_use_id: ref.toolUseId } : { id: ref.id };
}

function scopeOf(agents: string[] | 'all'): Record<string, unknown> {
  return agents === 'all' ? { agents: true } : { agent_names: agents };
}

/** `user@host`, plus the controlling tty when stdin is one (e.g. `alice@box pts/3`). */
export function describeActor(user: string, host: string, tty?: string | null): string {
  const base = `${user}@${host}`;
  const actor = tty ? `${base} ${tty.replace(/^\/dev\//, '')}` : base;
  return actor.slice(0, 256);
}

/** The actor of this process: login name, hostname and (when interactive) the tty. */
export function currentActor(): string {
  let user: string;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? `uid${process.getuid?.() ?? '?'}`;
  }
  let tty: string | null = null;
  if (process.stdin.isTTY) {
    try {
      tty = readlinkSync('/proc/self/fd/0');
    } catch {
      tty = 'tty';
    }
  }
  return describeActor(user, os.hostname(), tty);
}

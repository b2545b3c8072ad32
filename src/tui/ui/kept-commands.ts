/**
 * Kept agents (destroyed with their state kept), acted on from their rows
 * below the roster's agents: what is known of one, reviving it (a spawn
 * approval the core queues) and purging it for good. The core decides:
 * a name it does not keep, one already being revived or now taken by a live
 * agent comes back as its sentence on the status line, and nothing changes.
 */
import type { KeptAgent } from '../../protocol/index.js';
import { formatAge } from '../format.js';
import type { Command } from '../keys/keymap.js';
import { keyOf } from '../keys/hints.js';
import { selectedKept } from './selection.js';
import { flash, stay, type Call, type Handler, type KeyEnv, type UiState } from './ui-state.js';

/** The kept agent a command acts on: the one named (`:revive scout`), else the one under the cursor. */
function keptTarget(ui: UiState, env: KeyEnv, call: Call): { name: string; kept?: KeptAgent } | undefined {
  if (typeof call.target === 'string') return { name: call.target, kept: env.kept?.find((k) => k.name === call.target) };
  const kept = selectedKept(ui, env);
  return kept && { name: kept.name, kept };
}

/** "2025-11-21 10:00 UTC": when it was destroyed, the same for every operator. */
function utcMinute(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** What is known of a kept agent, as one sentence (the core records when and on which commit, not why). */
export function keptDetails(k: KeptAgent, nowMs: number, actions: boolean): string {
  const since = `kept since ${utcMinute(k.destroyed_at)} (${formatAge(nowMs / 1000 - k.destroyed_at)} ago)`;
  const commit = k.deployed_sha ? `last deployed commit ${k.deployed_sha}` : 'no deployed commit recorded';
  const keys = actions ? `; ${keyOf('revive')} revives it (a spawn approval), ${keyOf('purge')} purges it for good` : '';
  return `${k.name}: ${since}, ${commit}; why it was destroyed is not recorded${keys}`;
}

/** Enter, `r`, `x` on a kept row, and `:kept`. */
export const KEPT_COMMANDS = {
  view_kept: (ui, env) => {
    const count = env.kept?.length ?? 0;
    const base: UiState = { ...ui, view: 'agents', backStack: [], modal: undefined };
    if (count === 0) return flash(base, ui.filters.agents ? `no kept agent matches /${ui.filters.agents}` : 'no agent is kept (destroyed with its state kept)', 'info');
    return stay({ ...base, cursor: { ...ui.cursor, agents: env.roster.length } });
  },
  kept_details: (ui, env) => {
    const kept = selectedKept(ui, env);
    if (!kept) return flash(ui, 'no kept agent selected');
    return flash(ui, keptDetails(kept, env.nowMs ?? Date.now(), !env.readOnly && !env.decisionsOnly), 'info');
  },
  revive: (ui, env, call) => {
    const target = keptTarget(ui, env, call);
    if (!target) return flash(ui, 'no kept agent selected');
    const on = target.kept?.deployed_sha ? ` on ${target.kept.deployed_sha}` : '';
    const prompt = `revive ${target.name}? (a spawn approval: it comes back${on} once approved)`;
    return { ui, effects: [], ask: { prompt, requests: [{ request: { cmd: 'revive', name: target.name }, what: `revive ${target.name}`, queuesApproval: true }] } };
  },
  purge: (ui, env, call) => {
    const target = keptTarget(ui, env, call);
    if (!target) return flash(ui, 'no kept agent selected');
    const prompt = `purge ${target.name} for good? Its config repos, notes and history are deleted. Type ${target.name} and Enter:`;
    return { ui, effects: [], ask: { prompt, requests: [{ request: { cmd: 'purge', name: target.name }, what: `purge ${target.name}` }], typed: target.name } };
  },
} satisfies Partial<Record<Command, Handler>>;

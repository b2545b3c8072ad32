/**
 * The schedules view's commands: propose one (`:schedule`, which queues an
 * approval), pause or resume one, delete one. Each names the request it
 * wants; confirming, read-only and not-live are the dispatcher's, from the keymap.
 */
import type { Command } from '../keys/keymap.js';
import { parseScheduleArgs } from '../schedules.js';
import { selectedSchedule } from './selection.js';
import { flash, type Call, type Handler, type KeyEnv, type Outcome, type UiState } from './ui-state.js';
import type { Schedule } from '../../protocol/index.js';

function scheduleOf(ui: UiState, env: KeyEnv, call: Call): Schedule | undefined {
  return typeof call.target === 'number' ? env.schedules.find((s) => s.id === call.target) : selectedSchedule(ui, env);
}

export const SCHEDULE_COMMANDS = {
  propose_schedule: (ui, _env, call) => {
    const parsed = parseScheduleArgs(call.text ?? '');
    if ('error' in parsed) return flash(ui, parsed.error);
    const { to, ...rest } = parsed;
    return { ui, effects: [{ type: 'request', pending: { request: { cmd: 'schedule_prompt', to, ...rest }, what: `schedule for ${to} proposed (approve it in the queue)` } }] };
  },
  schedule_pause: (ui, env, call): Outcome => {
    const s = scheduleOf(ui, env, call);
    if (!s) return flash(ui, typeof call.target === 'number' ? `no schedule #${call.target}` : 'no schedule selected');
    if (s.state === 'proposed') return flash(ui, `schedule #${s.id} waits for approval #${s.approval_id} first`);
    if (s.state === 'ended') return flash(ui, `schedule #${s.id} has ended`);
    const pause = s.state === 'active';
    const verb = pause ? 'pause' : 'resume';
    return { ui, effects: [], ask: { prompt: `${verb} schedule #${s.id} (→ ${s.target})?`, requests: [{ request: { cmd: 'set_schedule_paused', id: s.id, paused: pause }, what: `${verb} schedule #${s.id}` }] } };
  },
  schedule_delete: (ui, env, call): Outcome => {
    const s = scheduleOf(ui, env, call);
    if (!s) return flash(ui, typeof call.target === 'number' ? `no schedule #${call.target}` : 'no schedule selected');
    if (s.state === 'ended') return flash(ui, `schedule #${s.id} has ended already`);
    return { ui, effects: [], ask: { prompt: `delete schedule #${s.id} (→ ${s.target})?`, requests: [{ request: { cmd: 'delete_schedule', id: s.id }, what: `delete schedule #${s.id}` }] } };
  },
} satisfies Partial<Record<Command, Handler>>;

/** Command-table rows for the roster and the agents' lifecycle: who is there, and starting, stopping, spawning and steering them. */
import { exactly, fail, none, onlyName, parseName } from './arg-values.js';
import { CONTROL_ACTIONS, row, type Command, type CommandRow, type ControlActionArg, type Flags } from './command.js';

/** The roster and lifecycle verbs, in the order `help` lists them. */
export const AGENT_COMMANDS: readonly CommandRow[] = [
  row({ verbs: ['status'], usage: 'status', what: 'roster: state, turn, model, unread, reminders, last turn, status text', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({ verbs: ['list'], usage: 'list', what: 'agent names, one per line', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({ verbs: ['pause', 'resume'], usage: 'pause|resume <agent>', what: 'hold or release an agent\'s turn loop', build: (verb, pos) => ({ verb, agent: onlyName(pos, verb) }) }),
  row({ verbs: ['start'], usage: 'start <agent…>|--all', what: 'start agents', flags: ['all'], build: (verb, pos, f) => ({ verb, agents: agentsOrAll(pos, f, verb) }) }),
  row({
    verbs: ['stop'], usage: 'stop <agent…>|--all [--force]', what: 'stop agents (graceful unless --force)', flags: ['all', 'force'],
    build: (verb, pos, f) => ({ verb, agents: agentsOrAll(pos, f, verb), force: f.force === true }),
  }),
  row({ verbs: ['restart'], usage: 'restart <agent>', what: 'restart an agent', build: (verb, pos) => ({ verb, agent: onlyName(pos, verb) }) }),
  row({
    verbs: ['spawn'], usage: 'spawn <name> [--description TEXT]', what: 'queue a spawn approval for a new agent', flags: ['description'],
    build: (verb, pos, f) => {
      exactly(pos, 1, verb);
      return { verb, name: parseName(pos[0], 'name for the new agent'), ...(f.description !== undefined && { description: f.description }) };
    },
  }),
  row({ verbs: ['control'], usage: 'control <agent> <action>', what: 'steer a running agent: cancel-turn | new-session | compact | set-model <model>', build: (verb, pos) => control(verb, pos) }),
];

function agentsOrAll(positional: string[], flags: Flags, verb: string): string[] | 'all' {
  if (flags.all) {
    if (positional.length > 0) fail(`give either --all or agent names to ${verb}, not both`);
    return 'all';
  }
  if (positional.length === 0) fail(`missing agent name (or --all)`);
  return positional.map((p) => parseName(p));
}

function control(verb: 'control', pos: string[]): Extract<Command, { verb: 'control' }> {
  const agent = parseName(pos[0]);
  const action = pos[1];
  if (action === undefined) fail(`missing action (${Object.keys(CONTROL_ACTIONS).join(', ')})`);
  if (!(action in CONTROL_ACTIONS)) {
    fail(`unknown action ${JSON.stringify(action)}; expected one of ${Object.keys(CONTROL_ACTIONS).join(', ')}`);
  }
  if (action === 'set-model') {
    if (pos[2] === undefined || pos[2] === '') fail('set-model needs a model name');
    exactly(pos, 3, 'control … set-model');
    return { verb, agent, action, model: pos[2] };
  }
  exactly(pos, 2, `control … ${action}`);
  return { verb, agent, action: action as ControlActionArg };
}

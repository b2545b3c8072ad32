/** Command-table rows for approvals and config: deciding approvals, config diffs, and destroying, keeping, reviving and purging agents. */
import { exactly, fail, none, onlyId, onlyName, parseId, parseName } from './arg-values.js';
import { row, type ApprovalRef, type Command, type CommandRow } from './command.js';

/** The approval and config verbs, in the order `help` lists them. */
export const APPROVAL_COMMANDS: readonly CommandRow[] = [
  row({ verbs: ['pending'], usage: 'pending', what: 'approvals: pending first, then recently resolved', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({ verbs: ['approval'], usage: 'approval <id>', what: 'one approval with its diff', build: (verb, pos) => ({ verb, id: onlyId(pos, verb, 'approval id') }) }),
  row({
    verbs: ['approve'], usage: 'approve <id>|<tool_use_id> [--supersede]', what: 'approve a pending approval (a tool call: it runs; --supersede: withdraw older config changes of its agent)', flags: ['supersede'],
    build: (verb, pos, f) => approveCommand(verb, approvalRef(pos, verb), f.supersede === true),
  }),
  row({
    verbs: ['deny'], usage: 'deny <id>|<tool_use_id> [--note TEXT]', what: 'deny a pending approval (a tool call: claude reads the note)', flags: ['note'],
    build: (verb, pos, f) => ({ verb, ...approvalRef(pos, verb), ...(f.note !== undefined && { note: f.note }) }),
  }),
  row({ verbs: ['diff'], usage: 'diff <agent>', what: 'what the agent runs against the head of its proposed config repo', build: (verb, pos) => ({ verb, agent: onlyName(pos, verb) }) }),
  row({ verbs: ['kept'], usage: 'kept', what: 'agents destroyed without purge (revive or purge them)', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({
    verbs: ['revive'], usage: 'revive <name> [--description TEXT]', what: 'queue a spawn approval that brings a kept agent back', flags: ['description'],
    build: (verb, pos, f) => {
      exactly(pos, 1, verb);
      return { verb, name: parseName(pos[0], 'name of the kept agent'), ...(f.description !== undefined && { description: f.description }) };
    },
  }),
  row({
    verbs: ['purge'], usage: 'purge <name> [--yes]', what: 'remove a kept agent\'s state for good (asks first; --yes does not)', flags: ['yes'],
    build: (verb, pos, f) => ({ verb, name: onlyName(pos, verb), yes: f.yes === true }),
  }),
  row({
    verbs: ['destroy'], usage: 'destroy <agent> [--purge [--yes]]', what: 'stop and forget an agent, keeping its state (--purge: remove it too; asks first)', flags: ['purge', 'yes'],
    build: (verb, pos, f) => {
      if (f.yes && !f.purge) fail('--yes goes with --purge (destroy without purge keeps the state and asks nothing)');
      return { verb, agent: onlyName(pos, verb), purge: f.purge === true, yes: f.yes === true };
    },
  }),
];

function approvalRef(positional: string[], verb: string): ApprovalRef {
  exactly(positional, 1, verb);
  const raw = positional[0];
  // claude's tool-use ids look like toolu_01Ab…; approval ids are numbers.
  if (raw !== undefined && /^toolu_[A-Za-z0-9_-]{1,194}$/.test(raw)) return { toolUseId: raw };
  return { id: parseId(raw, 'approval id (or a tool_use_id)') };
}

/** `approve`: `--supersede` withdraws older config changes, so it needs an approval id, not a tool call's. */
function approveCommand(verb: 'approve', ref: ApprovalRef, supersede: boolean): Extract<Command, { verb: 'approve' }> {
  if (ref.toolUseId === undefined) return { verb, id: ref.id, supersede };
  if (supersede) fail('--supersede withdraws older config changes of an agent; give the approval id of a config change, not a tool_use_id');
  return { verb, toolUseId: ref.toolUseId };
}

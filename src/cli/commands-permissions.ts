/** Command-table rows for tool-permission rules: listing, adding (for a while) and removing them. */
import { fail, none, onlyId, parseDuration, parseName } from './arg-values.js';
import { row, type Command, type CommandRow, type Flags } from './command.js';

/** The longest a rule may be added `--for`. */
const MAX_RULE_SECONDS = 366 * 86_400;

/** The permission verbs, in the order `help` lists them. */
export const PERMISSION_COMMANDS: readonly CommandRow[] = [
  row({
    verbs: ['rules'], usage: 'rules [--agent NAME]', what: 'tool-permission rules: effect, rule, scope, hits, last use, expiry', flags: ['agent'],
    build: (verb, pos, f) => (none(pos, verb), { verb, ...(f.agent !== undefined && { agent: parseName(f.agent) }) }),
  }),
  row({
    verbs: ['rule'], usage: 'rule add allow|deny <rule> [--agent NAME] [--for 30m|8h|7d] | rule rm <id>', what: 'add a tool-permission rule (Claude Code syntax, e.g. \'Bash(npm test:*)\') or remove one', flags: ['agent', 'for'],
    build: (verb, pos, f) => ruleCommand(verb, pos, f),
  }),
];

function ruleCommand(verb: 'rule', pos: string[], f: Flags): Extract<Command, { verb: 'rule' }> {
  const [action, ...rest] = pos;
  if (action === 'rm') {
    if (f.agent !== undefined || f.for !== undefined) fail('rule rm takes only the rule id');
    return { verb, action, id: onlyId(rest, 'rule rm', 'rule id') };
  }
  if (action !== 'add') fail(action === undefined ? 'missing rule action: add or rm' : `unknown rule action ${JSON.stringify(action)}; expected add or rm`);
  const [effect, ...words] = rest;
  if (effect !== 'allow' && effect !== 'deny') fail(effect === undefined ? 'missing effect: allow or deny' : `the effect is allow or deny, not ${JSON.stringify(effect)}`);
  const rule = words.join(' ').trim();
  if (rule === '') fail("missing rule (quote it for the shell, e.g. 'Bash(npm test:*)')");
  let forSeconds: number | undefined;
  if (f.for !== undefined) {
    const seconds = parseDuration(f.for);
    if (seconds === null || seconds <= 0 || seconds > MAX_RULE_SECONDS) fail(`--for takes a duration like 30m, 8h or 7d (at most 366d), not ${JSON.stringify(f.for)}`);
    forSeconds = seconds;
  }
  return { verb, action, effect, rule, ...(f.agent !== undefined && { agent: parseName(f.agent) }), ...(forSeconds !== undefined && { forSeconds }) };
}

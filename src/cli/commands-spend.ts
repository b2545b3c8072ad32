/** Command-table rows for spend and logins: cost against the budgets, setting budgets, and logging an agent's claude in. */
import { exactly, fail, none, onlyName, parseName } from './arg-values.js';
import { row, type CommandRow } from './command.js';

/** The spend and login verbs, in the order `help` lists them. */
export const SPEND_COMMANDS: readonly CommandRow[] = [
  row({ verbs: ['cost'], usage: 'cost', what: 'today\'s and this week\'s cost per agent and for the hive, against the budgets', build: (verb, pos) => (none(pos, verb), { verb }) }),
  row({
    verbs: ['budget'], usage: 'budget [<agent>] [--daily USD|none] [--per-turn USD|none]', what: 'set the hive\'s (or an agent\'s) budget at runtime; none lifts it', flags: ['daily', 'perTurn'],
    build: (verb, pos, f) => {
      exactly(pos, 1, verb);
      if (f.daily === undefined && f.perTurn === undefined) fail('budget needs --daily or --per-turn (USD, or none to lift the limit)');
      return {
        verb,
        ...(pos[0] !== undefined && { agent: parseName(pos[0]) }),
        ...(f.daily !== undefined && { daily: usdOrNone(f.daily, 'daily') }),
        ...(f.perTurn !== undefined && { perTurn: usdOrNone(f.perTurn, 'per-turn') }),
      };
    },
  }),
  row({
    verbs: ['login'], usage: 'login <agent> [--code CODE]', what: 'log an agent\'s claude in: prints the sign-in address, then reads the code (or takes --code)', flags: ['code'],
    build: (verb, pos, f) => ({ verb, agent: onlyName(pos, verb), ...(f.code !== undefined && { code: f.code }) }),
  }),
];

/** A budget in USD, or null for `none`. */
function usdOrNone(raw: string, flag: string): number | null {
  if (raw.trim().toLowerCase() === 'none') return null;
  const usd = Number(raw.replace(/^\$/, ''));
  if (raw.trim() === '' || !Number.isFinite(usd) || usd < 0 || usd > 1_000_000) fail(`--${flag} takes USD (0 to 1000000) or none, not ${JSON.stringify(raw)}`);
  return usd;
}

/**
 * The `:` command line: words and their arguments from the keymap's
 * `cmdNames` and `cmdArgs`. Resolving a line returns the call for the
 * dispatcher to run (with the same read-only, not-live and confirm rules as
 * its key); it never runs anything itself. Tab completes the word being
 * typed: a command, an agent (a kept one too), an id, a model.
 */
import { KEYMAP, type Binding, type CmdArg, type Command } from './keymap.js';

/** What the line's arguments may name. */
export interface CommandLineSources {
  agents: readonly string[];
  /** Agents destroyed with their state kept (absent: none known). */
  kept?: readonly string[];
  /** Pending approvals. */
  approvals: readonly number[];
  /** Open questions. */
  questions: readonly number[];
  /** Unread operator messages. */
  messages: readonly number[];
  /** Schedules not ended. */
  schedules: readonly number[];
  /** The hive's models (names, or prefixes ending in `*`). */
  models: readonly string[];
}

/** A call the line asks for. */
export interface CommandLineCall {
  command: Command;
  target?: string | number;
  text?: string;
  /** The word typed, when it says more than the command (`:resume` runs `pause`). */
  word: string;
}

/** A resolved line, or a sentence saying what was wrong. */
export type CommandLineResult = { ok: true; call: CommandLineCall } | { ok: false; error: string };

/** `:` command-line words and the row each runs, in keymap order. */
export function commandLineTable(): Map<string, Binding> {
  const table = new Map<string, Binding>();
  for (const b of KEYMAP) for (const name of b.cmdNames ?? []) if (!table.has(name)) table.set(name, b);
  return table;
}

const ARG_USAGE: Record<CmdArg, string> = {
  approval: 'ID',
  'approval?': '[ID]',
  question: 'ID',
  'question?': '[ID]',
  'message?': '[ID]',
  'schedule?': '[ID]',
  agent: 'AGENT',
  'agent?': '[AGENT]',
  'kept?': '[KEPT-AGENT]',
  model: 'MODEL',
  text: 'TEXT…',
  'text?': '[TEXT…]',
};

/** How a word is typed: `:deny [ID] [TEXT…]`. */
export function commandUsage(word: string, b: Binding): string {
  return [`:${word}`, ...(b.cmdArgs ?? []).map((a) => ARG_USAGE[a])].join(' ');
}

/** Edit distance with swapped neighbours as one edit (`stast` → `stats`), for suggesting the word that was probably meant. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The known word closest to `word` (a prefix match first), if any is close enough to suggest. */
export function closestWord(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const prefixed = known.find((k) => k.startsWith(lower) || lower.startsWith(k));
  if (prefixed && lower.length >= 2) return prefixed;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(lower, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

const idOf = (word: string | undefined) => (word !== undefined && /^#?\d{1,9}$/.test(word) ? Number(word.replace('#', '')) : undefined);

/** The words of a line and where each starts (text arguments keep the line's own spacing). */
function splitWords(line: string): { word: string; at: number }[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ word: m[0], at: m.index }));
}

const ID_ARGS = {
  approval: ['approvals', 'pending approval'],
  question: ['questions', 'open question'],
  message: ['messages', 'unread operator message'],
  schedule: ['schedules', 'schedule (not ended)'],
} as const;

/** Resolve a `:` command line. */
export function resolveCommandLine(text: string, sources: CommandLineSources): CommandLineResult {
  const line = text.trim().replace(/^:/, '').trim();
  const words = splitWords(line);
  const first = words[0]?.word.toLowerCase() ?? '';
  const table = commandLineTable();
  const row = table.get(first);
  if (!row) {
    const guess = closestWord(first, [...table.keys()]);
    const shown = first.slice(0, 40);
    return { ok: false, error: `unknown command ":${shown}"${guess ? ` — did you mean :${guess}?` : ''} (Tab completes; :help lists the keys)` };
  }
  const call: CommandLineCall = { command: row.command, word: first };
  let next = 1;
  const usage = () => `usage: ${commandUsage(first, row)}`;
  for (const spec of row.cmdArgs ?? []) {
    const optional = spec.endsWith('?');
    const kind = spec.replace('?', '') as 'approval' | 'question' | 'message' | 'schedule' | 'agent' | 'kept' | 'model' | 'text';
    const word = words[next]?.word;
    if (kind === 'text') {
      const rest = word === undefined ? '' : line.slice(words[next]!.at);
      if (!rest && !optional) return { ok: false, error: `:${first} needs text — ${usage()}` };
      if (rest) call.text = rest;
      next = words.length;
    } else if (kind === 'agent') {
      if (word === undefined) {
        if (optional) continue;
        return { ok: false, error: `:${first} needs an agent — ${usage()}` };
      }
      if (!sources.agents.includes(word)) {
        const guess = closestWord(word, sources.agents);
        return { ok: false, error: `no agent named "${word.slice(0, 63)}"${guess ? ` — did you mean ${guess}?` : ''}` };
      }
      call.target = word;
      next++;
    } else if (kind === 'kept') {
      // A name the console does not hold as kept still goes to the core, which says what it is (a live agent, unknown).
      if (word === undefined) continue;
      call.target = word;
      next++;
    } else if (kind === 'model') {
      if (word === undefined) return { ok: false, error: `:${first} needs a model — ${usage()}` };
      call.text = word;
      next++;
    } else {
      const id = idOf(word);
      if (id === undefined) {
        if (optional && word === undefined) continue;
        if (optional && row.cmdArgs!.includes('text?')) continue; // `:deny not now` denies the selected one with a note
        return { ok: false, error: `:${first} needs a number — ${usage()}` };
      }
      const [list, what] = ID_ARGS[kind];
      if (!sources[list].includes(id)) {
        const known = sources[list].slice(0, 8).map((n) => `#${n}`).join(', ');
        return { ok: false, error: `no ${what} #${id}${known ? ` (there is ${known})` : ''}` };
      }
      call.target = id;
      next++;
    }
  }
  if (next < words.length) return { ok: false, error: `:${first} takes ${row.cmdArgs?.length ? 'fewer words' : 'no arguments'} — ${usage()}` };
  return { ok: true, call };
}

/** The words Tab may complete an argument to. */
function argCandidates(spec: CmdArg | undefined, sources: CommandLineSources): string[] {
  switch (spec?.replace('?', '')) {
    case 'agent':
      return [...sources.agents];
    case 'kept':
      return [...(sources.kept ?? [])];
    case 'approval':
      return sources.approvals.map(String);
    case 'question':
      return sources.questions.map(String);
    case 'message':
      return sources.messages.map(String);
    case 'schedule':
      return sources.schedules.map(String);
    case 'model':
      return sources.models.map((m) => (m.endsWith('*') ? m.slice(0, -1) : m));
    default:
      return [];
  }
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Tab on the `:` line: the line with the last word completed as far as it is unambiguous, and what it could still become. */
export function completeCommandLine(text: string, sources: CommandLineSources): { text: string; candidates: string[] } {
  const endsInSpace = /\s$/.test(text);
  const words = splitWords(text.replace(/^:/, ''));
  const typing = endsInSpace ? '' : (words.at(-1)?.word ?? '');
  const index = endsInSpace ? words.length : Math.max(0, words.length - 1);
  let candidates: string[];
  if (index === 0) candidates = [...commandLineTable().keys()];
  else {
    const row = commandLineTable().get(words[0]!.word.toLowerCase());
    candidates = argCandidates(row?.cmdArgs?.[index - 1], sources);
  }
  const matches = [...new Set(candidates.filter((c) => c.startsWith(typing)))].sort();
  if (matches.length === 0) return { text, candidates: [] };
  const head = text.slice(0, text.length - typing.length);
  if (matches.length === 1) return { text: `${head}${matches[0]}${matches[0]!.endsWith('-') ? '' : ' '}`, candidates: matches };
  return { text: `${head}${commonPrefix(matches)}`, candidates: matches };
}

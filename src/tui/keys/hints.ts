/**
 * What the console tells the operator about keys, all read from the keymap
 * for the current context: the footer, the hints inside a view (next to the
 * selected item), the `?` help, and key names quoted in views' own text.
 */
import { ALL_VIEWS, KEYMAP, MODES, type Binding, type Command, type KeyContext, type KeySpec, type Mode, type NamedKey } from './keymap.js';
import { availability, bindingsFor } from './resolve.js';

/** One `key label` hint; `disabled` while the hive cannot be changed (not live). */
export interface Hint {
  key: string;
  label: string;
  disabled: boolean;
}

function hintOf(b: Binding, ctx: KeyContext): Hint {
  return { key: b.label, label: b.hint!, disabled: availability(b, ctx) === 'disabled' };
}

/** Footer hints for a context: what acts on the selected item first, then the view's own keys, then the general ones (the footer keeps as many as fit). */
export function footerHints(ctx: KeyContext): Hint[] {
  const rows = bindingsFor(ctx).filter((b) => b.hint);
  const rank = (b: Binding) => (b.items?.includes(ctx.item) ? 0 : b.views && b.views.length < ALL_VIEWS.length ? 1 : 2);
  return [0, 1, 2].flatMap((r) => rows.filter((b) => rank(b) === r)).map((b) => hintOf(b, ctx));
}

/** Hints for what can be done to the selected item (shown beside it in a view). */
export function itemHints(ctx: KeyContext): Hint[] {
  return bindingsFor(ctx)
    .filter((b) => b.hint && b.items?.includes(ctx.item))
    .map((b) => hintOf(b, ctx));
}

/** Hints as one line: `Enter diff · a approve · d deny`. */
export function hintLine(hints: readonly Hint[]): string {
  return hints.map((h) => `${h.key} ${h.label}`).join(' · ');
}

const MODE_TITLES: Record<Exclude<Mode, 'normal'>, string> = {
  confirm: 'on a confirm line',
  input: 'in a text input (note, message, a name typed to confirm)',
  search: 'in the search line',
  filter: 'in the filter line',
  command: 'on the : command line',
  answer: 'in the answer form',
  answer_text: 'typing a free-text answer',
  rule: 'in the rule form (A/D on a tool approval)',
  pick: 'in a pick list (models)',
  pick_text: 'typing a name into a pick list',
};

export interface HelpSection {
  section: string;
  rows: { key: string; help: string }[];
}

/**
 * Help for a view: its own keys, the general ones, then the keys of every
 * modal it can open. Reference, so it lists rows for every kind of item and
 * every flag; only read-only removes rows.
 */
export function helpRows(ctx: Pick<KeyContext, 'view' | 'readOnly' | 'live' | 'decisionsOnly'>): HelpSection[] {
  const usable = (b: Binding, mode: Mode) =>
    (!b.views || b.views.includes(ctx.view)) && (b.modes ?? ['normal']).includes(mode) && availability(b, ctx) !== 'hidden';
  const normal = KEYMAP.filter((b) => usable(b, 'normal'));
  const local = normal.filter((b) => b.views && b.views.length < ALL_VIEWS.length);
  const general = normal.filter((b) => !local.includes(b));
  const row = (b: Binding) => ({ key: b.label, help: b.help });
  const sections: HelpSection[] = [
    { section: `in ${ctx.view}`, rows: local.map(row) },
    { section: 'everywhere', rows: general.map(row) },
  ];
  // Modes reachable from this view: opened by a usable row, or confirmed by one, and so on from there.
  const reachable = new Set<Mode>();
  const reach = (rows: Binding[]) => {
    for (const b of rows) {
      if (b.opens) reachable.add(b.opens);
      if (b.confirms) reachable.add(b.confirms === 'typed' ? 'input' : 'confirm');
    }
  };
  reach(normal);
  for (const mode of MODES) if (reachable.has(mode)) reach(KEYMAP.filter((b) => usable(b, mode)));
  for (const mode of MODES) {
    if (mode === 'normal' || !reachable.has(mode)) continue;
    const seen = new Set<string>();
    const rows = KEYMAP.filter((b) => usable(b, mode) && !(b.modes ?? []).includes('normal'))
      .map(row)
      .filter((r) => !seen.has(`${r.key}\t${r.help}`) && seen.add(`${r.key}\t${r.help}`));
    sections.push({ section: MODE_TITLES[mode], rows });
  }
  return sections.filter((s) => s.rows.length > 0);
}

const NAMED_KEYS: Record<NamedKey, string> = {
  upArrow: '↑',
  downArrow: '↓',
  leftArrow: '←',
  rightArrow: '→',
  pageUp: 'PgUp',
  pageDown: 'PgDn',
  home: 'Home',
  end: 'End',
  return: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
  backspace: 'Backspace',
  delete: 'Delete',
};

function keyName(spec: KeySpec): string {
  if ('char' in spec) return spec.ctrl ? `Ctrl-${spec.char.toUpperCase()}` : spec.char;
  if ('named' in spec) return spec.shift ? `S-${NAMED_KEYS[spec.named]}` : NAMED_KEYS[spec.named];
  if ('digit' in spec) return '1–9';
  return 'text' in spec ? 'text' : 'any key';
}

/** How help writes a command's keys (its first row's label), for text a view writes itself. */
export function labelOf(command: Command): string {
  return KEYMAP.find((x) => x.command === command)?.label ?? '?';
}

/** The main key of a command, for text a view writes itself ("G resumes"). */
export function keyOf(command: Command): string {
  const b = KEYMAP.find((x) => x.command === command);
  return b ? keyName(b.keys[0]!) : '?';
}

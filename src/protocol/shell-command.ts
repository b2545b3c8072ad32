/**
 * A shell command split where the shell would run separate commands, so a
 * permission rule vouches for each simple command on its own: `Bash(npm
 * test:*)` allows `npm test`, never `npm test && rm -rf ~`.
 */

/** A command line cut into its simple commands. */
export interface SplitCommand {
  /** The simple commands in order, trimmed, runs of unquoted blanks made one space. */
  parts: string[];
  /**
   * The line runs text the split cannot see into — `$(…)`, backquotes,
   * `<(…)`, `>(…)`, a `(…)` subshell or `{ …; }` group — so no allow rule
   * can vouch for it (a deny rule still can).
   */
  opaque: boolean;
}

/** Split `command` at unquoted `&&`, `||`, `;`, `|`, `&` and newlines. Pure. */
export function splitShellCommand(command: string): SplitCommand {
  const parts: string[] = [];
  let opaque = false;
  let current = '';
  let quote: "'" | '"' | null = null;
  let pendingSpace = false;
  const push = () => {
    const part = current.trim();
    if (part) parts.push(part);
    current = '';
    pendingSpace = false;
  };
  const add = (text: string) => {
    if (pendingSpace && current !== '') current += ' ';
    pendingSpace = false;
    current += text;
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    const next = command[i + 1];
    if (quote === "'") {
      current += c;
      if (c === "'") quote = null;
      continue;
    }
    if (quote === '"') {
      current += c;
      if (c === '\\' && next !== undefined) {
        current += next;
        i++;
      } else if (c === '"') quote = null;
      else if (c === '`' || (c === '$' && next === '(')) opaque = true;
      continue;
    }
    if (c === '\\' && next !== undefined) {
      // A backslash-newline continues the line; any other escaped character is literal.
      if (next === '\n') {
        pendingSpace = true;
      } else {
        add(c + next);
      }
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      add(c);
      quote = c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      pendingSpace = true;
      continue;
    }
    if (c === '\n' || c === ';') {
      push();
      continue;
    }
    if (c === '`' || ((c === '$' || c === '<' || c === '>') && next === '(')) {
      opaque = true;
      add(c);
      continue;
    }
    if (c === '(' || c === ')' || ((c === '{' || c === '}') && isWordAlone(command, i))) {
      opaque = true;
      add(c);
      continue;
    }
    if (c === '&') {
      const prev = command[i - 1];
      // `2>&1`, `&>file`, `>&2` redirect; they do not separate commands.
      if (prev === '>' || prev === '<' || next === '>') {
        add(c);
        continue;
      }
      push();
      if (next === '&') i++;
      continue;
    }
    if (c === '|') {
      push();
      if (next === '|' || next === '&') i++;
      continue;
    }
    add(c);
  }
  // An unterminated quote is not a command the shell would run as written.
  if (quote !== null) opaque = true;
  push();
  return { parts, opaque };
}

/** `{` or `}` standing as a word of its own (a group), not inside one (`a{b,c}`). */
function isWordAlone(text: string, i: number): boolean {
  const before = text[i - 1];
  const after = text[i + 1];
  const edge = (ch: string | undefined) => ch === undefined || ch === ' ' || ch === '\t' || ch === '\n' || ch === ';';
  return edge(before) && (edge(after) || text[i] === '{');
}

/** The first word of a simple command (its program), as rules are indexed by it. */
export function firstWord(part: string): string {
  const space = part.indexOf(' ');
  return space < 0 ? part : part.slice(0, space);
}

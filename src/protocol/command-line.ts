/**
 * Command-line flags for every hyperhive program, parsed by meow (typed
 * flags, `--no-` negation, `--`) as a pure function: argv in, flags and
 * positionals or one sentence out. meow on its own prints and exits on an
 * unknown flag and on --help/--version; here the program decides what to print
 * and with which exit code. A door of its own, like `light.ts`, and not part
 * of `index.ts`: only the programs' entry points load meow.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import meow, { type AnyFlags, type TypedFlags } from 'meow';

/** A program's flags, as meow declares them (camel-case keys). */
export type FlagSpecs = AnyFlags;

/** Flags every program has, beside its own. */
const COMMON_FLAGS = {
  help: { type: 'boolean', shortFlag: 'h' },
  version: { type: 'boolean' },
} as const satisfies AnyFlags;

/** A parsed command line: typed flags (absent ones `undefined` unless they have a default) and the positionals, those after `--` included. */
export type CommandLine<F extends AnyFlags> =
  | { ok: true; flags: TypedFlags<F & typeof COMMON_FLAGS>; input: string[] }
  | { ok: false; error: string };

/** Parse `argv` (without node and the script) against `flags` (camel-case keys; the command line spells them kebab-case). */
export function parseCommandLine<F extends AnyFlags>(argv: readonly string[], flags: F): CommandLine<F> {
  const all: AnyFlags = { ...flags, ...COMMON_FLAGS };
  const problem = flagProblem(argv, all);
  if (problem) return { ok: false, error: problem };
  detachProcessTitle();
  let result;
  try {
    result = meow({
      importMeta: import.meta,
      argv: [...argv],
      flags: { ...all, '--': { type: 'string' } },
      // The package is not read: the programs print their own help and version.
      pkg: {},
      description: false,
      autoHelp: false,
      autoVersion: false,
      // flagProblem has refused unknown flags already; meow's own check would exit the process.
      allowUnknownFlags: true,
      booleanDefault: undefined,
    });
  } catch (err) {
    // meow throws for a flag given twice ("The flag --note can only be set once.").
    return { ok: false, error: (err as Error).message };
  }
  const { '--': afterSeparator, ...typed } = result.flags as Record<string, unknown>;
  const input = [...result.input, ...(Array.isArray(afterSeparator) ? afterSeparator.map(String) : [])];
  return { ok: true, flags: typed as TypedFlags<F & typeof COMMON_FLAGS>, input };
}

/** `markRead` → `mark-read`: how a flag key is spelled on the command line. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * What meow would let through silently: an unknown flag (it would exit), a
 * value on a boolean (`--json=1` reads as false), a value flag with nothing
 * after it (reads as ""), a number flag that is not a number (reads as null),
 * and a positional that looks like a flag (`-1`).
 */
function flagProblem(argv: readonly string[], flags: AnyFlags): string | undefined {
  const byName = new Map<string, { key: string; negated: boolean }>();
  for (const [key, flag] of Object.entries(flags)) {
    byName.set(`--${flagName(key)}`, { key, negated: false });
    if (flag.type === 'boolean') byName.set(`--no-${flagName(key)}`, { key, negated: true });
    if (flag.shortFlag) byName.set(`-${flag.shortFlag}`, { key, negated: false });
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-') continue;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const spelled = eq === -1 ? arg : arg.slice(0, eq);
    const known = byName.get(spelled);
    if (!known) return `unknown option ${spelled}`;
    const flag = flags[known.key]!;
    if (flag.type === 'boolean' || known.negated) {
      if (eq !== -1) return `${spelled} takes no value`;
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) return `${spelled} needs a value`;
      value = next;
      i++;
    }
    if (flag.type === 'number' && (value.trim() === '' || !Number.isFinite(Number(value)))) {
      return `${spelled} takes a number, not ${JSON.stringify(value)}`;
    }
  }
  return undefined;
}

let titleDetached = false;

/**
 * meow ends by setting `process.title` to the package's name, which on Linux
 * overwrites /proc/<pid>/cmdline: `ps` would show every program under one
 * name, and an agent's harness without its `--name`. Node cannot undo a title
 * once written, so the native title is swapped for a plain property holding
 * the same text before meow runs (no hyperhive program sets its title).
 */
function detachProcessTitle(): void {
  if (titleDetached) return;
  const title = process.title;
  Reflect.deleteProperty(process, 'title');
  Object.defineProperty(process, 'title', { value: title, writable: true, configurable: true, enumerable: true });
  titleDetached = true;
}

/** The version in hyperhive's package.json (found upward from this file, bundled or not), or "unknown". */
export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hyperhive') return pkg.version ?? 'unknown';
    } catch {
      // no package.json here: look further up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

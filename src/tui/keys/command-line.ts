/**
 * The `:` command line: words from the keymap's `cmdNames`. Resolving a line
 * returns the command for the dispatcher to run (with the same read-only,
 * not-live and confirm rules as its key); it never runs anything itself.
 */
import { KEYMAP, type Command } from './keymap.js';

/** A resolved line, or a sentence saying what was wrong. */
export type CommandLineResult = { ok: true; command: Command; args?: string[] } | { ok: false; error: string };

/** `:` command-line words and the command each runs, in keymap order. */
export function commandLineTable(): Map<string, Command> {
  const table = new Map<string, Command>();
  for (const b of KEYMAP) for (const name of b.cmdNames ?? []) table.set(name, b.command);
  return table;
}

/** Resolve a `:` command line; words after the command are its argument when its row takes one, else an error. */
export function resolveCommandLine(text: string): CommandLineResult {
  const line = text.trim().replace(/^:/, '').trim();
  const [word = '', ...args] = line.split(/\s+/);
  const table = commandLineTable();
  const command = table.get(word.toLowerCase());
  if (command && args.length === 0) return { ok: true, command };
  if (command && KEYMAP.some((b) => b.command === command && b.cmdArgument)) return { ok: true, command, args };
  if (command) return { ok: false, error: `":${word.slice(0, 40)}" takes no arguments` };
  const known = [...table.keys()].map((k) => `:${k}`).join(' ');
  return { ok: false, error: `unknown command ":${line.toLowerCase().slice(0, 40)}" — try ${known}` };
}

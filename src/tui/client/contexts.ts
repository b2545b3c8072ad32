/**
 * Several hives in one console, as k9s has contexts: a file naming each hive
 * (a host socket, or an HTTP URL with an optional token file), the one the
 * console starts on, and switching between them. Each hive keeps its own
 * client — state and reconnect loop — while another is shown.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkHttpUrl } from '../../protocol/light.js';

/** One hive the console can show. */
export type HiveContext = { name: string; readOnly: boolean } & ({ socketPath: string } | { url: string; tokenFile?: string });

/** `$XDG_CONFIG_HOME/hyperhive/contexts.json` (`~/.config` when unset). */
export function contextsFilePath(env: NodeJS.ProcessEnv, home: string = os.homedir()): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(base, 'hyperhive', 'contexts.json');
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const KEYS = new Set(['socket', 'url', 'token_file', 'read_only']);

/**
 * The contexts in a file's text: an object of name → socket path or URL (a
 * string), or `{ "socket": PATH }` / `{ "url": URL, "token_file"?: FILE }`,
 * either with `"read_only"?: true`. Paths may start with `~/`; relative ones
 * are relative to the file. Throws a sentence naming the file and the entry.
 */
export function parseContexts(text: string, file: string, home: string = os.homedir()): Map<string, HiveContext> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file}: expected an object of context name → hive`);
  const dir = path.dirname(file);
  const resolve = (p: string) => (p.startsWith('~/') ? path.join(home, p.slice(2)) : path.resolve(dir, p));
  const contexts = new Map<string, HiveContext>();
  for (const [name, value] of Object.entries(raw)) {
    const where = `${file}: context ${JSON.stringify(name.slice(0, 64))}`;
    if (!NAME.test(name)) throw new Error(`${where}: a name is 1–63 letters, digits, ".", "_" or "-"`);
    const entry: Record<string, unknown> = typeof value === 'string' ? (/^https?:\/\//.test(value) ? { url: value } : { socket: value }) : (value as Record<string, unknown>);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${where}: expected a socket path, a URL, or an object`);
    const unknown = Object.keys(entry).find((k) => !KEYS.has(k));
    if (unknown !== undefined) throw new Error(`${where}: unknown key ${JSON.stringify(unknown.slice(0, 40))} (known: socket, url, token_file, read_only)`);
    for (const key of ['socket', 'url', 'token_file'] as const) {
      if (entry[key] !== undefined && (typeof entry[key] !== 'string' || entry[key] === '')) throw new Error(`${where}: ${key} must be a non-empty string`);
    }
    if (entry.read_only !== undefined && typeof entry.read_only !== 'boolean') throw new Error(`${where}: read_only must be true or false`);
    const readOnly = entry.read_only === true;
    if ((entry.socket === undefined) === (entry.url === undefined)) throw new Error(`${where}: give either "socket" or "url"`);
    if (entry.socket !== undefined) {
      if (entry.token_file !== undefined) throw new Error(`${where}: token_file goes with url; a socket needs none`);
      contexts.set(name, { name, readOnly, socketPath: resolve(entry.socket as string) });
    } else {
      let url: string;
      try {
        url = checkHttpUrl(entry.url as string);
      } catch (err) {
        throw new Error(`${where}: ${(err as Error).message}`);
      }
      contexts.set(name, { name, readOnly, url, ...(entry.token_file !== undefined && { tokenFile: resolve(entry.token_file as string) }) });
    }
  }
  return contexts;
}

/** The contexts file's contexts; none when there is no file. Throws a sentence when it cannot be read or used. */
export function readContexts(file: string, home?: string): Map<string, HiveContext> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  return parseContexts(text, file, home);
}

/** What the command line asked for: a context by name, or a hive by socket or URL. */
export interface HiveChoice {
  context?: string;
  socketPath: string;
  url?: string;
  tokenFile?: string;
  readOnly: boolean;
}

/**
 * The contexts a console knows and the one it starts on. `--context` picks
 * one from the file; otherwise the hive on the command line (a URL, or the
 * socket) is a context of its own beside the file's, named after where it
 * is. Throws a sentence when `--context` names none.
 */
export function startingContext(choice: HiveChoice, file: Map<string, HiveContext>, fileName: string): { current: string; contexts: Map<string, HiveContext> } {
  if (choice.context !== undefined) {
    const picked = file.get(choice.context);
    if (!picked) {
      const known = [...file.keys()];
      throw new Error(`no context ${JSON.stringify(choice.context)} in ${fileName}${known.length ? ` (it has ${known.join(', ')})` : ''}`);
    }
    const contexts = new Map(file);
    if (choice.readOnly) contexts.set(picked.name, { ...picked, readOnly: true });
    return { current: picked.name, contexts };
  }
  const own: HiveContext = choice.url
    ? { name: new URL(choice.url).host, readOnly: choice.readOnly, url: choice.url, ...(choice.tokenFile !== undefined && { tokenFile: choice.tokenFile }) }
    : { name: 'local', readOnly: choice.readOnly, socketPath: choice.socketPath };
  return { current: own.name, contexts: new Map([...file, [own.name, own]]) };
}

/** Reading the hive config file and resolving paths against it and the flags. */
import fs from 'node:fs';
import path from 'node:path';
import { defaultRuntimeDir, defaultStateDir, parseHiveConfig, type HiveConfig } from '../protocol/index.js';

export interface ResolvedConfig {
  config: HiveConfig;
  stateDir: string;
  runtimeDir: string;
  http: string;
  /** The HTTP bearer token's file (absolute), when one is configured. */
  httpTokenFile?: string;
}

export interface ConfigFlags {
  stateDir?: string;
  runtimeDir?: string;
  http?: string;
  httpTokenFile?: string;
}

/** Read and validate `file`; a problem is a one-line sentence naming the file or field. */
export function loadConfigFile(file: string, flags: ConfigFlags = {}): { ok: true; value: ResolvedConfig } | { ok: false; error: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, error: `cannot read config ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `config ${file} is not valid JSON: ${(err as Error).message}` };
  }
  const parsed = parseHiveConfig(raw);
  if (!parsed.ok) return { ok: false, error: `${file}: ${parsed.error}` };
  if (flags.http !== undefined && flags.http !== 'off' && !/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(flags.http)) {
    return { ok: false, error: `--http: expected HOST:PORT or "off", got ${JSON.stringify(flags.http)}` };
  }
  const base = path.dirname(path.resolve(file));
  const config = resolveCommands(parsed.config, base);
  const fromFile = (p: string | undefined) => (p ? path.resolve(base, p) : undefined);
  return {
    ok: true,
    value: {
      config,
      stateDir: path.resolve(flags.stateDir ?? fromFile(config.state_dir) ?? defaultStateDir()),
      runtimeDir: path.resolve(flags.runtimeDir ?? fromFile(config.runtime_dir) ?? defaultRuntimeDir()),
      http: flags.http ?? config.http.listen,
      ...((flags.httpTokenFile ?? config.http.token_file) !== undefined && { httpTokenFile: path.resolve(flags.httpTokenFile ?? fromFile(config.http.token_file)!) }),
    },
  };
}

/** `./`- and `../`-prefixed words in agent commands are relative to the config file's folder. */
function resolveCommands(config: HiveConfig, base: string): HiveConfig {
  const fix = (command: string[]) => command.map((word) => (word.startsWith('./') || word.startsWith('../') ? path.resolve(base, word) : word));
  const agents = Object.fromEntries(Object.entries(config.agents).map(([name, a]) => [name, { ...a, command: fix(a.command) }]));
  return { ...config, agents, agent_template: { ...config.agent_template, command: fix(config.agent_template.command) } };
}

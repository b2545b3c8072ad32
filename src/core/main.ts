#!/usr/bin/env node
/** hyperhive-core: the headless daemon. */
import { fileURLToPath } from 'node:url';
import { packageVersion, parseCommandLine, type FlagSpecs } from '../protocol/command-line.js';
import { loadConfigFile } from './config-file.js';
import { startDaemon } from './daemon.js';

const USAGE = `usage: hyperhive-core --config FILE [--state-dir DIR] [--runtime-dir DIR]
                      [--http HOST:PORT|off] [--http-token-file FILE]
       hyperhive-core --version

Runs the hive described by FILE: the sqlite store, the message broker, approvals,
questions, reminders, stats and event channels, served on <runtime>/host.sock
(operator API), <runtime>/host-ro.sock (read-only), one socket per agent, and
HTTP + SSE on --http (default 127.0.0.1:7000; port 0 picks a free one). Approving
and answering over HTTP needs a bearer token from --http-token-file, and so does
a listen address beyond loopback. Flags override the file. SIGTERM or SIGINT
stops it cleanly.`;

const FLAGS = {
  config: { type: 'string', shortFlag: 'c' },
  stateDir: { type: 'string' },
  runtimeDir: { type: 'string' },
  http: { type: 'string' },
  httpTokenFile: { type: 'string' },
} as const satisfies FlagSpecs;

function fail(message: string, code = 2): never {
  process.stderr.write(`hyperhive-core: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const parsed = parseCommandLine(process.argv.slice(2), FLAGS);
  if (!parsed.ok) fail(`${parsed.error}\n${USAGE}`);
  const { flags: values, input } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.version) {
    process.stdout.write(`hyperhive-core ${packageVersion()}\n`);
    return;
  }
  if (input.length > 0) fail(`unexpected argument ${JSON.stringify(input[0])}\n${USAGE}`);
  if (!values.config) fail(`--config is required\n${USAGE}`);
  const loaded = loadConfigFile(values.config, { stateDir: values.stateDir, runtimeDir: values.runtimeDir, http: values.http, httpTokenFile: values.httpTokenFile });
  if (!loaded.ok) fail(loaded.error, 1);
  const { config, stateDir, runtimeDir, http, httpTokenFile } = loaded.value;

  let daemon;
  try {
    daemon = await startDaemon({
      config,
      stateDir,
      runtimeDir,
      agentEntry: fileURLToPath(new URL('../agent/main.js', import.meta.url)),
      version: packageVersion(),
      http: { listen: http, ...(httpTokenFile !== undefined && { tokenFile: httpTokenFile }) },
    });
  } catch (err) {
    fail((err as Error).message, 1);
  }
  process.stderr.write(
    `hyperhive-core: hive "${config.name}" ready on ${daemon.hostSocket} (state ${stateDir}, backend ${config.backend}, ${daemon.hive.agentNames().length} agents, http ${daemon.httpUrl ?? 'off'}${daemon.httpUrl && httpTokenFile ? ' (decisions with the token)' : daemon.httpUrl ? ' (read-only)' : ''})\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`hyperhive-core: ${signal}, stopping\n`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    daemon.close().then(
      () => process.exit(0),
      (err) => fail(`error while stopping: ${(err as Error).message}`, 1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();

#!/usr/bin/env node
/** hyperhive-core: the headless daemon. */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from './config-file.js';
import { startDaemon } from './daemon.js';

const USAGE = `usage: hyperhive-core --config FILE [--state-dir DIR] [--runtime-dir DIR] [--http HOST:PORT|off]

Runs the hive described by FILE: the sqlite store, the message broker, approvals,
questions, reminders, stats and event channels, served on <runtime>/host.sock
(operator API), <runtime>/host-ro.sock (read-only) and one socket per agent.
Flags override the file. SIGTERM or SIGINT stops it cleanly.`;

function fail(message: string, code = 2): never {
  process.stderr.write(`hyperhive-core: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        'state-dir': { type: 'string' },
        'runtime-dir': { type: 'string' },
        http: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.config) fail(`--config is required\n${USAGE}`);
  const loaded = loadConfigFile(values.config, { stateDir: values['state-dir'], runtimeDir: values['runtime-dir'], http: values.http });
  if (!loaded.ok) fail(loaded.error, 1);
  const { config, stateDir, runtimeDir, http } = loaded.value;

  let daemon;
  try {
    daemon = await startDaemon({
      config,
      stateDir,
      runtimeDir,
      agentEntry: fileURLToPath(new URL('../agent/main.js', import.meta.url)),
    });
  } catch (err) {
    fail((err as Error).message, 1);
  }
  process.stderr.write(
    `hyperhive-core: hive "${config.name}" ready on ${daemon.hostSocket} (state ${stateDir}, backend ${config.backend}, ${daemon.hive.agentNames().length} agents${http === 'off' ? '' : `, http ${http} not served by this build`})\n`,
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

/**
 * Test support: the real daemon in a process of its own, on a hand-moved
 * clock, so a test can kill it the hardest way mid-delivery and start
 * another on the same state. Argv: CONFIG_JSON STATE_DIR RUNTIME_DIR
 * START_MS. Prints `ready HOST_SOCKET` once listening; each stdin line
 * `set MS` moves the clock (firing what falls due).
 */
import readline from 'node:readline';
import { startDaemon } from '../daemon.js';
import { parseHiveConfig } from '../../protocol/index.js';
import { ManualClock } from './manual-clock.js';

const [configJson, stateDir, runtimeDir, startMs, agentEntry] = process.argv.slice(2);
const parsed = parseHiveConfig(JSON.parse(configJson!));
if (!parsed.ok) throw new Error(parsed.error);
const clock = new ManualClock(Number(startMs));
const daemon = await startDaemon({ config: parsed.config, stateDir: stateDir!, runtimeDir: runtimeDir!, agentEntry: agentEntry!, clock, log: () => {} });
process.stdout.write(`ready ${daemon.hostSocket}\n`);
for await (const line of readline.createInterface({ input: process.stdin })) {
  const [verb, ms] = line.split(' ');
  if (verb === 'set') clock.set(Number(ms));
}
await daemon.close();

/**
 * A stand-in for N busy harnesses (its own process, so its CPU is not the
 * console's): each agent emits realistic claude stream events to its agent
 * socket at a fixed rate. argv: runtimeDir agentsCsv eventsPerSecondPerAgent [row-changes]
 * Prints one JSON line per second: {"sent": total}.
 */
import path from 'node:path';
import { JsonlConnection } from '../../src/protocol/light.js';
import { sampleEvent } from './sample-events.js';

const [runtimeDir, agentsCsv, rateArg, mode] = process.argv.slice(2);
const rowChanges = mode === 'row-changes';
const agents = agentsCsv!.split(',');
const rate = Number(rateArg);
const TICK_MS = 50;

const conns = await Promise.all(agents.map((a) => JsonlConnection.connect(path.join(runtimeDir!, 'agents', a, 'mcp.sock'))));
let sent = 0;
let n = 0;
const perTick = (rate * TICK_MS) / 1000;
let carry = 0;
setInterval(() => {
  carry += perTick;
  const count = Math.floor(carry);
  carry -= count;
  if (count === 0) return;
  for (const conn of conns) {
    const events = Array.from({ length: count }, () => sampleEvent(n++, rowChanges));
    void conn.request({ cmd: 'emit', events }).then((r) => {
      if (r.ok === true) sent += count;
    });
  }
}, TICK_MS);
setInterval(() => process.stdout.write(`${JSON.stringify({ sent })}\n`), 1000);

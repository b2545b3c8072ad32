/**
 * The latency floor for core-status: a trivial Unix-socket server in its own
 * process that answers every line with a fixed response of a given size. It
 * shows what one connect/request/response costs on this machine before the
 * core does any work. Usage: node floor-server.js SOCKET BYTES (prints "ready").
 */
import net from 'node:net';
import { rmSync } from 'node:fs';

const [socketPath, bytesArg] = process.argv.slice(2);
if (!socketPath) throw new Error('usage: floor-server.js SOCKET BYTES');
const filler = Math.max(0, Number(bytesArg ?? 1000) - 40);
const response = Buffer.from(`{"version":1,"ok":true,"filler":"${'x'.repeat(filler)}"}\n`);
rmSync(socketPath, { force: true });
net
  .createServer((socket) => {
    socket.on('data', () => socket.write(response));
    socket.on('error', () => {});
  })
  .listen(socketPath, () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));

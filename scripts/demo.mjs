#!/usr/bin/env node
// npm start: run the demo hive (fixtures/demo-hive.json: a manager and two workers driven by
// fake-claude) on the process backend, with state under ./.hyperhive/, then open the operator
// console on it (hyperhive-tui when built, else `hyperhive watch`). Ctrl-C stops everything it
// started. Each run starts fresh; `npm start -- --keep` continues the previous demo's state.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (...p) => path.join(root, 'dist', 'src', ...p);
const work = path.join(root, '.hyperhive');
const stateDir = path.join(work, 'state');
const runtimeDir = path.join(work, 'run');
const hostSock = path.join(runtimeDir, 'host.sock');
const coreLog = path.join(work, 'core.log');
const config = path.join(root, 'fixtures', 'demo-hive.json');
const keep = process.argv.includes('--keep');

function say(line) {
  process.stderr.write(`demo: ${line}\n`);
}

if (!fs.existsSync(dist('core', 'main.js')) || !fs.existsSync(dist('agent', 'main.js'))) {
  say('building first (npm run build)…');
  const built = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (!fs.existsSync(dist('core', 'main.js'))) {
    say(`the build did not produce dist/src/core/main.js (tsc exit ${built.status}); run \`npm run build\` and read its errors`);
    process.exit(1);
  }
}

if (!keep) fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const logFd = fs.openSync(coreLog, 'a');
const core = spawn(process.execPath, [dist('core', 'main.js'), '--config', config, '--state-dir', stateDir, '--runtime-dir', runtimeDir], {
  stdio: ['ignore', logFd, logFd],
  // Its own process group: Ctrl-C reaches the console, and this script stops the core in order.
  detached: true,
});
fs.closeSync(logFd);
let coreExit = null;
const coreExited = new Promise((resolve) => core.once('exit', (code, signal) => resolve((coreExit = { code, signal }))));

let console_ = null;
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  if (console_ && console_.exitCode === null) console_.kill('SIGTERM');
  if (!coreExit) {
    say('stopping the hive…');
    core.kill('SIGTERM');
    const timer = setTimeout(() => core.kill('SIGKILL'), 15_000);
    await coreExited;
    clearTimeout(timer);
  }
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function answers(sock) {
  return new Promise((resolve) => {
    const c = net.createConnection(sock);
    c.once('connect', () => {
      c.write('{"cmd":"list"}\n');
    });
    c.once('data', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

const deadline = Date.now() + 20_000;
for (;;) {
  if (coreExit) {
    say(`hyperhive-core exited (${coreExit.signal ?? `code ${coreExit.code}`}); its log, ${path.relative(process.cwd(), coreLog)}, ends with:`);
    process.stderr.write(fs.readFileSync(coreLog, 'utf8').split('\n').slice(-15).join('\n') + '\n');
    process.exit(1);
  }
  if (fs.existsSync(hostSock) && (await answers(hostSock))) break;
  if (Date.now() > deadline) {
    say(`hyperhive-core did not answer on ${hostSock} within 20 s; see ${coreLog}`);
    await stopAll(1);
  }
  await new Promise((r) => setTimeout(r, 100));
}

say(`hive "demo" is up: ${hostSock} (core log: ${path.relative(process.cwd(), coreLog)})`);
say(`try: HYPERHIVE_SOCKET=${hostSock} node dist/src/cli/main.js pending`);
const httpListen = JSON.parse(fs.readFileSync(config, 'utf8')).http?.listen;
if (httpListen && httpListen !== 'off') say(`over HTTP: curl http://${httpListen}/api/state, or node dist/bundle/hyperhive-tui.mjs --url http://${httpListen}`);
const env = { ...process.env, HYPERHIVE_SOCKET: hostSock };
const interactive = process.stdin.isTTY && process.stdout.isTTY;
// The bundled console starts fastest; its heap flags are the ones the hyperhive-tui bin uses.
const tuiBundle = path.join(root, 'dist', 'bundle', 'hyperhive-tui.mjs');
const tuiEntry = fs.existsSync(tuiBundle) ? tuiBundle : dist('tui', 'main.js');
if (interactive && fs.existsSync(tuiEntry)) {
  console_ = spawn(process.execPath, ['--max-semi-space-size=8', '--max-old-space-size=128', tuiEntry, '--socket', hostSock], { stdio: 'inherit', env });
} else if (fs.existsSync(dist('cli', 'main.js'))) {
  say(`${interactive ? 'no TUI built yet' : 'not a terminal'}; following the hive with \`hyperhive watch\` (Ctrl-C stops the demo)`);
  console_ = spawn(process.execPath, [dist('cli', 'main.js'), 'watch', '--socket', hostSock], { stdio: 'inherit', env });
} else {
  say('no console built yet; the hive runs until Ctrl-C');
}
if (console_) {
  console_.once('exit', (code) => {
    if (!stopping) void stopAll(code ?? 0);
  });
}
coreExited.then(() => {
  if (!stopping) {
    say(`hyperhive-core stopped unexpectedly; see ${coreLog}`);
    void stopAll(1);
  }
});

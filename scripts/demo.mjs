#!/usr/bin/env node
// npm start: run the demo hive (fixtures/demo-hive.json: a manager and two workers driven by
// fake-claude) on the process backend, with state under ./.hyperhive/, then open the operator
// console on it (hyperhive-tui when built, else `hyperhive watch`).
//
// The console outlives the core: when hyperhive-core stops, the console shows its data as stale
// and says it is reconnecting, this script starts the core again (with backoff) and the console
// resumes. Quitting the console stops the hive (the console asks first: it runs with --demo);
// Ctrl-C in the console quits at once. While the console owns the terminal this script writes
// nothing to it; what it did goes to .hyperhive/demo.log and is repeated when the console exits.
//
// Options: --keep continues the previous demo's state instead of starting fresh; --dir DIR keeps the
// demo's files in DIR instead of ./.hyperhive; --no-http leaves the core's HTTP listener off.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (...p) => path.join(root, 'dist', 'src', ...p);
const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const work = path.resolve(option('--dir') ?? path.join(root, '.hyperhive'));
const stateDir = path.join(work, 'state');
const runtimeDir = path.join(work, 'run');
const hostSock = path.join(runtimeDir, 'host.sock');
const coreLog = path.join(work, 'core.log');
const demoLog = path.join(work, 'demo.log');
const config = path.join(root, 'fixtures', 'demo-hive.json');
const keep = argv.includes('--keep');
const coreArgs = argv.includes('--no-http') ? ['--http', 'off'] : [];
/** Restart backoff for a core that stopped: 0.5 s doubling to 10 s; a core that ran 30 s starts the count again. */
const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 10_000;
const STABLE_MS = 30_000;

/** While the console owns the terminal, lines go to demo.log only and are repeated when it exits. */
let consoleOwnsTerminal = false;
const heldLines = [];
function say(line) {
  const text = `demo: ${line}\n`;
  fs.appendFileSync(demoLog, `${new Date().toISOString()} ${text}`);
  if (consoleOwnsTerminal) heldLines.push(text);
  else process.stderr.write(text);
}

if (!fs.existsSync(dist('core', 'main.js')) || !fs.existsSync(dist('agent', 'main.js'))) {
  process.stderr.write('demo: building first (npm run build)…\n');
  const built = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (!fs.existsSync(dist('core', 'main.js'))) {
    process.stderr.write(`demo: the build did not produce dist/src/core/main.js (tsc exit ${built.status}); run \`npm run build\` and read its errors\n`);
    process.exit(1);
  }
}

if (!keep) fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

/** The running core: its process and a promise of its exit. */
let core = null;
let console_ = null;
let stopping = false;
let restartTimer = null;
let restartDelay = RESTART_FIRST_MS;

function startCore() {
  const logFd = fs.openSync(coreLog, 'a');
  const proc = spawn(process.execPath, [dist('core', 'main.js'), '--config', config, '--state-dir', stateDir, '--runtime-dir', runtimeDir, ...coreArgs], {
    stdio: ['ignore', logFd, logFd],
    // Its own process group: Ctrl-C reaches the console, and this script stops the core in order.
    detached: true,
  });
  fs.closeSync(logFd);
  const started = Date.now();
  const running = { proc, exit: null };
  running.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve((running.exit = { code, signal }))));
  running.exited.then(() => {
    if (stopping || core !== running) return;
    if (Date.now() - started >= STABLE_MS) restartDelay = RESTART_FIRST_MS;
    const how = running.exit.signal ?? `code ${running.exit.code}`;
    say(`hyperhive-core stopped (${how}); starting it again in ${(restartDelay / 1000).toFixed(1)} s (its log: ${path.relative(process.cwd(), coreLog)})`);
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (stopping) return;
      core = startCore();
      say(`hyperhive-core started again (pid ${core.proc.pid})`);
    }, restartDelay);
    restartDelay = Math.min(restartDelay * 2, RESTART_MAX_MS);
  });
  return running;
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  clearTimeout(restartTimer);
  if (console_ && console_.exitCode === null && console_.signalCode === null) console_.kill('SIGTERM');
  if (core && !core.exit) {
    say('stopping the hive…');
    core.proc.kill('SIGTERM');
    const timer = setTimeout(() => core.proc.kill('SIGKILL'), 15_000);
    await core.exited;
    clearTimeout(timer);
  }
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
// The terminal went away (an ssh link dropped): stop what the demo started rather than leave it running.
process.on('SIGHUP', () => void stopAll(129));

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

core = startCore();
const deadline = Date.now() + 20_000;
for (;;) {
  // The first start must work: a core that cannot start (a broken config, a busy runtime dir) is not retried.
  if (core.exit) {
    const how = core.exit.signal ?? `code ${core.exit.code}`;
    process.stderr.write(`demo: hyperhive-core exited (${how}); its log, ${path.relative(process.cwd(), coreLog)}, ends with:\n`);
    process.stderr.write(fs.readFileSync(coreLog, 'utf8').split('\n').slice(-15).join('\n') + '\n');
    stopping = true;
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
if (httpListen && httpListen !== 'off' && coreArgs.length === 0) say(`over HTTP: curl http://${httpListen}/api/state, or node dist/bundle/hyperhive-tui.mjs --url http://${httpListen}`);
const env = { ...process.env, HYPERHIVE_SOCKET: hostSock };
const interactive = process.stdin.isTTY && process.stdout.isTTY;
// The bundled console starts fastest; its heap flags are the ones the hyperhive-tui bin uses.
const tuiBundle = path.join(root, 'dist', 'bundle', 'hyperhive-tui.mjs');
const tuiEntry = fs.existsSync(tuiBundle) ? tuiBundle : dist('tui', 'main.js');
if (interactive && fs.existsSync(tuiEntry)) {
  consoleOwnsTerminal = true;
  console_ = spawn(process.execPath, ['--max-semi-space-size=8', '--max-old-space-size=128', tuiEntry, '--socket', hostSock, '--demo'], { stdio: 'inherit', env });
} else if (fs.existsSync(dist('cli', 'main.js'))) {
  say(`${interactive ? 'no TUI built yet' : 'not a terminal'}; following the hive with \`hyperhive watch\` (Ctrl-C stops the demo)`);
  console_ = spawn(process.execPath, [dist('cli', 'main.js'), 'watch', '--socket', hostSock], { stdio: 'inherit', env });
} else {
  say('no console built yet; the hive runs until Ctrl-C');
}
if (console_) {
  console_.once('exit', (code, signal) => {
    consoleOwnsTerminal = false;
    for (const line of heldLines.splice(0)) process.stderr.write(line);
    if (!stopping) void stopAll(code ?? (signal ? 1 : 0));
  });
}

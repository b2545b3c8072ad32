/**
 * End to end: the compiled hyperhive-tui in tmux attached to the real core
 * by --url (HTTP + SSE): the roster and a live agent stream, mutations
 * refused without a token, a decision over HTTP in a context with one, and
 * switching hives with :ctx while each keeps its state.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entries, repoRoot, startCore, waitFor, type RunningCore } from '../testing/hive.js';
import { hasTmux, tmuxTerminal } from '../testing/tmux.js';
import type { Approval } from '../protocol/index.js';

const bundle = path.join(repoRoot, 'dist', 'bundle', 'hyperhive-tui.mjs');
const tuiEntry = fs.existsSync(bundle) ? bundle : entries.tui;
const tmuxSocket = `hh-tui-http-${process.pid}`;
const TOKEN = '5f0e8d7c6b5a49382716a5b4c3d2e1f0';
let core: RunningCore | undefined;

after(async () => {
  kill();
  await core?.cleanup();
});

const { tmux, screen, press, type, waitScreen, kill } = tmuxTerminal(tmuxSocket);

/** Run a `:` command line, waiting for the input to open first. */
async function command(line: string): Promise<void> {
  press(':');
  await waitScreen(/^: \[/m, 'the command line');
  type(line);
  await waitScreen(new RegExp(`^: \\[${line}`, 'm'), `"${line}" typed`);
  press('Enter');
}

test('the console attached by --url: roster, live stream, read-only without a token, decisions with one, :ctx', { skip: hasTmux ? false : 'tmux is not installed' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hh-tuih-'));
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  core = await startCore({ dir, http: '127.0.0.1:0', config: { manager: 'boss', agents: { boss: {}, iris: { parent: 'boss' } } }, args: ['--http-token-file', tokenFile] });
  const running = core;
  t.after(async () => {
    kill();
    await core?.cleanup();
    core = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const url = running.httpUrl!;
  const configHome = path.join(running.dir, 'config');
  fs.mkdirSync(path.join(configHome, 'hyperhive'), { recursive: true });
  fs.writeFileSync(
    path.join(configHome, 'hyperhive', 'contexts.json'),
    JSON.stringify({ admin: { url, token_file: tokenFile }, sock: running.hostSocket }),
  );
  const spawn = (await running.request<{ id: number }>({ cmd: 'request_spawn', name: 'scout' })).id;
  const approval = async () => (await running.request<{ approval: Approval }>({ cmd: 'approval', id: spawn })).approval;

  const tuiErr = path.join(running.dir, 'tui.stderr');
  tmux('new-session', '-d', '-s', 'tui', '-x', '120', '-y', '30', `XDG_CONFIG_HOME=${configHome} ${process.execPath} ${tuiEntry} --url ${url} --no-bell 2>${tuiErr}; echo "hyperhive-tui exited with $?"; sleep 600`);
  await waitFor(() => /READ-ONLY\] · ● live(?=[\s\S]*boss)(?=[\s\S]*iris)/.test(screen()), { timeoutMs: 20_000, what: 'the roster over SSE, read-only' }).catch((err: Error) => {
    throw new Error(`${err.message}\n--- screen ---\n${screen()}\n--- stderr ---\n${fs.existsSync(tuiErr) ? fs.readFileSync(tuiErr, 'utf8') : ''}`);
  });
  assert.match(screen(), new RegExp(`⟨${new URL(url).host.replace(/\./g, '\\.')}⟩`), 'the header names the hive the console shows');
  assert.doesNotMatch(screen().split('\n').at(-2)!, / m msg| p pause/, 'no mutation is offered');

  // A live stream over SSE: open iris's stream, then iris says something.
  press('j');
  await waitScreen(/^› .*└ iris/m, 'iris selected');
  press('Enter');
  await waitScreen(/iris ⇣ following/, 'the stream view');
  await running.agentRequest('iris', { cmd: 'emit', events: [{ kind: 'stream', data: { type: 'assistant', message: { content: [{ type: 'text', text: 'hello over server-sent events' }] } } }] });
  await waitScreen(/hello over server-sent events/, 'the live line');

  // Without a token: the approval is listed, approving it is refused and nothing changes.
  press('2');
  await waitScreen(new RegExp(`approval #${spawn}\\b`), 'the approval in the queue');
  press('a');
  await waitScreen(/read-only: actions are hidden/, 'the refusal');
  assert.equal((await approval()).status, 'pending');

  // A context with the token: decisions go over HTTP.
  await command('ctx admin');
  await waitScreen(/⟨admin⟩.* \[DECISIONS ONLY\] · ● live/, 'the admin context, live');
  press('2');
  await waitScreen(new RegExp(`approval #${spawn}\\b`), 'the approval in the admin context');
  press('a');
  await waitScreen(new RegExp(`approve #${spawn}\\? \\[y/N\\]`), 'the confirm line');
  press('y');
  await waitFor(async () => (await approval()).status === 'approved', { what: 'approved over HTTP' });
  assert.equal((await approval()).resolved_by, 'http:127.0.0.1');
  press('1');
  await waitScreen(/STATE\s+AGENT/, 'the roster');
  press('m');
  await waitScreen(/over HTTP only approve, deny, answer and cancel are offered/, 'no message over HTTP');

  // The socket context offers everything; the first hive kept its state and link meanwhile.
  await command('ctx sock');
  await waitScreen(/⟨sock⟩.* · ● live[\s\S]* m msg/, 'the socket context with its mutations');
  await command(`ctx ${new URL(url).host}`);
  await waitScreen(/READ-ONLY\] · ● live[^\n]*\/3 agents running/, 'back on the first hive, live and current (scout was spawned meanwhile)');
  assert.equal(fs.readFileSync(tuiErr, 'utf8'), '', 'nothing on stderr');
});

/** The ctl's command runner: argv in, output and an exit code out; all effects go through `CliIo`. */
import { JsonlConnection, ConnectError, UnreadableAnswerError } from '../protocol/client.js';
import { httpRequest, readTokenFile, type HttpTarget } from '../protocol/http-client.js';
import { sseTransport } from '../protocol/sse-transport.js';
import type { SubscriptionTransport } from '../protocol/subscription.js';
import { resolveHostSocket } from '../protocol/paths.js';
import { parseArgs, SYNOPSIS } from './args.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { helpText } from './help.js';
import { buildRequest, type RequestCommand } from './request.js';
import { renderResponse, inboxMessages } from './render-response.js';
import { cell, terminalSafeJson } from './format.js';
import { renderEvent } from './format-events.js';
import { renderInbox } from './format-operator.js';
import { watchDashboard } from './watch.js';
import { runLogin } from './login.js';

/** Exit codes: 0 ok, 1 the core refused, 2 the core is unreachable or the command line is wrong. */
export const EXIT = { ok: 0, refused: 1, unreachable: 2, usage: 2 } as const;

const REQUEST_TIMEOUT_MS = 30_000;

/** Run one ctl invocation; resolves with the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.err(`hyperhive: ${parsed.error}`);
    io.err(SYNOPSIS);
    return EXIT.usage;
  }
  const { command, json } = parsed.invocation;
  const socketPath = resolveHostSocket(parsed.invocation.socket, io.env);
  const socketOrigin = parsed.invocation.socket ? '--socket' : io.env.HYPERHIVE_SOCKET ? '$HYPERHIVE_SOCKET' : 'the default path';

  if (command.verb === 'help') {
    for (const line of helpText()) io.out(line);
    return EXIT.ok;
  }
  if (command.verb === 'version') {
    io.out(json ? terminalSafeJson({ version: io.version() }) : `hyperhive ${io.version()}`);
    return EXIT.ok;
  }
  if (parsed.invocation.url !== undefined) {
    let target: HttpTarget;
    try {
      target = { url: parsed.invocation.url, ...(parsed.invocation.tokenFile !== undefined && { token: readTokenFile(parsed.invocation.tokenFile) }) };
    } catch (err) {
      io.err(`hyperhive: ${(err as Error).message}`);
      return EXIT.usage;
    }
    return runOverHttp(command, json, target, io);
  }
  if (command.verb === 'watch') return runWatch(command, json, socketPath, socketOrigin, io);

  let resolved: RequestCommand | Extract<Command, { verb: 'login' }> = command;
  if ((command.verb === 'send' || command.verb === 'answer' || command.verb === 'schedule') && command.text === '-') {
    const text = (await io.readStdin()).replace(/\r?\n$/, '');
    if (text.trim() === '') {
      io.err(`hyperhive: ${{ send: 'message', answer: 'answer', schedule: 'prompt' }[command.verb]} text from stdin is empty`);
      return EXIT.usage;
    }
    resolved = { ...command, text };
  }

  const confirmed = await confirmDestruction(resolved, io);
  if (confirmed !== null) return confirmed;

  let conn: JsonlConnection;
  try {
    conn = await JsonlConnection.connect(socketPath, { timeoutMs: 5000 });
  } catch (err) {
    io.err(`hyperhive: ${unreachable(err, socketPath)} (socket from ${socketOrigin})`);
    return EXIT.unreachable;
  }
  try {
    if (resolved.verb === 'login') {
      return await runLogin((request) => exchange(conn, request, socketPath), resolved.agent, resolved.code, json, io);
    }
    const response = await exchange(conn, buildRequest(resolved, io.actor(), io.now() / 1000), socketPath);
    if (response.ok !== true) return refused(response, json, io);
    if (resolved.verb === 'inbox' && resolved.markRead) {
      return await inboxAndMarkRead(conn, response, json, socketPath, io);
    }
    if (resolved.verb === 'approval' || resolved.verb === 'diff') return await wholeDiff(conn, resolved, response, json, socketPath, io);
    if (resolved.verb === 'recap' && resolved.since === undefined) {
      // Shown since the last look: now this is the last look (as of the recap's end, so nothing after it is skipped).
      const seen = await exchange(conn, { cmd: 'mark_seen', at: response.until, actor: io.actor() }, socketPath);
      if (seen.ok !== true) return refused(seen, json, io);
      if (json) {
        io.out(terminalSafeJson(response));
        io.out(terminalSafeJson(seen));
      } else for (const line of renderResponse(resolved, response, io)) io.out(line);
      return EXIT.ok;
    }
    if (json) io.out(terminalSafeJson(response));
    else for (const line of renderResponse(resolved, response, io)) io.out(line);
    return EXIT.ok;
  } catch (err) {
    io.err(`hyperhive: ${(err as Error).message}`);
    return EXIT.unreachable;
  } finally {
    conn.close();
  }
}

/**
 * Purging removes an agent's state for good: asked on the terminal first
 * (only `y` goes on), or said with `--yes`. Null to go on, else the exit code.
 */
async function confirmDestruction(command: Command, io: CliIo): Promise<number | null> {
  const name = command.verb === 'purge' ? command.name : command.verb === 'destroy' && command.purge ? command.agent : null;
  if (name === null || (command as { yes?: boolean }).yes) return null;
  if (!io.ask) {
    io.err(`hyperhive: ${command.verb === 'purge' ? 'purge' : 'destroy --purge'} removes ${name}'s state (config repos, notes, history) for good; add --yes to confirm (there is no terminal to ask on)`);
    return EXIT.usage;
  }
  if (await io.ask(`remove ${name}'s state (config repos, notes, history) for good? [y/N] `)) return null;
  io.err('hyperhive: nothing removed');
  return EXIT.refused;
}

/** The rest of a diff the core sent in pages: asked for page by page, then printed whole (or each page verbatim with --json). */
async function wholeDiff(conn: JsonlConnection, command: RequestCommand, first: Record<string, unknown>, json: boolean, socketPath: string, io: CliIo): Promise<number> {
  const pages = [first];
  const holder = (r: Record<string, unknown>) => (command.verb === 'approval' ? (r.approval as Record<string, unknown>) : r);
  for (let next = holder(first)?.diff_next; typeof next === 'number'; next = holder(pages.at(-1)!)?.diff_next) {
    const page = await exchange(conn, { ...buildRequest(command, io.actor()), diff_from: next }, socketPath);
    if (page.ok !== true) return refused(page, json, io);
    pages.push(page);
  }
  if (json) {
    for (const page of pages) io.out(terminalSafeJson(page));
    return EXIT.ok;
  }
  const whole = { ...holder(first), diff: pages.map((p) => holder(p)?.diff ?? '').join('') };
  const merged = command.verb === 'approval' ? { ...first, approval: whole } : whole;
  for (const line of renderResponse(command, merged, io)) io.out(line);
  return EXIT.ok;
}

/** One request with a deadline; a dropped connection or silence is an error naming the socket. */
async function exchange(conn: JsonlConnection, request: object, socketPath: string): Promise<Record<string, unknown>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${socketPath} within ${REQUEST_TIMEOUT_MS / 1000} s`)), REQUEST_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      conn.request(request).catch((err: unknown) => {
        if (err instanceof UnreadableAnswerError) throw err;
        throw new Error(`the core at ${socketPath} closed the connection before answering`);
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function refused(response: Record<string, unknown>, json: boolean, io: CliIo): number {
  if (json) io.out(terminalSafeJson(response));
  const error = typeof response.error === 'string' ? response.error : 'the core refused the request';
  io.err(`hyperhive: ${cell(error)}`);
  return EXIT.refused;
}

async function inboxAndMarkRead(
  conn: JsonlConnection,
  inbox: Record<string, unknown>,
  json: boolean,
  socketPath: string,
  io: CliIo,
): Promise<number> {
  const messages = inboxMessages(inbox);
  const unread = messages.filter((m) => !m.read).map((m) => m.id);
  let marked: Record<string, unknown> | null = null;
  if (unread.length > 0) {
    marked = await exchange(conn, { cmd: 'mark_read', ids: unread, actor: io.actor() }, socketPath);
    if (marked.ok !== true) {
      if (!json) for (const line of renderInbox(messages, io.now() / 1000, io.columns)) io.out(line);
      return refused(marked, json, io);
    }
  }
  if (json) {
    io.out(terminalSafeJson(inbox));
    if (marked) io.out(terminalSafeJson(marked));
  } else {
    for (const line of renderInbox(messages, io.now() / 1000, io.columns)) io.out(line);
    io.out(unread.length === 0 ? 'nothing unread' : `marked ${unread.length} read`);
  }
  return EXIT.ok;
}

/** The sentence for a failed connect. */
function unreachable(err: unknown, socketPath: string): string {
  return err instanceof ConnectError ? err.message : `cannot connect to ${socketPath}: ${(err as Error).message}`;
}

/** A read verb or `watch` over the core's HTTP API (the argument table lets no other verb through with --url). */
async function runOverHttp(command: Command, json: boolean, target: HttpTarget, io: CliIo): Promise<number> {
  if (command.verb === 'watch') return runWatch(command, json, target.url, '--url', io, sseTransport(target));
  let response: Record<string, unknown>;
  try {
    response = await httpRequest(target, buildRequest(command as RequestCommand, io.actor()), { timeoutMs: REQUEST_TIMEOUT_MS });
  } catch (err) {
    io.err(`hyperhive: ${(err as Error).message}`);
    return EXIT.unreachable;
  }
  if (response.ok !== true) return refused(response, json, io);
  if (json) io.out(terminalSafeJson(response));
  else for (const line of renderResponse(command as RequestCommand, response, io)) io.out(line);
  return EXIT.ok;
}

async function runWatch(
  command: Extract<Command, { verb: 'watch' }>,
  json: boolean,
  socketPath: string,
  socketOrigin: string,
  io: CliIo,
  transport?: SubscriptionTransport,
): Promise<number> {
  const result = await watchDashboard({
    socketPath,
    ...(transport && { transport }),
    ...(command.kinds !== undefined && { kinds: command.kinds }),
    ...(command.since !== undefined && { since: command.since }),
    onEvent: (ev) => io.out(json ? terminalSafeJson(ev) : renderEvent(ev)),
    notice: (text) => io.err(`hyperhive: ${text}`),
    interrupted: io.interrupted(),
  });
  switch (result.kind) {
    case 'ok':
      return EXIT.ok;
    case 'refused':
      return refused(result.response, json, io);
    case 'unreachable':
      io.err(`hyperhive: ${result.message}${transport ? '' : ` (socket from ${socketOrigin})`}`);
      return EXIT.unreachable;
  }
}

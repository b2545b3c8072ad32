/** The ctl's command runner: argv in, output and an exit code out; all effects go through `CliIo`. */
import { JsonlConnection, ConnectError, UnreadableAnswerError } from '../protocol/client.js';
import { httpRequest, readTokenFile, type HttpTarget } from '../protocol/http-client.js';
import { sseTransport } from '../protocol/sse-transport.js';
import type { SubscriptionTransport } from '../protocol/subscription.js';
import { resolveHostSocket } from '../protocol/paths.js';
import type { AgentStatusRow, Approval, OperatorMessage, PermissionRule, Question, TurnStat } from '../protocol/records.js';
import type { Schedule } from '../protocol/schedules.js';
import type { ResourceSample } from '../protocol/resources.js';
import { parseArgs, SYNOPSIS, USAGE_LINES, type Command } from './args.js';
import { buildRequest, type RequestCommand } from './request.js';
import { cell, usd, terminalSafeJson, renderApproval, renderApprovals, renderConfigDiff, renderEvent, renderInbox, renderKept, renderQuestions, renderStats, renderStatus } from './format.js';
import type { KeptAgent } from '../protocol/records.js';
import { renderSchedules } from './format-schedules.js';
import { renderResources } from './format-resources.js';
import { watchDashboard } from './watch.js';
import { runLogin } from './login.js';
import { renderCost } from './spend-format.js';
import type { AgentCost, HiveSpend } from '../protocol/spend.js';
import { describeAddedRule, renderRules, renderToolCall } from './format-permissions.js';
import { renderSearch } from './format-search.js';
import { renderRecap } from './format-recap.js';
import { renderMessages } from './format-traffic.js';
import type { SearchHit, SearchTurn } from '../protocol/search.js';
import type { RecapAnswer } from '../protocol/recap.js';
import type { FlowMessage, Waiting } from '../protocol/traffic.js';

/** Exit codes: 0 ok, 1 the core refused, 2 the core is unreachable or the command line is wrong. */
export const EXIT = { ok: 0, refused: 1, unreachable: 2, usage: 2 } as const;

/** Everything the runner touches outside itself. */
export interface CliIo {
  /** Write one line to stdout. */
  out(line: string): void;
  /** Write one line to stderr. */
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Terminal width when stdout is a terminal. */
  columns?: number;
  /** Colour on stdout (a terminal, no NO_COLOR). */
  color?: boolean;
  /** Ask the operator a yes/no question on the terminal; absent when there is none to ask on. */
  ask?(prompt: string): Promise<boolean>;
  readStdin(): Promise<string>;
  /** The next line of stdin (null at its end); `login` reads the pasted code with it. */
  readLine(): Promise<string | null>;
  actor(): string;
  version(): string;
  /** A promise that resolves on Ctrl-C (only `watch` asks; other commands keep the default of dying). */
  interrupted(): Promise<void>;
}

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

/** The operator inbox from an `operator_inbox` response (`messages`, or `operator_inbox` as in the snapshot). */
function inboxMessages(response: Record<string, unknown>): OperatorMessage[] {
  const list = response.messages ?? response.operator_inbox;
  return Array.isArray(list) ? (list as OperatorMessage[]) : [];
}

function arrayField<T>(response: Record<string, unknown>, key: string): T[] {
  const value = response[key];
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Human lines for a successful response. */
export function renderResponse(command: RequestCommand, response: Record<string, unknown>, io: Pick<CliIo, 'now' | 'columns' | 'color'>): string[] {
  const now = io.now() / 1000;
  const width = io.columns;
  switch (command.verb) {
    case 'status':
      return renderStatus(arrayField<AgentStatusRow>(response, 'agent_statuses'), now, width);
    case 'list':
      return arrayField<string>(response, 'agents').map(cell);
    case 'pending':
      return renderApprovals(arrayField<Approval>(response, 'approvals'), now, width);
    case 'approval': {
      const approval = response.approval as Approval;
      return renderApproval(approval, now, io.color === true, renderToolCall(approval));
    }
    case 'questions':
      return renderQuestions(arrayField<Question>(response, 'questions'), now, width, command.all);
    case 'inbox': {
      const messages = inboxMessages(response);
      return [...renderInbox(messages, now, width), ...olderHint(response, messages, 'hyperhive inbox')];
    }
    case 'stats': {
      const stats = arrayField<TurnStat>(response, 'turn_stats');
      return [...renderStats(stats, now, width), ...olderHint(response, stats, `hyperhive stats${command.agent ? ` --agent ${command.agent}` : ''}`)];
    }
    case 'approve':
      return [`approved ${command.toolUseId ?? `#${command.id}`}${command.supersede ? ' (older config changes of its agent withdrawn)' : ''}`];
    case 'diff':
      return renderConfigDiff(command.agent, response, io.color === true);
    case 'kept':
      return renderKept(arrayField<KeptAgent>(response, 'kept'), now, width);
    case 'revive':
      return [`revival of ${command.name} queued as approval #${cell(response.id)} — hyperhive approve ${cell(response.id)}`];
    case 'purge':
      return [`purged ${command.name}`];
    case 'destroy':
      return [command.purge ? `destroyed and purged ${command.agent}` : `destroyed ${command.agent}; its state is kept (hyperhive kept, revive, purge)`];
    case 'deny':
      return [`denied ${command.toolUseId ?? `#${command.id}`}`];
    case 'rules':
      return renderRules(arrayField<PermissionRule>(response, 'rules'), now, width);
    case 'rule':
      return command.action === 'rm' ? [`removed rule #${command.id}`] : describeAddedRule(response, now);
    case 'answer':
      return [`answered question #${command.id}`];
    case 'cancel-question':
      return [`cancelled question #${command.id}`];
    case 'send':
      return [command.agent === '*' ? `broadcast from #${cell(response.id)} to ${typeof response.recipients === 'number' ? `${response.recipients} agents` : 'every agent'}` : `sent #${cell(response.id)} to ${command.agent}`];
    case 'pause':
      return [`paused ${command.agent}`];
    case 'resume':
      return [`resumed ${command.agent}`];
    case 'start':
    case 'stop': {
      const done = command.verb === 'start' ? 'started' : 'stopped';
      return [`${done} ${command.agents === 'all' ? 'all agents' : command.agents.join(', ')}`];
    }
    case 'restart':
      return [`restarted ${command.agent}`];
    case 'spawn':
      return [`spawn of ${command.name} queued as approval #${cell(response.id)} — hyperhive approve ${cell(response.id)}`];
    case 'search': {
      const hits = arrayField<SearchHit>(response, 'hits');
      const lines = renderSearch(hits, arrayField<SearchTurn>(response, 'turns'), now, width);
      const behind = typeof response.index_behind === 'number' && response.index_behind > 1000 ? [`(the index is still catching up: about ${response.index_behind} newer events are not searched yet)`] : [];
      const last = hits.at(-1)?.seq;
      const next = response.more === true && last !== undefined ? ['', `older hits: hyperhive search ${shellWords(command.query)}${command.agent ? ` --agent ${command.agent}` : ''} --before ${last}`] : [];
      const note = typeof response.note === 'string' ? [`(${cell(response.note)})`] : [];
      return [...lines, ...note, ...behind, ...next];
    }
    case 'recap':
      return renderRecap(response as unknown as RecapAnswer, now, width);
    case 'messages': {
      const messages = arrayField<FlowMessage>(response, 'messages');
      return [
        ...renderMessages(messages, arrayField<Waiting>(response, 'waiting'), now, width),
        ...olderHint(response, messages, `hyperhive messages${command.agent ? ` --agent ${command.agent}` : ''}`),
      ];
    }
    case 'control':
      return [`sent ${command.action}${command.model ? ` ${cell(command.model)}` : ''} to ${command.agent}`];
    case 'cost':
      return renderCost(response.spend as HiveSpend, arrayField<AgentCost>(response, 'agents'), width);
    case 'budget': {
      const scope = command.agent ?? 'the hive';
      const spend = response.spend as { daily_budget_usd?: number; per_turn_budget_usd?: number; today_usd: number };
      const limit = (v: number | undefined) => (v === undefined ? 'none' : usd(v));
      return [`budget of ${scope}: daily ${limit(spend.daily_budget_usd)}, per turn ${limit(spend.per_turn_budget_usd)} (spent today ${usd(spend.today_usd)})`];
    }
    case 'schedule':
      return [`schedule #${cell(response.schedule_id)} for ${command.agent} queued as approval #${cell(response.id)} — hyperhive approve ${cell(response.id)}`];
    case 'schedules':
      return renderSchedules(arrayField<Schedule>(response, 'schedules'), now, width, command.all);
    case 'pause-schedule':
      return [`paused schedule #${command.id}`];
    case 'resume-schedule':
      return [`resumed schedule #${command.id}`];
    case 'delete-schedule':
      return [`deleted schedule #${command.id}`];
    case 'resources':
      return renderResources(arrayField<ResourceSample>(response, 'agents'), typeof response.note === 'string' ? response.note : undefined, width);
  }
}

/** `text` as one shell word, quoted when it needs to be. */
function shellWords(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${cell(text).replaceAll("'", "'\\''")}'`;
}

/** When the core cut a page short (`more`), the command that shows the next one. */
function olderHint(response: Record<string, unknown>, items: { id?: unknown }[], command: string): string[] {
  const last = items.at(-1)?.id;
  if (response.more !== true || typeof last !== 'number') return [];
  return ['', `older ones: ${command} --before ${last}`];
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

/** `hyperhive help`. */
export function helpText(): string[] {
  const width = Math.max(...USAGE_LINES.map(([synopsis]) => synopsis.length));
  return [
    'hyperhive — the hive ctl (talks to hyperhive-core over its host socket)',
    '',
    'usage: hyperhive [--json] [--socket PATH | --url URL [--token-file FILE]] <command> [args]',
    '',
    ...USAGE_LINES.map(([synopsis, what]) => `  ${synopsis.padEnd(width)}  ${what}`),
    '',
    'options:',
    '  --json             print the core\'s response objects verbatim (one JSON object per line)',
    '  --socket PATH      host socket (default: $HYPERHIVE_SOCKET, else <runtime dir>/host.sock)',
    '  --url URL          the core\'s HTTP API instead (http://HOST:PORT): status, pending, approval, questions, stats, schedules, resources, watch',
    '  --token-file FILE  the bearer token, for a core that listens beyond loopback',
    '',
    'exit status: 0 ok, 1 the core refused (its reason is printed), 2 core unreachable or bad usage',
  ];
}

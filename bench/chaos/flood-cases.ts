/**
 * One agent against everyone else, at the sizes of the hardening issue:
 * four chaos cases, each on its own core (each has a module exporting its
 * `chaosCase`: flood-operator, flood-events, flood-connections, slow-reader):
 *  - operator flood: 300 messages of 60 KiB to `operator`; `state` and the
 *    `subscribe` ack stay under 1 MiB and the console's connection goes live;
 *  - event flood: 600 `note` events of 1 MB with three `agent_stream`
 *    viewers; every line stays under its cap, memory bounded, the store
 *    under the configured per-agent cap (16 MiB here, to see it applied);
 *  - connection flood: thousands of idle connections to one agent socket;
 *    the operator's `list` and a spawn approval still work;
 *  - slow reader: a subscriber that reads slowly gets whole lines, then
 *    `lagged`, then EOF.
 *
 * Run: npm run chaos -- --only flood-operator,flood-events,flood-connections,slow-reader
 *   [--messages 300] [--events 600] [--event-cap-mib 16] [--connections 10000]
 */
import net from 'node:net';
import path from 'node:path';
import { startCore, waitFor, type RunningCore } from '../../src/testing/hive.js';
import { JsonlConnection, MAX_LINE_BYTES } from '../../src/protocol/index.js';
import { HiveClient } from '../../src/tui/client/hive-client.js';
import type { ChaosReport } from './chaos-case.js';
import { memoryMiB, openFiles, storeFigures, timedRequest } from './support.js';

const bytes = (s: string) => Buffer.byteLength(s);
const kib = (n: number) => Math.round(n / 1024);

/** Lines of one raw connection, as they arrive. */
async function rawLines(socketPath: string, request: object): Promise<{ lines: string[]; socket: net.Socket; closed: () => boolean }> {
  const socket = net.createConnection(socketPath);
  await new Promise((r) => socket.once('connect', r));
  const lines: string[] = [];
  let rest = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    rest += chunk;
    let nl: number;
    while ((nl = rest.indexOf('\n')) !== -1) {
      lines.push(rest.slice(0, nl));
      rest = rest.slice(nl + 1);
    }
  });
  socket.on('close', () => (closed = true));
  socket.on('error', () => {});
  socket.write(JSON.stringify(request) + '\n');
  return { lines, socket, closed: () => closed };
}

async function withCore<T>(config: Record<string, unknown>, run: (core: RunningCore) => Promise<T>): Promise<T> {
  const core = await startCore({ config });
  try {
    return await run(core);
  } finally {
    await core.cleanup();
  }
}

export function operatorFlood(messages: number): Promise<ChaosReport> {
  return withCore({ agents: { iris: {}, damo: {} } }, async (core) => {
    const failures: string[] = [];
    const started = Date.now();
    const conn = await JsonlConnection.connect(core.agentSocket('iris'));
    let refused = 0;
    for (let i = 0; i < messages; i++) {
      const res = await conn.request({ cmd: 'send', to: 'operator', body: `${i} `.padEnd(60 * 1024, 'x') });
      if (res.ok !== true) refused++;
    }
    conn.close();
    const floodMs = Date.now() - started;
    const state = await timedRequest(core.hostSocket, '{"cmd":"state"}');
    const snapshot = JSON.parse(state.line);
    const sub = await rawLines(core.hostSocket, { cmd: 'subscribe' });
    await waitFor(() => sub.lines.length > 0, { what: 'the subscribe ack' });
    sub.socket.destroy();
    const client = new HiveClient({ socketPath: core.hostSocket, readOnly: true, backoff: { firstMs: 100, maxMs: 500 } });
    const liveStarted = Date.now();
    client.start();
    let consoleLive = true;
    await waitFor(() => client.getState().connection.phase === 'live', { timeoutMs: 20_000, what: 'the console live' }).catch(() => (consoleLive = false));
    const liveMs = Date.now() - liveStarted;
    client.stop();
    if (bytes(state.line) > MAX_LINE_BYTES) failures.push(`state is ${bytes(state.line)} bytes`);
    if (bytes(sub.lines[0]!) > MAX_LINE_BYTES) failures.push(`the subscribe ack is ${bytes(sub.lines[0]!)} bytes`);
    if (!consoleLive) failures.push(`the console did not go live: ${client.getState().connection.reason ?? client.getState().connection.phase}`);
    if (snapshot.counts?.operator_unread !== messages - refused) failures.push(`counts.operator_unread is ${snapshot.counts?.operator_unread}`);
    return {
      name: 'flood-operator',
      ok: failures.length === 0,
      figures: {
        messages,
        refused,
        flood_s: Math.round(floodMs / 100) / 10,
        state_kib: kib(bytes(state.line)),
        state_ms: state.ms,
        inbox_in_snapshot: snapshot.operator_inbox.length,
        subscribe_ack_kib: kib(bytes(sub.lines[0]!)),
        console_live_ms: liveMs,
        peak_rss_mib: memoryMiB(core.proc.pid!).peak,
      },
      failures,
    };
  });
}

export function eventFlood(events: number, capMiB: number): Promise<ChaosReport> {
  return withCore({ agents: { iris: {} }, retention: { agent_events: { max_mib: capMiB } } }, async (core) => {
    const failures: string[] = [];
    const pid = core.proc.pid!;
    const before = memoryMiB(pid);
    const viewers = await Promise.all([0, 1, 2].map(() => rawLines(core.hostSocket, { cmd: 'agent_stream', name: 'iris' })));
    await waitFor(() => viewers.every((v) => v.lines.length > 0), { what: 'the viewers\' acks' });
    const emitter = await JsonlConnection.connect(core.agentSocket('iris'));
    const started = Date.now();
    for (let i = 0; i < events; i++) {
      const res = await emitter.request({ cmd: 'emit', events: [{ kind: 'note', text: `${i} `.padEnd(1_000_000, 'n') }] });
      if (res.ok !== true) failures.push(`emit ${i}: ${String(res.error)}`);
    }
    emitter.close();
    const emitMs = Date.now() - started;
    await waitFor(() => viewers.every((v) => v.lines.length > events || v.closed()), { timeoutMs: 60_000, what: 'the viewers to get every event' }).catch(() => failures.push('a viewer did not get every event'));
    const longest = Math.max(...viewers.flatMap((v) => v.lines.slice(1).map(bytes)));
    const lagged = viewers.filter((v) => v.lines.some((l) => l.startsWith('{"kind":"lagged"'))).length;
    for (const v of viewers) v.socket.destroy();
    const ackStarted = Date.now();
    const fresh = await rawLines(core.hostSocket, { cmd: 'agent_stream', name: 'iris', history: 10000 });
    await waitFor(() => fresh.lines.length > 0, { what: 'a fresh agent_stream ack' });
    const ackMs = Date.now() - ackStarted;
    fresh.socket.destroy();
    const page = await timedRequest(core.hostSocket, '{"cmd":"agent_events","name":"iris","limit":1000}');
    const after = memoryMiB(pid);
    const store = storeFigures(path.join(core.stateDir, 'hyperhive.sqlite'));
    if (longest > 64 * 1024) failures.push(`a live line of ${longest} bytes`);
    if (bytes(fresh.lines[0]!) > MAX_LINE_BYTES) failures.push(`the agent_stream ack is ${bytes(fresh.lines[0]!)} bytes`);
    if (!page.line.includes('"ok":true')) failures.push(`agent_events limit 1000: ${page.line.slice(0, 200)}`);
    // The cap bounds the events; the rest of the store (dashboard events, indexes, pages part-filled) stays small beside it.
    if (store.contentMiB > capMiB + 4) failures.push(`the store holds ${store.contentMiB} MiB, over the ${capMiB} MiB event cap`);
    if (store.integrity !== 'ok') failures.push(`integrity_check: ${store.integrity}`);
    return {
      name: 'flood-events',
      ok: failures.length === 0,
      figures: {
        events,
        event_mb: 1,
        viewers: 3,
        event_cap_mib: capMiB,
        emit_s: Math.round(emitMs / 100) / 10,
        longest_live_line_kib: kib(longest),
        viewers_lagged: lagged,
        stream_ack_kib: kib(bytes(fresh.lines[0]!)),
        stream_ack_ms: ackMs,
        agent_events_1000_kib: kib(bytes(page.line)),
        rss_before_mib: before.rss,
        rss_after_mib: after.rss,
        peak_rss_mib: after.peak,
        store_content_mib: store.contentMiB,
        store_main_mib: store.mainMiB,
        store_wal_mib: store.walMiB,
        integrity: store.integrity,
      },
      failures,
    };
  });
}

export function connectionFlood(connections: number): Promise<ChaosReport> {
  return withCore({ agents: { iris: {}, damo: {} } }, async (core) => {
    const failures: string[] = [];
    const pid = core.proc.pid!;
    const fdsBefore = openFiles(pid);
    const sockets: net.Socket[] = [];
    let refused = 0;
    let errors = 0;
    for (let i = 0; i < connections; i++) {
      const socket = net.createConnection(core.agentSocket('iris'));
      socket.on('data', (d: Buffer) => {
        if (d.includes('already has')) refused++;
      });
      socket.on('error', () => errors++);
      sockets.push(socket);
      if (i % 500 === 499) await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => refused + errors >= connections - 48, { timeoutMs: 60_000, what: 'the connections over the cap refused' }).catch(() => failures.push(`only ${refused} refused and ${errors} failed of ${connections}`));
    const fdsUnder = openFiles(pid);
    const list = await timedRequest(core.hostSocket, '{"cmd":"list"}').catch((err: Error) => ({ line: err.message, ms: -1 }));
    const spawn = JSON.parse((await timedRequest(core.hostSocket, '{"cmd":"request_spawn","name":"scout"}')).line);
    const approve = await timedRequest(core.hostSocket, JSON.stringify({ cmd: 'approve', id: spawn.id }), 30_000);
    const whoami = await timedRequest(core.agentSocket('scout'), '{"cmd":"whoami"}').catch((err: Error) => ({ line: err.message, ms: -1 }));
    for (const s of sockets) s.destroy();
    if (!list.line.includes('"ok":true')) failures.push(`list: ${list.line}`);
    if (!approve.line.includes('"ok":true')) failures.push(`the spawn approval: ${approve.line}`);
    else if (!whoami.line.includes('"name":"scout"')) failures.push(`the spawned agent's socket: ${whoami.line}`);
    return {
      name: 'flood-connections',
      ok: failures.length === 0,
      figures: {
        connections,
        refused,
        client_errors: errors,
        core_fds_before: fdsBefore,
        core_fds_under_flood: fdsUnder,
        list_ms: list.ms,
        spawn_approve_ms: approve.ms,
      },
      failures,
    };
  });
}

export function slowReader(): Promise<ChaosReport> {
  return withCore({ agents: { iris: {} } }, async (core) => {
    const failures: string[] = [];
    const socket = net.createConnection(core.hostSocket);
    await new Promise((r) => socket.once('connect', r));
    socket.write('{"cmd":"agent_stream","name":"iris","history":0}\n');
    socket.pause();
    const emitter = await JsonlConnection.connect(core.agentSocket('iris'));
    for (let i = 0; i < 60; i++) await emitter.request({ cmd: 'emit', events: Array.from({ length: 20 }, (_, j) => ({ kind: 'note', text: `${i}.${j} `.padEnd(30_000, 'q') })) });
    emitter.close();
    const chunks: Buffer[] = [];
    const readStarted = Date.now();
    await new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        socket.pause();
        setTimeout(() => socket.resume(), 30);
      });
      socket.on('close', () => resolve());
      socket.resume();
    });
    const text = Buffer.concat(chunks).toString('utf8');
    const lines = text.split('\n');
    const tail = lines.pop();
    let wholeLines = 0;
    let brokenLines = 0;
    for (const line of lines) {
      try {
        JSON.parse(line);
        wholeLines++;
      } catch {
        brokenLines++;
      }
    }
    const last = lines.at(-1) ?? '';
    if (tail !== '') failures.push(`the stream ended inside a line (${tail!.length} bytes)`);
    if (brokenLines) failures.push(`${brokenLines} broken lines`);
    if (!last.startsWith('{"kind":"lagged"')) failures.push(`the last line is not lagged: ${last.slice(0, 80)}`);
    return {
      name: 'slow-reader',
      ok: failures.length === 0,
      figures: { events_sent: 1200, whole_lines_read: wholeLines, broken_lines: brokenLines, lagged_seen: last.startsWith('{"kind":"lagged"') ? 'yes' : 'no', read_ms: Date.now() - readStarted },
      failures,
    };
  });
}

/**
 * `hyperhive watch`: tail the dashboard channel, resuming with `since` after a
 * disconnect or a `lagged` close. The resume decisions are the pure cursor
 * functions; `watchDashboard` is the socket shell around them.
 */
import { JsonlConnection, ConnectError, UnreadableAnswerError } from '../protocol/client.js';

/** Where the watcher is in the dashboard channel: the last seq it showed (or was told is current). */
export interface WatchCursor {
  readonly lastSeq: number | undefined;
}

/** The subscribe request for the next (re)connection. */
export function subscribeRequest(cursor: WatchCursor, kinds?: string[]): Record<string, unknown> {
  return {
    cmd: 'subscribe',
    ...(kinds !== undefined && { kinds }),
    ...(cursor.lastSeq !== undefined && { since: cursor.lastSeq }),
  };
}

/** Fold a subscribe ack into the cursor; `notice` is a sentence for stderr when something was lost. */
export function applyAck(cursor: WatchCursor, ack: { seq?: unknown; resync?: unknown }): { cursor: WatchCursor; notice?: string } {
  const seq = typeof ack.seq === 'number' ? ack.seq : undefined;
  if (ack.resync === true) {
    return {
      cursor: { lastSeq: seq },
      notice: `events after seq ${cursor.lastSeq ?? '?'} are no longer stored; some were missed — continuing from seq ${seq ?? '?'}`,
    };
  }
  // With `since`, replayed events follow and advance the cursor; without, the ack's seq is the cut.
  if (cursor.lastSeq === undefined) return { cursor: { lastSeq: seq } };
  return { cursor };
}

/** Whether an event line is new (to print) or a repeat, and the advanced cursor. */
export function applyEvent(cursor: WatchCursor, ev: { seq?: unknown }): { cursor: WatchCursor; fresh: boolean } {
  if (typeof ev.seq !== 'number') return { cursor, fresh: true };
  if (cursor.lastSeq !== undefined && ev.seq <= cursor.lastSeq) return { cursor, fresh: false };
  return { cursor: { lastSeq: ev.seq }, fresh: true };
}

/** Backoff before reconnect attempt `attempt` (0-based): 100 ms doubling to 5 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(5000, 100 * 2 ** Math.min(attempt, 10));
}

/** What the watch shell needs from its surroundings. */
export interface WatchIo {
  socketPath: string;
  kinds?: string[];
  since?: number;
  /** Print one event (already decided fresh). */
  onEvent(ev: Record<string, unknown>): void;
  /** A sentence for stderr. */
  notice(text: string): void;
  /** Resolves when the operator interrupts; the watch then ends with exit 0. */
  interrupted: Promise<void>;
}

/** Outcome of a watch: `ok`, refused by the core (`error`), or the core unreachable at start. */
export type WatchResult = { kind: 'ok' } | { kind: 'refused'; response: Record<string, unknown> } | { kind: 'unreachable'; message: string };

/**
 * Subscribe and print until interrupted. The first connection failing is
 * `unreachable`; later failures are retried with backoff and said on stderr.
 */
export async function watchDashboard(io: WatchIo): Promise<WatchResult> {
  let cursor: WatchCursor = { lastSeq: io.since };
  let stopped = false;
  let current: JsonlConnection | null = null;
  let wake: (() => void) | null = null;
  io.interrupted.then(() => {
    stopped = true;
    current?.close();
    wake?.();
  });
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  let everConnected = false;
  let attempt = 0;
  while (!stopped) {
    let conn: JsonlConnection;
    try {
      conn = await JsonlConnection.connect(io.socketPath, { timeoutMs: 5000 });
    } catch (err) {
      const message = err instanceof ConnectError ? err.message : `cannot connect to ${io.socketPath}: ${(err as Error).message}`;
      if (!everConnected) return { kind: 'unreachable', message };
      if (attempt === 0) io.notice(`${message}; retrying…`);
      await sleep(reconnectDelayMs(attempt++));
      continue;
    }
    if (stopped) {
      conn.close();
      break;
    }
    current = conn;
    // Lines may arrive right behind the ack; collect them from the start.
    let lagged: number | undefined;
    const pending: Record<string, unknown>[] = [];
    let acked = false;
    const handle = (ev: Record<string, unknown>) => {
      if (ev.kind === 'lagged') {
        lagged = typeof ev.seq === 'number' ? ev.seq : undefined;
        return;
      }
      const step = applyEvent(cursor, ev);
      cursor = step.cursor;
      if (step.fresh) io.onEvent(ev);
    };
    conn.on('line', (ev) => (acked ? handle(ev) : pending.push(ev)));
    conn.on('bad_line', (reason) => io.notice(reason));
    const closed = new Promise<void>((resolve) => conn.once('close', () => resolve()));

    let ack: Record<string, unknown>;
    try {
      ack = await conn.request(subscribeRequest(cursor, io.kinds));
    } catch (err) {
      if (stopped) break;
      conn.close();
      // An unreadable ack was already said through `bad_line`.
      if (!everConnected) {
        const message = err instanceof UnreadableAnswerError ? `the core's answer to subscribe could not be read` : `the core at ${io.socketPath} closed the connection before answering`;
        return { kind: 'unreachable', message };
      }
      await sleep(reconnectDelayMs(attempt++));
      continue;
    }
    if (ack.ok !== true) {
      conn.close();
      return { kind: 'refused', response: ack };
    }
    if (everConnected) io.notice(`reconnected; resuming after seq ${cursor.lastSeq ?? '?'}`);
    everConnected = true;
    attempt = 0;
    const applied = applyAck(cursor, ack);
    cursor = applied.cursor;
    if (applied.notice) io.notice(applied.notice);
    acked = true;
    for (const ev of pending.splice(0)) handle(ev);

    await closed;
    current = null;
    if (stopped) break;
    if (lagged !== undefined) io.notice(`fell behind the core (lagged at seq ${lagged}); resuming after seq ${cursor.lastSeq ?? '?'}`);
    else io.notice(`connection to the core was lost; resuming after seq ${cursor.lastSeq ?? '?'}`);
    await sleep(reconnectDelayMs(0));
  }
  return { kind: 'ok' };
}

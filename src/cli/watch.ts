/**
 * `hyperhive watch`: tail the dashboard channel and say on stderr what
 * happens to the link. Resuming, deduplication and backoff are the shared
 * subscription's (`protocol/subscription.ts`); this file only words it.
 */
import { Subscription, socketTransport, type SubscriptionStatus, type SubscriptionTransport } from '../protocol/light.js';

/** What the watch needs from its surroundings. */
export interface WatchIo {
  socketPath: string;
  /** Another way to the core (its HTTP event stream) instead of the socket. */
  transport?: SubscriptionTransport;
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
  let result: WatchResult = { kind: 'ok' };
  let everLive = false;
  let saidRetrying = false;
  const resumePoint = () => `seq ${subscription.lastSeq ?? '?'}`;
  const onStatus = (status: SubscriptionStatus) => {
    if (status.phase === 'live') {
      everLive = true;
      saidRetrying = false;
      return;
    }
    if (status.phase === 'incompatible') {
      result = { kind: 'refused', response: { ok: false, error: `${status.reason} — upgrade one of them` } };
      subscription.stop();
      return;
    }
    if (status.cause === 'refused') {
      result = { kind: 'refused', response: status.response ?? { ok: false } };
      subscription.stop();
    } else if (!status.everLive) {
      result = { kind: 'unreachable', message: status.reason };
      subscription.stop();
    } else if (status.cause === 'lagged') {
      io.notice(`${status.reason}; resuming after ${resumePoint()}`);
    } else if (status.cause === 'closed') {
      io.notice(`connection to the core was lost; resuming after ${resumePoint()}`);
    } else if (!saidRetrying) {
      saidRetrying = true;
      io.notice(`${status.reason}; retrying…`);
    }
  };
  const subscription = new Subscription(
    io.transport ?? socketTransport(io.socketPath),
    { kind: 'dashboard', ...(io.kinds !== undefined && { kinds: io.kinds }) },
    {
      onAck: (step) => {
        if (everLive) io.notice(`reconnected; resuming after ${resumePoint()}`);
        if (step.notice) io.notice(step.notice);
      },
      onEvent: (ev) => io.onEvent(ev),
      onStatus,
    },
    io.since !== undefined ? { since: io.since } : {},
  );
  void io.interrupted.then(() => subscription.stop());
  subscription.start();
  await subscription.done;
  return result;
}

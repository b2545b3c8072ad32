/**
 * Opening a reader on an event channel, for every transport (the host
 * socket's JSON lines, HTTP's server-sent events): the ack cut at one seq,
 * the events a resume missed, and the live subscription from that seq on.
 * Everything between the cut and the subscription runs synchronously, so no
 * event slips between them.
 */
import type { Hive } from '../hive.js';
import { Subscriber, type Framing, type OutboundStream } from '../events/index.js';
import { okResponse, PROTOCOL_VERSION } from '../../protocol/index.js';

/** History events a fresh agent-stream reader gets when it does not say. */
export const DEFAULT_STREAM_HISTORY = 500;
/** Most events an agent-stream resume replays; further back is a resync. */
const MAX_SINCE_EVENTS = 10_000;

/** A dashboard reader's start: its ack (with a snapshot unless it resumes) and the stored lines it missed. */
export interface DashboardOpening {
  seq: number;
  ack: Record<string, unknown>;
  resync: boolean;
  /** Lines after `since` (each with its newline), oldest first; empty on a fresh picture. */
  replay: string[];
}

/** Cut the dashboard for a new reader: a resume after `since` when the store still has it, else a fresh snapshot. */
export function openDashboard(hive: Hive, kinds: ReadonlySet<string> | null, since: number | undefined): DashboardOpening {
  const seq = hive.dashboard.currentSeq;
  const replay = since === undefined ? null : hive.dashboard.replay(since, kinds);
  if (replay === null) {
    const resync = since !== undefined;
    return { seq, ack: okResponse({ seq, snapshot: hive.snapshot(), ...(resync && { resync: true }) }), resync, replay: [] };
  }
  return { seq, ack: okResponse({ seq }), resync: false, replay };
}

/** An agent-stream reader's start: the ack line (without its newline) carrying the events it gets first. */
export interface AgentStreamOpening {
  seq: number;
  resync: boolean;
  ackJson: string;
}

/** Cut `name`'s stream for a new reader: the events after `since`, or (fresh, or too far back) its recent history. */
export function openAgentStream(hive: Hive, name: string, since: number | undefined, history: number | undefined): AgentStreamOpening {
  const seq = hive.agentEvents.currentSeq;
  let events = since === undefined ? null : hive.agentEvents.after(name, since, MAX_SINCE_EVENTS);
  const resync = since !== undefined && events === null;
  if (events === null) events = hive.agentEvents.history(name, history ?? DEFAULT_STREAM_HISTORY);
  return { seq, resync, ackJson: `{"version":${PROTOCOL_VERSION},"ok":true,"seq":${seq}${resync ? ',"resync":true' : ''},"events":[${events.join(',')}]}` };
}

/** Send the dashboard's live events after `seq` to `out` until it closes. */
export function followDashboard(hive: Hive, out: OutboundStream, seq: number, kinds: ReadonlySet<string> | null, framing: Framing, capBytes?: number): void {
  const subscriber = new Subscriber(out, seq, capBytes, kinds, framing);
  hive.dashboard.subscribe(subscriber);
  out.once('close', () => hive.dashboard.unsubscribe(subscriber));
}

/** Send `name`'s live events after `seq` to `out` until it closes. */
export function followAgentStream(hive: Hive, name: string, out: OutboundStream, seq: number, framing: Framing, capBytes?: number): void {
  const subscriber = new Subscriber(out, seq, capBytes, null, framing);
  hive.agentEvents.subscribe(name, subscriber);
  out.once('close', () => hive.agentEvents.unsubscribe(name, subscriber));
}

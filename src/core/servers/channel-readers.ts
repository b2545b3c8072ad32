/**
 * Opening a reader on an event channel, for every transport (the host
 * socket's JSON lines, HTTP's server-sent events): the ack cut at one seq,
 * and the subscription that first catches up from the store (a resume) and
 * then takes live events. Everything between the cut and the subscription
 * runs synchronously, so no event slips between them.
 */
import type { Writable } from 'node:stream';
import type { Hive } from '../hive.js';
import { PAGE_BYTES } from '../paging.js';
import { Subscriber, sseFramesOfLines, type CatchUpRead, type Framing } from '../events/index.js';
import { okResponse, PROTOCOL_VERSION } from '../../protocol/index.js';

/** History events a fresh agent-stream reader gets when it does not say. */
export const DEFAULT_STREAM_HISTORY = 500;

/** Where a new reader starts: its ack, the seq its subscription takes over from, and what it reads from the store first. */
export interface ChannelOpening {
  /** The ack (an object for the dashboard; the whole JSON text, without newline, for an agent stream). */
  ack: Record<string, unknown> | string;
  /** The resume point could not be honoured: the ack is a fresh picture. */
  resync: boolean;
  /** The last seq the ack accounts for: everything after it follows (from the store first, then live). */
  from: number;
  catchUp?: CatchUpRead;
}

/** Cut the dashboard for a new reader: a resume after `since` when the store still has it, else a fresh snapshot. */
export function openDashboard(hive: Hive, kinds: ReadonlySet<string> | null, since: number | undefined): ChannelOpening {
  const seq = hive.dashboard.currentSeq;
  const resume = since !== undefined && hive.dashboard.canResume(since);
  const resync = since !== undefined && !resume;
  const ack = resume ? okResponse({ seq }) : okResponse({ seq, snapshot: hive.snapshot(), ...(resync && { resync: true }) });
  const from = resume ? since! : seq;
  return { ack, resync, from, ...(from < seq && { catchUp: hive.dashboard.catchUp(kinds) }) };
}

/**
 * Cut `name`'s stream for a new reader: its recent history, or, resuming,
 * what came after `since` — as much as fits the ack's line, the rest caught
 * up from the store. The ack's `seq` is the last event it accounts for, so a
 * reader's cursor never passes events still to come.
 */
export function openAgentStream(hive: Hive, name: string, since: number | undefined, history: number | undefined): ChannelOpening {
  const seq = hive.agentEvents.currentSeq;
  const resume = since !== undefined && hive.agentEvents.canResume(name, since);
  let events: string;
  let from = seq;
  let catchUp: CatchUpRead | undefined;
  let more = false;
  if (resume) {
    const read = hive.agentEvents.catchUp(name);
    const first = read(since, PAGE_BYTES)!;
    events = first.lines.trimEnd().replaceAll('\n', ',');
    from = first.lastSeq;
    if (!first.done) catchUp = read;
  } else {
    const recent = hive.agentEvents.history(name, history ?? DEFAULT_STREAM_HISTORY);
    events = recent.items.join(',');
    more = recent.more;
  }
  const resync = since !== undefined && !resume;
  const ack = `{"version":${PROTOCOL_VERSION},"ok":true,"seq":${from}${resync ? ',"resync":true' : ''},"events":[${events}]${more ? ',"more":true' : ''}}`;
  return { ack, resync, from, ...(catchUp && { catchUp }) };
}

/** What a reader in `framing` reads from the store: server-sent events get the stored lines as frames. */
function framedCatchUp(read: CatchUpRead | undefined, framing: Framing): CatchUpRead | undefined {
  if (!read || framing === 'jsonl') return read;
  return (afterSeq, maxBytes) => {
    const slice = read(afterSeq, maxBytes);
    return slice && { ...slice, lines: sseFramesOfLines(slice.lines) };
  };
}

/** Send the dashboard's events after the opening's cut to `out` until it closes. */
export function followDashboard(hive: Hive, out: Writable, opening: ChannelOpening, kinds: ReadonlySet<string> | null, framing: Framing): void {
  const catchUp = framedCatchUp(opening.catchUp, framing);
  const subscriber = new Subscriber(out, opening.from, { kinds, framing, ...(catchUp && { catchUp }) });
  hive.dashboard.subscribe(subscriber);
  out.once('close', () => hive.dashboard.unsubscribe(subscriber));
}

/** Send `name`'s events after the opening's cut to `out` until it closes. */
export function followAgentStream(hive: Hive, name: string, out: Writable, opening: ChannelOpening, framing: Framing): void {
  const catchUp = framedCatchUp(opening.catchUp, framing);
  const subscriber = new Subscriber(out, opening.from, { framing, ...(catchUp && { catchUp }) });
  hive.agentEvents.subscribe(name, subscriber);
  out.once('close', () => hive.agentEvents.unsubscribe(name, subscriber));
}

/**
 * The core's HTTP event streams as a `SubscriptionTransport`, through the
 * `eventsource` package: the same resumable subscription (cursor, held
 * lines, backoff) as over the host socket, with server-sent events
 * underneath. A stream opens with one `ack` (or `resync`) event whose data
 * is the socket's ack; the events follow, `event:` their kind and `data:`
 * their line. A refusal (a JSON error in the socket's envelope, HTTP 4xx or
 * 5xx) becomes that ack, so the subscription reads it as the core refusing.
 * EventSource's own reconnecting is switched off: the subscription decides
 * when and from where to resume.
 */
import { apiUrl, unreachableSentence, type HttpTarget } from './http-client.js';
import type { Channel, OpenRequest, SubscriptionLink, SubscriptionTransport } from './subscription.js';

/** Dashboard event kinds (events.ts's schema has the same list; a test checks they agree). */
export const DASHBOARD_KIND_NAMES = [
  'sent', 'delivered', 'approval_added', 'approval_resolved', 'question_added', 'question_resolved', 'transient_set',
  'transient_cleared', 'agent_status', 'agent_removed', 'turn_stat', 'operator_message', 'operator_read',
] as const;
/** Agent live event kinds (as above). */
export const LIVE_KIND_NAMES = ['turn_start', 'stream', 'note', 'turn_end', 'status_changed', 'model_changed', 'token_usage_changed', 'turn_state_changed', 'heartbeat'] as const;

/** The stream URL of an open request. */
export function streamUrl(base: string, request: OpenRequest): string {
  const { channel, since } = request;
  if (channel.kind === 'dashboard') {
    return apiUrl(base, '/api/dashboard/stream', { kinds: channel.kinds?.join(','), since });
  }
  return apiUrl(base, `/api/agents/${encodeURIComponent(channel.name)}/stream`, since !== undefined ? { since } : { history: channel.history });
}

/** Event names a channel's stream carries (EventSource delivers a named event only to its listeners). */
function eventNames(channel: Channel): readonly string[] {
  if (channel.kind === 'agent') return LIVE_KIND_NAMES;
  return channel.kinds ?? DASHBOARD_KIND_NAMES;
}

/** The HTTP event streams of the core at `target` as a transport. */
export function sseTransport(target: HttpTarget): SubscriptionTransport {
  return {
    where: target.url,
    async open(request, sink) {
      const { EventSource } = await import('eventsource');
      const url = streamUrl(target.url, request);
      let refusal: Record<string, unknown> | undefined;
      let fetchError: unknown;
      const es = new EventSource(url, {
        fetch: async (input, init) => {
          let res: Response;
          try {
            res = await fetch(input, { ...init, headers: { ...init.headers, ...(target.token && { Authorization: `Bearer ${target.token}` }) } });
          } catch (err) {
            fetchError = err;
            throw err;
          }
          if (res.status !== 200) refusal = await envelopeOf(res);
          return res;
        },
      });
      return new Promise<SubscriptionLink>((resolve, reject) => {
        let acked = false;
        let ended = false;
        const close = () => {
          if (ended) return;
          ended = true;
          es.close();
          if (acked) sink.closed();
        };
        const onAck = (ev: MessageEvent) => {
          if (acked) return;
          let ack: unknown;
          try {
            ack = JSON.parse(String(ev.data));
          } catch {
            ack = undefined;
          }
          acked = true;
          if (typeof ack !== 'object' || ack === null) {
            close();
            reject(new Error(`${url} sent an ack that is not JSON`));
            return;
          }
          resolve({ ack: ack as Record<string, unknown>, close });
        };
        es.addEventListener('ack', onAck);
        es.addEventListener('resync', onAck);
        const onEvent = (ev: MessageEvent) => {
          if (ended) return;
          try {
            const line = JSON.parse(String(ev.data)) as unknown;
            if (typeof line === 'object' && line !== null && !Array.isArray(line)) sink.line(line as Record<string, unknown>);
          } catch {
            // a line that is not JSON is skipped, as on the socket
          }
        };
        for (const name of [...eventNames(request.channel), 'lagged']) es.addEventListener(name, onEvent);
        es.addEventListener('error', (ev) => {
          if (acked) return close();
          ended = true;
          es.close();
          if (refusal) resolve({ ack: refusal, close: () => undefined });
          else reject(new Error(unreachableSentence(target.url, fetchError ?? { message: ev.message ?? 'the connection failed' })));
        });
      });
    },
  };
}

/** The socket envelope of an HTTP error response (or one made up for a body that is not one). */
async function envelopeOf(res: Response): Promise<Record<string, unknown>> {
  try {
    const body = (await res.clone().json()) as unknown;
    if (typeof body === 'object' && body !== null && 'ok' in body) return body as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { version: 1, ok: false, error: `HTTP ${res.status} from ${res.url}`, code: 'unavailable' };
}

/** The console's requests over the core's HTTP API: reads, and with the token the decisions; every failure a sentence for the operator. */
import { httpRequest, type HttpTarget } from '../../protocol/light.js';
import type { HostRequest } from '../../protocol/index.js';
import { outcomeOf, type RequestChannel, type RequestOutcome } from './host-requests.js';

/** Requests to the hive at `target` over HTTP (the core records the actor as the client's address). */
export class HttpRequests implements RequestChannel {
  constructor(private readonly target: HttpTarget) {}

  async request(request: HostRequest): Promise<RequestOutcome> {
    try {
      return outcomeOf(await httpRequest(this.target, request));
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }

  close(): void {}
}

/** What the console knows of its link to the core, shown in the header. */

/** Where the connection to the core stands (always shown in the header). */
export type ConnectionPhase = 'connecting' | 'live' | 'reconnecting' | 'stale' | 'unreachable' | 'incompatible';

/** What the console knows of its link before it connects: where the hive is and what it may do there. */
export interface LinkInfo {
  /** The host socket's path, or the HTTP API's URL. */
  where: string;
  /** Every mutation hidden (host-ro.sock, --read-only, HTTP without a token). */
  readOnly: boolean;
  /** Only the decisions the HTTP API takes (approve, deny, answer, cancel a question) are offered. */
  decisionsOnly?: boolean;
  /** The context's name, when the console knows several hives. */
  context?: string;
}

/** The connection state with what each phase needs to explain itself. */
export interface ConnectionInfo extends LinkInfo {
  phase: ConnectionPhase;
  attempt?: number;
  /** ms epoch of the next connect attempt. */
  nextTryAt?: number;
  /** ms epoch since which the shown data is stale (set once data was live and the link dropped). */
  staleSince?: number;
  reason?: string;
  /** The core's protocol version when it is not ours. */
  theirVersion?: number;
}

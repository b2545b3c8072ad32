/** What the console takes from outside it: the hive's connection, the other hives it may switch to, and the terminal. */
import type { HostRequest } from '../protocol/index.js';
import type { HiveState } from './client/hive-state.js';
import type { RequestOutcome } from './client/host-requests.js';

export type { TerminalControl } from './terminal/screen.js';

/** What the console needs from the connection layer (the `HiveClient`, or a stand-in in tests). */
export interface HiveSource {
  getState(): HiveState;
  subscribe(listener: () => void): () => void;
  request(request: HostRequest): Promise<RequestOutcome>;
  /** Load one approval with its diff: the page holding row `from` (the first page when absent), as requested or `against` what runs now. */
  fetchApproval(id: number, from?: number, against?: 'deployed'): Promise<void>;
  /** The whole diff of an approval, every page of it, or a sentence saying why not. */
  wholeDiff(id: number, against?: 'deployed'): Promise<{ ok: true; diff: string } | { ok: false; error: string }>;
  /** Fetch the tool-permission rules (absent: this source has none). */
  fetchRules?(): Promise<void>;
  loadOlder(agent: string): Promise<void>;
  watchStreams(agents: readonly string[]): void;
}

/** The hives (contexts) a console knows, and switching between them. */
export interface ContextSwitch {
  /** The context shown now. */
  readonly current: string;
  /** Every context's name. */
  names(): string[];
  /** Show another context; a sentence when there is none of that name. */
  switchTo(name: string): string | undefined;
}

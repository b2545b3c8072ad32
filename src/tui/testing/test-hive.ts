/** Test helpers: a HiveSource driven by the real reducer, and frame polling for ink-testing-library. */
import stripAnsi from 'strip-ansi';
import type { HostRequest } from '../../protocol/index.js';
import { hiveReducer, initialHiveState, type HiveAction, type HiveState } from '../client/hive-state.js';
import type { RequestOutcome } from '../client/hive-client.js';
import type { HiveSource } from '../hive-source.js';

/** A HiveSource whose state is whatever actions the test applies; requests are recorded and answered ok. */
export class TestHive implements HiveSource {
  state: HiveState;
  readonly requests: HostRequest[] = [];
  readonly watched: string[][] = [];
  readonly olderLoads: string[] = [];
  readonly approvalFetches: number[] = [];
  /** The row each approval fetch asked its page to hold (undefined: the first page). */
  readonly approvalPages: (number | undefined)[] = [];
  /** What each approval fetch asked its diff against (undefined: as requested). */
  readonly approvalAgainst: ('deployed' | undefined)[] = [];
  /** What `wholeDiff` answers. */
  whole: { ok: true; diff: string } | { ok: false; error: string } = { ok: false, error: 'no diff in this test' };
  answer: (r: HostRequest) => RequestOutcome = () => ({ ok: true, response: { version: 1, ok: true } });
  private readonly listeners = new Set<() => void>();

  constructor(readOnly = false, socketPath = '/tmp/test/host.sock') {
    this.state = initialHiveState(socketPath, readOnly);
  }

  apply(...actions: HiveAction[]): void {
    for (const a of actions) this.state = hiveReducer(this.state, a);
    for (const l of this.listeners) l();
  }

  getState = () => this.state;
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  async request(r: HostRequest): Promise<RequestOutcome> {
    this.requests.push(r);
    return this.answer(r);
  }
  async fetchApproval(id: number, from?: number, against?: 'deployed'): Promise<void> {
    this.approvalFetches.push(id);
    this.approvalPages.push(from);
    this.approvalAgainst.push(against);
  }
  async wholeDiff(): Promise<{ ok: true; diff: string } | { ok: false; error: string }> {
    return this.whole;
  }
  async loadOlder(agent: string): Promise<void> {
    this.olderLoads.push(agent);
  }
  watchStreams(agents: readonly string[]): void {
    this.watched.push([...agents]);
  }
}

/** Poll until `check` passes on the ANSI-stripped frame (no fixed sleeps). */
export async function waitForFrame(lastFrame: () => string | undefined, check: (frame: string) => boolean, timeoutMs = 3000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let frame = '';
  while (Date.now() < deadline) {
    frame = stripAnsi(lastFrame() ?? '');
    if (check(frame)) return frame;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`frame did not match within ${timeoutMs} ms; last frame:\n${frame}`);
}

/** Poll until `check` is true. */
export async function waitFor(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms`);
}

/** Named keys as a terminal sends them. */
export const KEYS = {
  enter: '\r',
  escape: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  end: '\u001b[F',
  tab: '\t',
  backspace: '\u007f',
  ctrlC: '\u0003',
};

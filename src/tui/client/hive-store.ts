/**
 * The console's one store: the hive state, changed only by the reducer, fed
 * through a queue that is applied once per frame — React hears of a change
 * at most once per frame however many events arrive.
 */
import { hiveReducer, initialHiveState, type HiveAction, type HiveState } from './hive-state.js';
import { STREAM_RING_LINES } from './stream-buffer.js';
import type { LinkInfo } from './connection-info.js';

/** Frame timing of a store. */
export interface FrameRates {
  /** Queue flush interval (one React update per flush). */
  frameMs?: number;
  /** Flush interval when only stream events and roster updates are queued (10 frames/s is plenty to read, and a third of the CPU). */
  streamFrameMs?: number;
}

/** Holds the hive state; actions queue up and apply together at the next frame. */
export class HiveStore {
  private state: HiveState;
  private readonly listeners = new Set<() => void>();
  private queue: HiveAction[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private flushAt = 0;
  private stopped = false;
  private readonly frameMs: number;
  private readonly streamFrameMs: number;

  constructor(link: LinkInfo, rates: FrameRates = {}) {
    this.state = initialHiveState(link.where, link.readOnly, link);
    this.frameMs = rates.frameMs ?? 33;
    this.streamFrameMs = rates.streamFrameMs ?? 100;
  }

  /** Current state (stable between flushes, for useSyncExternalStore). */
  getState = (): HiveState => this.state;

  /** Listen for flushed changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Queue an action; applied with the others at the next frame. */
  enqueue(action: HiveAction): void {
    const last = this.queue[this.queue.length - 1];
    // Consecutive events of one stream become one action: a burst costs one reducer step.
    if (action.type === 'stream_lines' && !action.reset && last?.type === 'stream_lines' && last.agent === action.agent) {
      last.lines.push(...action.lines);
      last.toolOutcomes.push(...action.toolOutcomes);
      last.lastSeq = Math.max(last.lastSeq, action.lastSeq);
      last.oldestSeq = Math.min(last.oldestSeq, action.oldestSeq);
      // A burst larger than the ring would only scroll through it: keep the newest, so the queue stays bounded.
      if (last.lines.length > STREAM_RING_LINES * 2) last.lines.splice(0, last.lines.length - STREAM_RING_LINES);
      if (last.toolOutcomes.length > STREAM_RING_LINES) last.toolOutcomes.splice(0, last.toolOutcomes.length - STREAM_RING_LINES);
    } else this.queue.push(action.type === 'stream_lines' ? { ...action, lines: [...action.lines], toolOutcomes: [...action.toolOutcomes] } : action);
    if (this.stopped) return;
    const at = this.lastFlush + (isBulk(action) ? this.streamFrameMs : this.frameMs);
    if (this.flushTimer && this.flushAt <= at) return;
    // Dashboard changes and connection states show within a frame even when a slower stream flush is pending.
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushAt = at;
    this.flushTimer = setTimeout(() => this.flush(), Math.max(0, at - Date.now()));
  }

  /** Apply everything queued now and notify once. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.lastFlush = Date.now();
    if (this.queue.length === 0) return;
    const actions = this.queue;
    this.queue = [];
    let next = this.state;
    for (const a of actions) next = hiveReducer(next, a);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  /** No more frames (queued actions stay unapplied). */
  stop(): void {
    this.stopped = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }
}

/** Stream text and roster churn: shown at the slower frame rate (approvals, questions and connection changes are not). */
function isBulk(action: HiveAction): boolean {
  if (action.type === 'stream_lines') return !action.reset; // a stream just opened shows at once
  return action.type === 'dashboard' && (action.event.kind === 'agent_status' || action.event.kind === 'sent' || action.event.kind === 'delivered');
}

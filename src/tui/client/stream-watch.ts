/** One agent's stream into the store: its history, then live lines, resumed after every drop by the shared subscription. */
import { Subscription, type BackoffPolicy, type SubscriptionTransport } from '../../protocol/light.js';
import type { HiveStore } from './hive-store.js';
import { streamLinesAction, type LiveEventLike } from './stream-lines.js';

/** Follows one agent's `agent_stream` for a store. */
export class StreamWatch {
  private readonly subscription: Subscription;

  constructor(
    private readonly store: HiveStore,
    readonly agent: string,
    transport: SubscriptionTransport,
    history: number,
    backoff: BackoffPolicy | undefined,
  ) {
    this.subscription = new Subscription(
      transport,
      { kind: 'agent', name: agent, history },
      {
        onAck: (step) => this.push(step.events.filter(isLiveEvent), step.reset),
        onEvent: (line) => {
          if (isLiveEvent(line)) this.push([line], false);
        },
      },
      backoff ? { backoff } : {},
    );
  }

  start(): void {
    this.subscription.start();
  }

  /** Try again at once (the dashboard just came back). */
  reconnectNow(): void {
    this.subscription.reconnectNow();
  }

  close(): void {
    this.subscription.stop();
  }

  private push(events: LiveEventLike[], reset: boolean): void {
    const action = streamLinesAction(this.agent, events, reset);
    if (!reset && action.lines.length === 0 && action.toolOutcomes.length === 0) return;
    this.store.enqueue(action);
  }
}

/** A live event as far as the console relies on it: a kind and a seq. */
export function isLiveEvent(v: unknown): v is LiveEventLike {
  return typeof v === 'object' && v !== null && typeof (v as LiveEventLike).kind === 'string' && typeof (v as LiveEventLike).seq === 'number';
}

/**
 * The dashboard channel into the store: the snapshot and every dashboard
 * event (checked against the schemas at this boundary), and the connection
 * phase the header shows. Resuming after a drop is the shared subscription's.
 */
import { CLIENT_PROTOCOL_VERSION, Subscription, type BackoffPolicy, type SubscriptionStatus, type SubscriptionTransport } from '../../protocol/light.js';
import type { DashboardEvent } from '../../protocol/index.js';
import type { ConnectionInfo } from './connection-info.js';
import type { HiveStore } from './hive-store.js';
import { loadSchemas, type Schemas } from './schemas.js';

/** Tries that count as "reconnecting" before the header says the data is stale. */
const RECONNECTING_TRIES = 3;

/** Follows the dashboard channel for a store. */
export class DashboardFeed {
  private readonly subscription: Subscription;
  private schemas: Schemas | null = null;
  private freshPicture = false;

  /** `onLive(fresh)` runs each time the feed is live again; `fresh` when the store was rebuilt from a snapshot. `afterEvent` sees each event after the store has it. */
  constructor(
    private readonly store: HiveStore,
    transport: SubscriptionTransport,
    backoff: BackoffPolicy | undefined,
    private readonly onLive: (fresh: boolean) => void,
    afterEvent: (event: DashboardEvent) => void = () => {},
  ) {
    this.subscription = new Subscription(
      transport,
      { kind: 'dashboard' },
      {
        onAck: async (step, ack) => {
          const schemas = (this.schemas ??= await loadSchemas());
          if (ack.snapshot !== undefined) {
            const snapshot = schemas.StateSnapshot.safeParse(ack.snapshot);
            if (!snapshot.success) return 'the core sent a snapshot this console cannot read';
            this.store.enqueue({ type: 'snapshot', snapshot: snapshot.data });
          }
          this.freshPicture = step.reset;
        },
        onEvent: (line) => {
          const parsed = this.schemas!.DashboardEvent.safeParse(line);
          if (!parsed.success) return;
          this.store.enqueue({ type: 'dashboard', event: parsed.data });
          afterEvent(parsed.data);
        },
        onStatus: (status) => this.onStatus(status),
      },
      backoff ? { backoff } : {},
    );
  }

  start(): void {
    // The schemas load while the socket connects; the ack waits for them.
    loadSchemas().catch(() => undefined);
    this.subscription.start();
  }

  stop(): void {
    this.subscription.stop();
  }

  private onStatus(status: SubscriptionStatus): void {
    if (status.phase === 'live') {
      this.setConnection({ phase: 'live' });
      this.onLive(this.freshPicture);
      this.store.flush(); // first data draws now rather than a frame later
    } else if (status.phase === 'incompatible') {
      const reason = `core speaks protocol ${String(status.theirVersion ?? '?')}, this console speaks ${CLIENT_PROTOCOL_VERSION}`;
      this.setConnection({ phase: 'incompatible', theirVersion: status.theirVersion, reason });
    } else {
      const { reason, attempt, nextTryAt } = status;
      const phase = !status.everLive ? 'unreachable' : attempt <= RECONNECTING_TRIES ? 'reconnecting' : 'stale';
      this.setConnection({ phase, reason, attempt, nextTryAt });
    }
  }

  private setConnection(info: Partial<ConnectionInfo> & { phase: ConnectionInfo['phase'] }): void {
    this.store.enqueue({ type: 'connection', info });
  }
}

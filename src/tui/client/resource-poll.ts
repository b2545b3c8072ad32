/**
 * Keeps the console's resource samples fresh: asks the core for `resources`
 * at the pace it samples (its answer says), for as long as the console runs.
 * Samples never come on the dashboard channel (they change every few
 * seconds), so this is how the roster learns them.
 */
import type { HostRequest } from '../../protocol/index.js';
import type { RequestOutcome } from './host-requests.js';
import type { HiveStore } from './hive-store.js';
import { loadSchemas } from './schemas.js';

/** When the core has not said its pace (it is unreachable, say). */
const FALLBACK_MS = 5000;
/** When there will be nothing to show (another backend, an older core): ask now and then, in case that changes. */
const IDLE_MS = 60_000;

export class ResourcePoll {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly request: (request: HostRequest) => Promise<RequestOutcome>,
    private readonly store: HiveStore,
  ) {}

  start(): void {
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    const { ResourceSample } = await loadSchemas();
    const res = await this.request({ cmd: 'resources' });
    let waitMs = FALLBACK_MS;
    if (res.ok && Array.isArray(res.response.agents)) {
      const samples = res.response.agents.map((s) => ResourceSample.safeParse(s)).filter((s) => s.success).map((s) => s.data);
      const note = typeof res.response.note === 'string' ? res.response.note : undefined;
      this.store.enqueue({ type: 'resources', samples, ...(note !== undefined && { note }) });
      const seconds = res.response.sample_seconds;
      waitMs = note !== undefined ? IDLE_MS : typeof seconds === 'number' ? Math.min(Math.max(seconds * 1000, 1000), IDLE_MS) : FALLBACK_MS;
    } else if (!res.ok && /unknown cmd|not served/.test(res.error)) {
      waitMs = IDLE_MS;
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(), waitMs);
    this.timer.unref();
  }
}

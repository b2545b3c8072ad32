/**
 * The `external` backend: the core starts nothing. Agents are run by someone
 * else (a systemd unit each, a test, a shell) and attach to their sockets; an
 * agent is running while its harness holds a `control` subscription, and
 * stop/restart become control actions.
 */
import fs from 'node:fs/promises';
import type { BackendStatus, LifecycleBackend, LifecycleHost } from './backend.js';

export class ExternalBackend implements LifecycleBackend {
  readonly kind = 'external' as const;

  constructor(private readonly host: LifecycleHost) {}

  async create(name: string): Promise<void> {
    await fs.mkdir(this.host.agentStateDir(name), { recursive: true, mode: 0o750 });
  }

  /** Nothing to start here: the wish is recorded (audit, log) and the agent runs once its harness attaches. */
  async start(name: string): Promise<void> {
    if (this.host.controlConnected(name)) return;
    this.host.log(`${name}: start recorded; under the external backend it runs once its harness attaches`);
  }

  async stop(name: string, options: { graceful: boolean }): Promise<void> {
    this.host.sendControl(name, { action: 'stop', graceful: options.graceful });
  }

  async restart(name: string): Promise<void> {
    if (!this.host.sendControl(name, { action: 'restart' })) {
      this.host.log(`${name}: restart recorded; under the external backend it runs once its harness attaches`);
    }
  }

  /** The core cannot change what an external harness runs: a connected one is asked to restart, nothing more. */
  async update(name: string): Promise<void> {
    this.host.sendControl(name, { action: 'restart' });
  }

  status(name: string): BackendStatus {
    return { running: this.host.controlConnected(name), failed: false };
  }

  async destroy(name: string): Promise<void> {
    this.host.sendControl(name, { action: 'stop', graceful: false });
  }

  async close(): Promise<void> {}
}

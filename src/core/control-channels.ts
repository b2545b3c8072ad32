/**
 * Each agent's harness session: the one `control` subscription the core sends
 * control lines down. One per agent: while it is open a second harness is
 * refused (it retries), so two harnesses can never both take turns for one
 * agent — whoever started them.
 */
import type { ControlMessage } from '../protocol/index.js';

/** A harness's `control` subscription, as the core sees it. */
export interface ControlChannel {
  send(message: ControlMessage): void;
  close(): void;
}

export class ControlChannels {
  private readonly channels = new Map<string, ControlChannel>();
  private readonly generations = new Map<string, number>();

  /** Make `channel` `name`'s session; false (and nothing changes) while another one is open. */
  attach(name: string, channel: ControlChannel): boolean {
    if (this.channels.has(name)) return false;
    this.channels.set(name, channel);
    this.generations.set(name, this.generation(name) + 1);
    return true;
  }

  /** How many sessions `name` has had (a new harness has attached when it grew). */
  generation(name: string): number {
    return this.generations.get(name) ?? 0;
  }

  /** Forget `channel` if it is still `name`'s session; false when a newer one took over. */
  detach(name: string, channel: ControlChannel): boolean {
    if (this.channels.get(name) !== channel) return false;
    this.channels.delete(name);
    return true;
  }

  connected(name: string): boolean {
    return this.channels.has(name);
  }

  /** Send a control line; false when no harness is connected. */
  send(name: string, message: ControlMessage): boolean {
    const channel = this.channels.get(name);
    if (!channel) return false;
    channel.send(message);
    return true;
  }

  /** End `name`'s session (its harness sees the subscription close). */
  close(name: string): void {
    this.channels.get(name)?.close();
  }

  closeAll(): void {
    for (const channel of this.channels.values()) channel.close();
  }
}

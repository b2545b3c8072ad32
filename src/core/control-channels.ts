/** Each agent's harness session: the one `control` subscription the core sends control lines down. */
import type { ControlMessage } from '../protocol/index.js';

/** A harness's `control` subscription, as the core sees it. */
export interface ControlChannel {
  send(message: ControlMessage): void;
  close(): void;
}

export class ControlChannels {
  private readonly channels = new Map<string, ControlChannel>();

  /** `channel` is now `name`'s session; an earlier one is closed. */
  attach(name: string, channel: ControlChannel): void {
    const previous = this.channels.get(name);
    if (previous) previous.close();
    this.channels.set(name, channel);
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

/**
 * The hives a console knows, each with its own client (state and reconnect
 * loop), opened on first view and kept while another is shown; the one shown
 * now; and switching. A hidden hive keeps its dashboard (so its state is
 * current when it comes back) but lets its agent streams go.
 */
import { readTokenFile } from '../../protocol/light.js';
import { HiveClient, type HiveClientOptions } from './hive-client.js';
import type { HiveContext } from './contexts.js';

/** The console's contexts and the one shown. */
export class ContextBoard {
  private readonly clients = new Map<string, HiveClient>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly contexts: ReadonlyMap<string, HiveContext>,
    private shown: string,
  ) {}

  /** The context shown now. */
  get current(): string {
    return this.shown;
  }

  /** Every context's name, in the file's order. */
  names(): string[] {
    return [...this.contexts.keys()];
  }

  /** The client of a context, started on first use. Throws a sentence when its token file cannot be read. */
  client(name: string = this.shown): HiveClient {
    let client = this.clients.get(name);
    if (!client) {
      const context = this.contexts.get(name);
      if (!context) throw new Error(`no context ${JSON.stringify(name)}`);
      client = new HiveClient(clientOptions(context, this.contexts.size > 1));
      this.clients.set(name, client);
      client.start();
    }
    return client;
  }

  /** Show another context; a sentence when it cannot be. */
  switchTo(name: string): string | undefined {
    if (!this.contexts.has(name)) return `no context ${JSON.stringify(name.slice(0, 64))} — known: ${this.names().join(', ')}`;
    if (name === this.shown) return undefined;
    try {
      this.client(name);
    } catch (err) {
      return (err as Error).message;
    }
    this.clients.get(this.shown)?.watchStreams([]);
    this.shown = name;
    for (const listener of this.listeners) listener();
    return undefined;
  }

  /** Hear of switches; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    for (const client of this.clients.values()) client.stop();
    this.clients.clear();
  }
}

/** How a context's client reaches its hive (the name shown only when there are several). */
export function clientOptions(context: HiveContext, named: boolean): HiveClientOptions {
  const shared = { readOnly: context.readOnly, ...(named && { context: context.name }) };
  if ('socketPath' in context) return { ...shared, socketPath: context.socketPath };
  return { ...shared, http: { url: context.url, ...(context.tokenFile !== undefined && { token: readTokenFile(context.tokenFile) }) } };
}

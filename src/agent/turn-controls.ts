/**
 * What the control channel (and SIGTERM) asks of the turn loop. Requests are
 * flags the loop reads between turns; cancel and a hard stop also reach the
 * running command at once. Every request wakes the loop.
 */
import type { ControlAck, ControlMessage, LiveEventInput } from '../protocol/index.js';
import type { AgentLink } from './agent-link.js';
import type { RunningCommand } from './claude-runner.js';
import { sleep } from './timing.js';

/** Exit code asking the supervisor to start the harness again (control `restart`). */
export const EXIT_RESTART = 75;
/** Exit code saying the agent's command cannot be started (missing, not executable): restarting cannot help until the config changes. */
export const EXIT_CANNOT_RUN = 78;

/** Resolution of `TurnControls.woken`: the loop should look at the flags again. */
export const WOKEN = Symbol('woken');

type StopRequest = { exitCode: number; graceful: boolean };

/** What applying a control needs from the harness. */
export interface ControlEffects {
  emit(event: LiveEventInput): void;
  /** The model the next turn will use. */
  model(): string;
  /** Switch (and persist) the model. */
  setModel(model: string): void;
}

/** The pending requests of one harness, and the wake-up of its loop. */
export class TurnControls {
  /** Paused by the control channel (the paused marker file is checked beside it). */
  paused = false;
  /** Exit code and manner asked for; the loop ends once set. */
  stopRequest: StopRequest | null = null;
  /** Set when the running command was cancelled; reset at the start of each turn. */
  turnCancelled = false;
  /** A `/compact` turn is due. */
  pendingCompact = false;
  /** The command running now, if any. */
  current: RunningCommand | null = null;
  /** Control actions applied so far (a count, to tell which of two news is newer). */
  applied = 0;
  private newSession = false;
  private wakeResolve: (() => void) | null = null;
  private wakePromise: Promise<typeof WOKEN>;

  constructor(private readonly effects: ControlEffects) {
    this.wakePromise = this.newWakePromise();
  }

  /** Apply one control action. */
  apply(message: ControlMessage): void {
    this.applied++;
    switch (message.action) {
      case 'cancel_turn':
        if (this.current) {
          this.turnCancelled = true;
          this.current.cancel();
        }
        break;
      case 'new_session':
        this.newSession = true;
        this.effects.emit({ kind: 'note', text: 'the next turn starts a new session' });
        break;
      case 'compact':
        this.pendingCompact = true;
        break;
      case 'set_model':
        if (message.model && message.model !== this.effects.model()) this.effects.setModel(message.model);
        break;
      case 'pause':
        this.paused = true;
        this.effects.emit({ kind: 'status_changed', status: 'paused' });
        break;
      case 'resume':
        this.paused = false;
        this.effects.emit({ kind: 'status_changed', status: 'online' });
        break;
      case 'stop':
      case 'restart': {
        const graceful = message.action === 'restart' ? true : message.graceful !== false;
        this.stopRequest = { exitCode: message.action === 'restart' ? EXIT_RESTART : 0, graceful };
        this.effects.emit({ kind: 'status_changed', status: 'stopping' });
        if (!graceful && this.current) {
          this.turnCancelled = true;
          this.current.cancel();
        }
        break;
      }
    }
    this.poke();
  }

  /** Stop from outside (SIGTERM): the running command is killed and its message stays unacked. */
  terminate(): void {
    this.stopRequest = { exitCode: 0, graceful: false };
    this.current?.kill();
    this.poke();
  }

  /** A stop that does not wait for the turn to end. */
  hardStop(): boolean {
    return this.stopRequest !== null && !this.stopRequest.graceful;
  }

  /** True once, after `new_session`: the next run starts without `--continue`. */
  consumeNewSession(): boolean {
    const fresh = this.newSession;
    this.newSession = false;
    return fresh;
  }

  /** Resolves with `WOKEN` at the next request. */
  get woken(): Promise<typeof WOKEN> {
    return this.wakePromise;
  }

  /** Wake the loop. */
  poke(): void {
    const resolve = this.wakeResolve;
    this.wakePromise = this.newWakePromise();
    resolve?.();
  }

  /** Wait `ms`, or less when a request arrives. */
  async sleepOrWake(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.wakePromise, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  private newWakePromise(): Promise<typeof WOKEN> {
    return new Promise((resolve) => {
      this.wakeResolve = () => resolve(WOKEN);
    });
  }
}

/** What keeping the control subscription up reports to the harness. */
export interface ControlSubscriber {
  onMessage(message: ControlMessage): void;
  /** The core took the subscription (its ack carries the paused flag). */
  onAck(ack: ControlAck): void;
  /** The subscription is up (true) or down (false). */
  onConnected(up: boolean): void;
  /** True once the harness is shutting down. */
  closed(): boolean;
  log(line: string): void;
}

/** Hold the `control` subscription until `closed()`: resubscribe with backoff after it is refused or drops, logging once per outage. */
export async function keepControlSubscribed(link: AgentLink, subscriber: ControlSubscriber): Promise<void> {
  let announced = false;
  // A refused or dropped session is retried with backoff: 0.25 s, doubling to 5 s.
  let delayMs = 250;
  while (!subscriber.closed()) {
    try {
      const closedSignal = new Promise<void>((resolve) => {
        void link
          .subscribeControl((m) => subscriber.onMessage(m), () => resolve())
          .then((ack) => {
            subscriber.onConnected(true);
            announced = false;
            delayMs = 250;
            subscriber.onAck(ack);
          })
          .catch((err: Error) => {
            if (!announced) subscriber.log(`control subscription: ${err.message}; retrying`);
            announced = true;
            resolve();
          });
      });
      await closedSignal;
    } finally {
      subscriber.onConnected(false);
    }
    if (subscriber.closed()) return;
    await sleep(delayMs);
    delayMs = Math.min(delayMs * 2, 5000);
  }
}

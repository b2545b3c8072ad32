/**
 * Wall-clock time and timers for what runs on a calendar (scheduled
 * prompts), injectable so tests move time instead of waiting for it.
 */

/** A timer armed through a clock. */
export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Run `fire` once the clock reaches `atMs` (at once when it already has). */
  at(atMs: number, fire: () => void): ClockTimer;
}

/** setTimeout caps at 2^31-1 ms: a later deadline re-arms when the shorter wait ends. */
const MAX_WAIT_MS = 2 ** 31 - 1;

/** The real clock. Timers do not keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  at(atMs, fire) {
    let timer: NodeJS.Timeout | null = null;
    const arm = () => {
      const wait = atMs - Date.now();
      timer = setTimeout(wait > MAX_WAIT_MS ? arm : fire, Math.min(Math.max(0, wait), MAX_WAIT_MS));
      timer.unref();
    };
    arm();
    return { cancel: () => timer && clearTimeout(timer) };
  },
};

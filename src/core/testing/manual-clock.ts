/** Test support: a clock that moves only when the test says, so timed work runs without waiting. */
import type { Clock, ClockTimer } from '../clock.js';

/** A clock tests set by hand: `advance` fires the timers it passes, in order. */
export class ManualClock implements Clock {
  private timers: { atMs: number; fire: () => void; cancelled: boolean }[] = [];

  constructor(private ms: number) {}

  now(): number {
    return this.ms;
  }

  at(atMs: number, fire: () => void): ClockTimer {
    const timer = { atMs, fire, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Move to `ms` (never back), firing every timer due by then, earliest first. */
  set(ms: number): void {
    this.ms = Math.max(this.ms, ms);
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.atMs <= this.ms).sort((a, b) => a.atMs - b.atMs)[0];
      if (!due) return;
      due.cancelled = true;
      due.fire();
    }
  }

  advance(ms: number): void {
    this.set(this.ms + ms);
  }
}

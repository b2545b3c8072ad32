/** One timer armed for the nearest deadline of a queue kept in the store (reminders, question TTLs). */
export class DeadlineTimer {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** The nearest deadline in unix seconds, or null when nothing is due. */
    private readonly nextDueSeconds: () => number | null,
    private readonly fire: () => void,
    /** Milliseconds since the epoch (tests give their own clock). */
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** (Re)arm for the nearest deadline; call after every change to the queue. */
  arm(): void {
    this.stop();
    const due = this.nextDueSeconds();
    if (due === null) return;
    // setTimeout caps at 2^31-1 ms; a later deadline re-arms when this fires.
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(0, due * 1000 - this.nowMs()), 2 ** 31 - 1));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

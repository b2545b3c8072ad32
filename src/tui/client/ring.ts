/** A fixed-capacity ring buffer: appends drop the oldest item once full. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;
  /** Items ever appended (so views can count "new below" across drops). */
  appended = 0;

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new Error('ring capacity must be at least 1');
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    this.appended++;
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Item `i` counted from the oldest held item. */
  get(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.start + i) % this.capacity];
  }

  /** Replace item `i` (counted from the oldest held item); out of range does nothing. */
  set(i: number, item: T): void {
    if (i < 0 || i >= this.count) return;
    this.items[(this.start + i) % this.capacity] = item;
  }

  last(): T | undefined {
    return this.get(this.count - 1);
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }
}

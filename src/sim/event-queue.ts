import type { EpochMs } from '../engine/units.js';

interface Entry<T> {
  readonly time: EpochMs;
  readonly seq: number;
  readonly item: T;
}

/**
 * A min-heap of future events keyed by (time, seq): equal times pop in the order they were pushed,
 * which keeps the simulation deterministic. It doubles as the virtual clock: `now` only moves
 * forward, and pushing an event into the past is a bug that throws.
 */
export class EventQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;
  private clock: EpochMs;

  constructor(start: EpochMs) {
    this.clock = start;
  }

  get now(): EpochMs {
    return this.clock;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Moves the clock forward; refuses to go back in time. */
  advanceTo(t: EpochMs): void {
    if (t < this.clock) throw new RangeError(`virtual clock cannot go back from ${this.clock} to ${t}`);
    this.clock = t;
  }

  push(time: EpochMs, item: T): void {
    if (time < this.clock) throw new RangeError(`event scheduled at ${time}, before now (${this.clock})`);
    const heap = this.heap;
    heap.push({ time, seq: this.seq++, item });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peekTime(): EpochMs {
    return this.heap.length > 0 ? this.heap[0]!.time : Infinity;
  }

  /** Removes the earliest event and advances the clock to its time. */
  pop(): { time: EpochMs; item: T } | null {
    const heap = this.heap;
    if (heap.length === 0) return null;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    this.advanceTo(top.time);
    return { time: top.time, item: top.item };
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/event-queue.js';

function drain<T>(q: EventQueue<T>): { time: number; item: T }[] {
  const out: { time: number; item: T }[] = [];
  for (let e = q.pop(); e !== null; e = q.pop()) out.push(e);
  return out;
}

describe('EventQueue ordering', () => {
  it('pops by time, and equal times in push order', () => {
    const q = new EventQueue<string>(0);
    q.push(30, 'c');
    q.push(10, 'a1');
    q.push(20, 'b');
    q.push(10, 'a2');
    q.push(30, 'c2');
    q.push(10, 'a3');
    expect(q.size).toBe(6);
    expect(q.peekTime()).toBe(10);
    expect(drain(q).map((e) => `${e.time}:${e.item}`)).toEqual(['10:a1', '10:a2', '10:a3', '20:b', '30:c', '30:c2']);
    expect(q.size).toBe(0);
  });

  it('reports Infinity and null when empty', () => {
    const q = new EventQueue<number>(5);
    expect(q.peekTime()).toBe(Infinity);
    expect(q.pop()).toBeNull();
    expect(q.now).toBe(5);
  });

  it('keeps ties in push order even when pushed between pops', () => {
    const q = new EventQueue<string>(0);
    q.push(10, 'first');
    q.push(5, 'early');
    expect(q.pop()).toEqual({ time: 5, item: 'early' });
    q.push(10, 'second');
    q.push(5, 'now-ish');
    expect(drain(q).map((e) => e.item)).toEqual(['now-ish', 'first', 'second']);
  });
});

describe('EventQueue as a virtual clock', () => {
  it('advances the clock to each popped time', () => {
    const q = new EventQueue<string>(100);
    q.push(150, 'x');
    q.push(120, 'y');
    expect(q.now).toBe(100);
    q.pop();
    expect(q.now).toBe(120);
    q.pop();
    expect(q.now).toBe(150);
  });

  it('accepts an event at the current time', () => {
    const q = new EventQueue<string>(100);
    q.push(100, 'now');
    expect(q.pop()).toEqual({ time: 100, item: 'now' });
  });

  it('refuses to go back in time', () => {
    const q = new EventQueue<string>(100);
    expect(() => q.advanceTo(99)).toThrow(RangeError);
    expect(() => q.push(99, 'past')).toThrow(/before now/);
    q.advanceTo(200);
    expect(q.now).toBe(200);
    expect(() => q.advanceTo(150)).toThrow(/cannot go back/);
    expect(() => q.push(199, 'past')).toThrow(RangeError);
    expect(q.size).toBe(0);
    expect(q.now).toBe(200);
  });

  it('stays put when advanced to the same time', () => {
    const q = new EventQueue<string>(100);
    q.advanceTo(100);
    expect(q.now).toBe(100);
  });
});

/** A script of pushes and pops; pushes are offsets from the clock so they are never in the past. */
const opArb = fc.oneof(
  fc.record({ op: fc.constant('push' as const), dt: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ op: fc.constant('pop' as const) }),
);

describe('EventQueue property', () => {
  it('pops exactly what a stably sorted reference list would, and the clock never goes back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(opArb, { maxLength: 200 }), (start, ops) => {
        const q = new EventQueue<number>(start);
        let ref: { time: number; id: number }[] = [];
        let id = 0;
        let lastNow = q.now;
        const check = (got: { time: number; item: number } | null): void => {
          // The reference: the earliest time, and among equal times the first pushed.
          const best = ref.reduce<{ time: number; id: number } | null>((b, e) => (b === null || e.time < b.time ? e : b), null);
          if (best === null) {
            expect(got).toBeNull();
            return;
          }
          expect(got).toEqual({ time: best.time, item: best.id });
          ref = ref.filter((e) => e !== best);
          expect(q.now).toBe(best.time);
          expect(q.now).toBeGreaterThanOrEqual(lastNow);
          lastNow = q.now;
        };
        for (const o of ops) {
          if (o.op === 'push') {
            const time = q.now + o.dt;
            q.push(time, id);
            ref.push({ time, id });
            id++;
          } else {
            check(q.pop());
          }
          expect(q.size).toBe(ref.length);
        }
        // Drain the rest against a stable sort of the reference.
        const sorted = [...ref].sort((a, b) => a.time - b.time || a.id - b.id);
        expect(drain(q)).toEqual(sorted.map((e) => ({ time: e.time, item: e.id })));
      }),
      { numRuns: 300 },
    );
  });

  it('throws for any push before now and leaves the queue unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1000 }), (now, back) => {
        const q = new EventQueue<string>(now);
        q.push(now + 1, 'keep');
        expect(() => q.push(now - back, 'past')).toThrow(RangeError);
        expect(() => q.advanceTo(now - back)).toThrow(RangeError);
        expect(q.size).toBe(1);
        expect(q.pop()).toEqual({ time: now + 1, item: 'keep' });
      }),
    );
  });
});

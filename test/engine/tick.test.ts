import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addTicks, isOnTickGrid, roundDownToTick, roundUpToTick, ticksBetween, tickSize } from '../../src/engine/tick.js';

describe('tick grid', () => {
  it('is $0.01 at or above $1 and $0.0001 below', () => {
    expect(tickSize(10_000)).toBe(100);
    expect(tickSize(9_999)).toBe(1);
    expect(isOnTickGrid(612_300)).toBe(true);
    expect(isOnTickGrid(612_350)).toBe(false);
    expect(isOnTickGrid(9_999)).toBe(true);
    expect(isOnTickGrid(0)).toBe(false);
  });

  it('rounds buys up and sells down to the grid', () => {
    expect(roundUpToTick(612_301)).toBe(612_400);
    expect(roundDownToTick(612_399)).toBe(612_300);
    expect(roundUpToTick(9_999.5)).toBe(10_000);
    expect(roundDownToTick(10_050)).toBe(10_000);
    expect(roundDownToTick(9_999.9)).toBe(9_999);
  });

  it('steps across the $1 boundary with each side\'s tick', () => {
    expect(addTicks(9_999, 1)).toBe(10_000);
    expect(addTicks(10_000, 1)).toBe(10_100);
    expect(addTicks(10_000, -1)).toBe(9_999);
    expect(addTicks(10_100, -2)).toBe(9_999);
  });

  it('property: rounding lands on the grid, on the right side, within one tick', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 5_000_000, noNaN: true }), (p) => {
        const up = roundUpToTick(p);
        const down = roundDownToTick(p);
        expect(isOnTickGrid(up)).toBe(true);
        expect(up).toBeGreaterThanOrEqual(p);
        expect(up - p).toBeLessThan(tickSize(up));
        if (down > 0) {
          expect(isOnTickGrid(down)).toBe(true);
          expect(down).toBeLessThanOrEqual(p);
          expect(p - down).toBeLessThan(tickSize(up));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('ticksBetween', () => {
  it('counts the grid steps addTicks takes, across the $1.00 boundary', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 0, max: 300 }), (start, steps) => {
        const low = roundUpToTick(start);
        expect(ticksBetween(low, addTicks(low, steps))).toBe(steps);
      }),
      { numRuns: 500 },
    );
  });
});

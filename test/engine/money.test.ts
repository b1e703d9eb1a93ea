import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactShares, notionalCeil, notionalFloor, parseDollars, qtyAffordable } from '../../src/engine/money.js';

describe('money', () => {
  it('reads dollars and shares exactly as written, and refuses what it cannot hold', () => {
    expect(parseDollars('1000.25')).toBe(10_002_500);
    expect(parseDollars(0.07)).toBe(700);
    expect(parseDollars('12.34567')).toBeNull();
    expect(parseDollars('-1')).toBeNull();
    expect(parseDollars('1e3')).toBeNull();
    expect(parseDollars(Number.NaN)).toBeNull();
    expect(exactShares(12.5)).toBe(12_500_000_000);
    expect(exactShares(0.000000001)).toBe(1);
    expect(exactShares(0.1)).toBe(100_000_000);
    expect(exactShares(1.0000000001)).toBeNull();
    expect(exactShares(-3)).toBeNull();
  });

  it('rounds a notional up for what is paid and down for what is received, by less than one unit', () => {
    // 3 x 1e-9 share at $33.3333 is 0.0000001 dollar: 0 units down, 1 unit up.
    expect(notionalFloor(3, 333_333)).toBe(0);
    expect(notionalCeil(3, 333_333)).toBe(1);
    expect(notionalFloor(100e9, 500_000)).toBe(100 * 500_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e15 }), fc.integer({ min: 1, max: 1e8 }), (qty, price) => {
        const exact = (BigInt(qty) * BigInt(price)) as bigint;
        const lo = BigInt(notionalFloor(qty, price)) * 1_000_000_000n;
        const hi = BigInt(notionalCeil(qty, price)) * 1_000_000_000n;
        expect(lo <= exact && exact <= hi).toBe(true);
        expect(hi - lo <= 1_000_000_000n).toBe(true);
      }),
    );
  });

  it('affords the most granules whose notional stays within the budget', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 1e8 }), fc.constantFrom(1, 1e9), (budget, price, granule) => {
        const q = qtyAffordable(budget, price, granule);
        expect(q % granule).toBe(0);
        expect(notionalCeil(q, price)).toBeLessThanOrEqual(budget);
        // Below the largest exact quantity (about 9 million shares), one granule more is too much.
        if (q + granule <= Number.MAX_SAFE_INTEGER) expect(notionalCeil(q + granule, price)).toBeGreaterThan(budget);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggressiveLimit, applyGuard, guardPrice, isMarketable, limitAtSpreadFraction } from '../../src/engine/pricing.js';
import type { Quote } from '../../src/engine/quote.js';
import { isOnTickGrid } from '../../src/engine/tick.js';

const q = (bid: number, ask: number): Quote => ({ time: 0, bid, ask, bidSize: 100, askSize: 100 });

describe('pricing', () => {
  it('prices the marketable limit at the far side plus N ticks', () => {
    expect(aggressiveLimit('buy', q(490_300, 490_800), 1)).toBe(490_900);
    expect(aggressiveLimit('sell', q(490_300, 490_800), 2)).toBe(490_100);
    expect(aggressiveLimit('buy', q(9_990, 9_999), 1)).toBe(10_000);
    expect(aggressiveLimit('sell', q(1, 3), 5)).toBe(1); // never at or below zero
  });

  it('places limits at a fraction of the spread, rounded the way each side rounds', () => {
    expect(limitAtSpreadFraction('buy', q(600_000, 600_100), 0.5)).toBe(600_100); // mid of a 1-cent spread rounds up
    expect(limitAtSpreadFraction('sell', q(600_000, 600_100), 0.5)).toBe(600_000);
    expect(limitAtSpreadFraction('buy', q(600_000, 600_400), 0)).toBe(600_000); // join the bid
    expect(limitAtSpreadFraction('buy', q(600_000, 600_400), 0.75)).toBe(600_300);
    expect(limitAtSpreadFraction('sell', q(600_000, 600_400), 0.75)).toBe(600_100);
  });

  it('caps limits at the slippage guard, rounded toward the mid', () => {
    const mid = 600_050;
    expect(guardPrice('buy', mid, 10)).toBe(600_600); // 600,650 rounds down
    expect(guardPrice('sell', mid, 10)).toBe(599_500); // 599,450 rounds up
    expect(applyGuard('buy', 601_000, 600_600)).toEqual({ price: 600_600, capped: true });
    expect(applyGuard('buy', 600_200, 600_600)).toEqual({ price: 600_200, capped: false });
    expect(applyGuard('sell', 599_000, 599_500)).toEqual({ price: 599_500, capped: true });
    expect(applyGuard('sell', 599_000, null)).toEqual({ price: 599_000, capped: false });
  });

  it('property: the aggressive limit is on the grid, positive and marketable', () => {
    const quote = fc
      .tuple(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 5_000 }))
      .map(([bid, spread]) => q(bid, bid + spread));
    fc.assert(
      fc.property(quote, fc.constantFrom('buy' as const, 'sell' as const), fc.integer({ min: 0, max: 20 }), (qt, side, ticks) => {
        const p = aggressiveLimit(side, qt, ticks);
        expect(p).toBeGreaterThan(0);
        expect(isOnTickGrid(p)).toBe(true);
        if (side === 'buy' || qt.bid >= 100 + ticks * 100) expect(isMarketable(side, p, qt)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

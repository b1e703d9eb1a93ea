/** Price and quote invariants, model-based against the realistic broker model. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { assertModelRun } from './model-run.js';
import { setupArb } from './harness.js';

/** Scenarios whose quotes straddle $1.00, where the tick grid changes from 1 to 100 units. */
const aroundOneDollar = fc.tuple(setupArb, fc.integer({ min: 9_950, max: 10_060 })).map(([s, ref]) => ({ ...s, ref, request: { ...s.request, quote: null } }));

describe('execution prices (model-based, realistic broker)', () => {
  it('invariant 5: limits are on the tick grid, > 0, and marketable against their quote unless the guard capped them', () => {
    assertModelRun([5], { numRuns: 1000 });
  });

  it('invariant 5 around $1.00: the grid change is respected on both sides', () => {
    assertModelRun([5, 6], { numRuns: 300, setups: aroundOneDollar });
  });

  it('invariant 6: no limit beyond the slippage guard; market orders only when the fallback is "market"', () => {
    assertModelRun([6], { numRuns: 1000 });
  });

  it('invariant 7: no order from an invalid quote (zero side, crossed, locked, stale at the event time)', () => {
    assertModelRun([7], { numRuns: 1000 });
  });
});

/**
 * Quantity invariants (DESIGN.md "Invariants"), model-based: fast-check generates a scenario
 * (strategy, configuration, side, fractional quantity, price level, decision time) and a command
 * sequence from the realistic broker model; every transition is checked.
 */
import { describe, it } from 'vitest';
import { assertModelRun } from './model-run.js';

describe('execution quantities (model-based, realistic broker)', () => {
  it('invariant 1: the filled quantity never exceeds the target (state and counted fills)', () => {
    assertModelRun([1], { numRuns: 1000 });
  });

  it('invariant 4: every order, market fallbacks included, is for exactly the remaining quantity', () => {
    assertModelRun([4], { numRuns: 1000 });
  });
});

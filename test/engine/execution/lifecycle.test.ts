/** Termination, purity and outcome invariants, model-based against the realistic broker model. */
import { describe, it } from 'vitest';
import { assertModelRun } from './model-run.js';

describe('execution lifecycle (model-based, realistic broker)', () => {
  it('invariant 8: every non-done state has a timer armed, and firing only it ends the execution within 100 steps', () => {
    assertModelRun([8], { numRuns: 1000 });
  });

  it('invariant 9: transitions are pure (input never mutated) and deterministic (replay is deep-equal)', () => {
    assertModelRun([9], { numRuns: 500 });
  });

  it('invariant 10: the outcome is consistent (filled iff all filled; otherwise a reason) and finishes once', () => {
    assertModelRun([10], { numRuns: 1000 });
  });
});

/** Child-order invariants, model-based against the realistic broker model. */
import { describe, it } from 'vitest';
import { assertModelRun } from './model-run.js';

describe('execution child orders (model-based, realistic broker)', () => {
  it('invariant 2: at most one child live; a new one only after the previous ended (never with a cancel or replace unconfirmed) or as a replacement the broker swapped in', () => {
    assertModelRun([2], { numRuns: 1000 });
  });

  it('invariant 3: re-pegs <= maxRepegs and limit children (submitted, or replacements the broker took) <= 1 + maxRepegs (schedule length for baselines)', () => {
    assertModelRun([3], { numRuns: 1000 });
  });
});

/** Child-order invariants, model-based against the realistic broker model. */
import { describe, it } from 'vitest';
import { assertModelRun } from './commands.js';

describe('execution child orders (model-based, realistic broker)', () => {
  it('invariant 2: at most one child live; a submit only after the previous child ended, never with a cancel unconfirmed', () => {
    assertModelRun([2], { numRuns: 1000 });
  });

  it('invariant 3: re-pegs <= maxRepegs and limit children <= 1 + maxRepegs (schedule length for baselines)', () => {
    assertModelRun([3], { numRuns: 1000 });
  });
});

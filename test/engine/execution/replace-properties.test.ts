/**
 * Every invariant in replace mode, model-based: scenarios are the ladder with `repegMode:
 * 'replace'` and at least one re-peg (the mixed scenarios of the other property files draw the
 * mode evenly), so that most runs time a limit out into a replace and then race its answer
 * (replaced, refused, the old order filling first, no answer at all) against fills, quotes and
 * timers.
 */
import { describe, it } from 'vitest';
import { adversarialCommands } from './adversarial-commands.js';
import { replaceSetupArb } from './harness.js';
import { assertModelRun } from './model-run.js';

describe('execution in replace mode (model-based)', () => {
  it('realistic broker: invariants 1-11 hold after every event, and the drive ends every run', () => {
    assertModelRun([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], { numRuns: 1000, setups: replaceSetupArb });
  });

  it('arbitrary events: stays safe (invariants 1-7, 9, 10 and 11)', () => {
    assertModelRun([1, 2, 3, 4, 5, 6, 7, 9, 10, 11], { numRuns: 500, commands: adversarialCommands, setups: replaceSetupArb });
  });

  it('arbitrary events: stays live (invariant 8)', () => {
    assertModelRun([8], { numRuns: 500, commands: adversarialCommands, setups: replaceSetupArb });
  });
});

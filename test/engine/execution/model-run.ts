/** The model-based property: a generated scenario, a command sequence, then the termination drive. */
import fc from 'fast-check';
import { realisticCommands, type Cmd } from './commands.js';
import { Harness, setupArb, type Setup } from './harness.js';
import type { DriveOptions, Invariant } from './invariants.js';

export interface RunOptions {
  readonly numRuns?: number;
  readonly maxCommands?: number;
  readonly setups?: fc.Arbitrary<Setup>;
  readonly commands?: fc.Arbitrary<Cmd>[];
  readonly seed?: number;
  /** Called with each finished run's harness (after the termination drive), e.g. to measure coverage. */
  readonly onRun?: (h: Harness) => void;
}

const driveArb: fc.Arbitrary<DriveOptions> = fc.record({
  confirmCancels: fc.boolean(),
  rejectSubmits: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  replaceReply: fc.constantFrom('confirm', 'confirm', 'reject', 'none'),
});

/** Model-based run of the machine under generated scenarios and command sequences. */
export function assertModelRun(invariants: readonly Invariant[], opts: RunOptions = {}): void {
  const checks = new Set(invariants);
  fc.assert(
    fc.property(opts.setups ?? setupArb, fc.commands(opts.commands ?? realisticCommands, { maxCommands: opts.maxCommands ?? 80, size: 'max' }), driveArb, (setup, cmds, drive) => {
      const box: { h?: Harness } = {};
      fc.modelRun(() => {
        box.h = new Harness(setup, checks);
        return { model: box.h.model, real: box.h };
      }, cmds);
      box.h!.finish(drive);
      opts.onRun?.(box.h!);
    }),
    { numRuns: opts.numRuns ?? 300, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) },
  );
}

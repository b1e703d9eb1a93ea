import seedrandom from 'seedrandom';
import type { OpenKeys } from './types.js';

/**
 * The train/test split of a sweep. The unit is the open (one symbol on one day): executions of
 * one open share its gap, its spreads and its drift, so splitting executions would let the test
 * set see the same market as the training set and flatter the winner.
 */
export interface OpenSplit {
  /** Execution indices (ascending) whose open is in the training set. */
  readonly train: number[];
  /** Execution indices (ascending) whose open is in the test set. */
  readonly test: number[];
  /** The opens of each side, in plan order. */
  readonly trainOpens: string[];
  readonly testOpens: string[];
  /**
   * Why the split is not an honest one, or null. With a single open there is nothing to hold out:
   * train and test are both that open, and test costs are in-sample.
   */
  readonly warning: string | null;
}

/**
 * Splits the distinct opens (in first-appearance order) by a seeded Fisher-Yates shuffle: the
 * first round(testFraction x opens) go to test, clamped so that both sides get at least one open
 * when there are two or more. No open is ever on both sides. Throws RangeError for a fraction
 * outside (0, 1) or no executions.
 */
export function splitOpens(openKeys: OpenKeys, testFraction: number, seed: string | number): OpenSplit {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`test fraction must be between 0 and 1 (exclusive), got ${testFraction}`);
  const opens = [...new Set(openKeys)];
  if (opens.length === 0) throw new RangeError('nothing to split: the plan has no executions');
  const all = openKeys.map((_, i) => i);
  if (opens.length === 1) {
    return { train: all, test: [...all], trainOpens: [...opens], testOpens: [...opens], warning: `only one open (${opens[0]}): train and test are the same executions, so test costs are in-sample` };
  }
  const u = seedrandom.alea(`split|${seed}`);
  const shuffled = [...opens];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const nTest = Math.min(opens.length - 1, Math.max(1, Math.round(testFraction * opens.length)));
  const testSet = new Set(shuffled.slice(0, nTest));
  const train: number[] = [];
  const test: number[] = [];
  openKeys.forEach((k, i) => (testSet.has(k) ? test : train).push(i));
  return {
    train,
    test,
    trainOpens: opens.filter((o) => !testSet.has(o)),
    testOpens: opens.filter((o) => testSet.has(o)),
    warning: null,
  };
}

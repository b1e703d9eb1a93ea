import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WeightedSampleBuilder, weightedQuantiles } from '../../../src/analysis/profile/time-weighted-quantile.js';

const sample = (pairs: Array<[number, number]>) => {
  const b = new WeightedSampleBuilder();
  for (const [v, w] of pairs) b.push(v, w);
  return b;
};

describe('weightedQuantiles', () => {
  it('returns the smallest value whose cumulative weight reaches q of the total', () => {
    // 1 for 30 ms, 2 for 30 ms: the median is 1 (30 >= 0.5 * 60), the p90 is 2.
    expect(weightedQuantiles(sample([[2, 30], [1, 30]]), [0.5, 0.9])).toEqual([1, 2]);
    // A long-standing quote outweighs a burst of short ones.
    expect(weightedQuantiles(sample([[5, 1], [5, 1], [5, 1], [1, 100]]), [0.5])).toEqual([1]);
    expect(weightedQuantiles(sample([[3, 10]]), [0.5, 0.9, 1])).toEqual([3, 3, 3]);
  });

  it('hits exact boundaries despite float rounding of q * total', () => {
    // 0.9 * 10 lands exactly on the cumulative weight of 7.
    expect(weightedQuantiles(sample([[7, 9], [8, 1]]), [0.9])).toEqual([7]);
    expect(weightedQuantiles(sample([[1, 3], [2, 7]]), [0.3])).toEqual([1]);
  });

  it('is null for an empty or weightless sample and rejects bad q', () => {
    expect(weightedQuantiles(sample([]), [0.5])).toEqual([null]);
    expect(weightedQuantiles(sample([[4, 0]]), [0.5])).toEqual([null]);
    expect(() => weightedQuantiles(sample([[1, 1]]), [0])).toThrow(RangeError);
  });

  it('agrees with expanding each value into `weight` unit copies', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 30 }),
      fc.constantFrom(0.1, 0.5, 0.9, 1),
      (pairs, q) => {
        const expanded = pairs.flatMap(([v, w]) => Array<number>(w).fill(v)).sort((a, b) => a - b);
        const expected = expanded.length === 0 ? null : expanded[Math.ceil(q * expanded.length - 1e-9) - 1]!;
        expect(weightedQuantiles(sample(pairs), [q])).toEqual([expected]);
      },
    ));
  });
});

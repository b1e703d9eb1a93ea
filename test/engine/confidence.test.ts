import { describe, expect, it } from 'vitest';
import { meanCi95, tCritical95 } from '../../src/engine/confidence.js';

describe('meanCi95', () => {
  it('uses the t distribution for small samples and 1.96 for large ones', () => {
    expect(tCritical95(1)).toBe(12.706);
    expect(tCritical95(30)).toBe(2.042);
    expect(tCritical95(500)).toBe(1.96);
    expect(meanCi95([1])).toBeNull();
    const [lo, hi] = meanCi95([2, 4])!; // mean 3, sd 1.414, se 1
    expect(lo).toBeCloseTo(3 - 12.706, 6);
    expect(hi).toBeCloseTo(3 + 12.706, 6);
  });

  it('covers the true mean about 95% of the time', () => {
    // Deterministic pseudo-normal draws (sum of 12 uniforms from an LCG) with mean 10.
    let seed = 42;
    const uniform = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let covered = 0;
    for (let trial = 0; trial < 2_000; trial++) {
      const xs = Array.from({ length: 12 }, () => 10 + Array.from({ length: 12 }, uniform).reduce((a, b) => a + b) - 6);
      const [lo, hi] = meanCi95(xs)!;
      if (lo <= 10 && 10 <= hi) covered++;
    }
    expect(covered / 2_000).toBeGreaterThan(0.93);
    expect(covered / 2_000).toBeLessThan(0.97);
  });
});

import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { pairedBootstrapCi } from '../../../src/analysis/stats/bootstrap.js';

/** Synthetic paired costs: `opens` opens of `per` executions; each open shares a market move both sides feel, and b costs `trueDiff` less than a. */
function synthetic(seed: string, opens: number, per: number, trueDiff: number) {
  const u = seedrandom.alea(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const a: number[] = [];
  const b: number[] = [];
  const clusters: string[] = [];
  for (let o = 0; o < opens; o++) {
    const market = 20 * normal(); // common to both: pairing removes it
    const openEffect = 2 * normal(); // the difference itself varies by open
    for (let k = 0; k < per; k++) {
      const noise = 20 * normal();
      b.push(market + noise);
      a.push(market + noise + trueDiff + openEffect + 0.5 * normal());
      clusters.push(`open${o}`);
    }
  }
  return { a, b, clusters, all: a.map((_, i) => i) };
}

describe('pairedBootstrapCi', () => {
  it('computes the mean paired difference and is deterministic for a seed', () => {
    const r = pairedBootstrapCi([3, 5, 7], [1, 1, 1], [0, 1, 2], 1, 500);
    expect(r.meanDiffBps).toBe(4);
    expect(r.ci95[0]).toBeGreaterThanOrEqual(2);
    expect(r.ci95[1]).toBeLessThanOrEqual(6);
    expect(pairedBootstrapCi([3, 5, 7], [1, 1, 1], [0, 1, 2], 1, 500)).toEqual(r);
    const { a, b, all } = synthetic('seeded', 5, 6, 1);
    const one = pairedBootstrapCi(a, b, all, 1);
    expect(pairedBootstrapCi(a, b, all, 1)).toEqual(one);
    expect(pairedBootstrapCi(a, b, all, 2).ci95).not.toEqual(one.ci95);
  });

  it('uses only the given indices', () => {
    expect(pairedBootstrapCi([100, 2, 4], [0, 0, 0], [1, 2], 1).meanDiffBps).toBe(3);
  });

  it('covers the true difference in most synthetic experiments, clustered by open', () => {
    let covered = 0;
    const runs = 40;
    for (let s = 0; s < runs; s++) {
      const { a, b, clusters, all } = synthetic(`cover${s}`, 15, 8, -1.5);
      const r = pairedBootstrapCi(a, b, all, s, 1000, clusters);
      if (r.ci95[0] <= -1.5 && -1.5 <= r.ci95[1]) covered++;
    }
    // Nominal 95%; a percentile bootstrap on 15 clusters runs a little short of it.
    expect(covered / runs).toBeGreaterThanOrEqual(0.8);
  });

  it('gives a wider interval when executions of an open are correlated and clusters are respected', () => {
    const { a, b, clusters, all } = synthetic('wide', 10, 20, 0);
    const flat = pairedBootstrapCi(a, b, all, 1, 2000);
    const byOpen = pairedBootstrapCi(a, b, all, 1, 2000, clusters);
    expect(byOpen.meanDiffBps).toBe(flat.meanDiffBps);
    expect(byOpen.ci95[1] - byOpen.ci95[0]).toBeGreaterThan(1.5 * (flat.ci95[1] - flat.ci95[0]));
  });

  it('collapses to the point for one cluster and is NaN for no executions', () => {
    const r = pairedBootstrapCi([1, 3], [0, 0], [0, 1], 1, 100, ['x', 'x']);
    expect(r).toEqual({ meanDiffBps: 2, ci95: [2, 2] });
    expect(pairedBootstrapCi([1], [0], [], 1).meanDiffBps).toBeNaN();
  });
});

import { describe, expect, it } from 'vitest';
import { describeFlip, rankingFlips } from '../../../src/analysis/summary/ranking-flips.js';
import type { StrategySummary } from '../../../src/analysis/summary/strategy-summary.js';

const row = (strategy: string, liquidity: string | null, mean: number): StrategySummary =>
  ({ strategy, liquidity, costBps: { n: 1, mean, meanCi95: null, median: mean, p90: mean } }) as unknown as StrategySummary;

describe('ranking flips between liquidity models', () => {
  it('names each pair whose order by mean cost differs, and only those', () => {
    const flips = rankingFlips([
      row('ladder', 'conservative', 1.2), row('ladder', 'nominal', 0.9),
      row('progressive', 'conservative', 0.5), row('progressive', 'nominal', 1.1),
      row('market', 'conservative', 3), row('market', 'nominal', 3),
    ]);
    expect(flips).toEqual([
      { strategies: ['ladder', 'progressive'], byLiquidity: { conservative: { cheaper: 'progressive', meanCostBps: [1.2, 0.5] }, nominal: { cheaper: 'ladder', meanCostBps: [0.9, 1.1] } } },
    ]);
    expect(describeFlip(flips[0]!)).toBe('ladder vs progressive: progressive cheaper under conservative (1.20 vs 0.50 bps); ladder cheaper under nominal (0.90 vs 1.10 bps)');
  });

  it('needs two models to flip', () => {
    expect(rankingFlips([row('ladder', 'conservative', 1), row('market', 'conservative', 2)])).toEqual([]);
    expect(rankingFlips([row('ladder', null, 1), row('market', null, 2)])).toEqual([]);
  });
});

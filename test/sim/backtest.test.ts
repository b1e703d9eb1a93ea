import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config.js';
import { runBacktest, type BacktestPlan } from '../../src/sim/backtest.js';
import { DEFAULT_FILL_MODEL } from '../../src/sim/fill-model-config.js';
import { generateOpen, TQQQ_LIKE } from '../../src/sim/synthetic/index.js';

function plan(seed: number): BacktestPlan {
  return {
    tapes: ['2024-03-04', '2024-03-05'].map((date) => ({ label: date, load: () => generateOpen(TQQQ_LIKE, date, 3) })),
    sides: ['buy', 'sell'],
    quantities: [100e9, 2.5e9],
    decisionTimes: ['09:30:00', '09:40:00'],
    strategies: ['ladder', 'market'],
    config: DEFAULT_CONFIG,
    fillModel: DEFAULT_FILL_MODEL,
    liquidity: ['conservative'],
    seed,
  };
}

describe('runBacktest', () => {
  it('runs every strategy on every order of every open, in a fixed order with unique ids', () => {
    const seen: string[] = [];
    const reports = runBacktest(plan(1), (done, total, label) => seen.push(`${done}/${total} ${label}`));
    expect(reports).toHaveLength(2 * 2 * 2 * 2 * 2);
    expect(seen).toEqual(['1/2 2024-03-04', '2/2 2024-03-05']);
    expect(new Set(reports.map((r) => r.executionId)).size).toBe(reports.length);
    expect(reports.slice(0, 2).map((r) => r.strategy)).toEqual(['ladder', 'market']);
    expect(reports.every((r) => r.filledQty <= r.qty)).toBe(true);
  });

  it('runs each order under each liquidity model, tagged, with its whole-order cost charged', () => {
    const both = runBacktest({ ...plan(1), liquidity: ['conservative', 'nominal'] });
    expect(both).toHaveLength(2 * 2 * 2 * 2 * 2 * 2);
    expect(both.slice(0, 4).map((r) => `${r.strategy}/${r.liquidity}`)).toEqual(['ladder/conservative', 'market/conservative', 'ladder/nominal', 'market/nominal']);
    expect(new Set(both.map((r) => r.executionId)).size).toBe(both.length);
    // The default model's executions are those of a single-model run.
    expect(both.filter((r) => r.liquidity === 'conservative')).toEqual(runBacktest(plan(1)));
    for (const r of both) {
      expect(r.chargedCostBps).not.toBeNull();
      if (r.outcome === 'filled') expect(r.chargedCostBps).toBeCloseTo(r.tca.costBps!, 9);
    }
  });

  it('is deterministic for a seed and sensitive to it', () => {
    expect(runBacktest(plan(1))).toEqual(runBacktest(plan(1)));
    expect(runBacktest(plan(2))).not.toEqual(runBacktest(plan(1)));
  });
});

import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import { distribution, summarizeByStrategy } from '../../src/engine/summary.js';

function report(strategy: string, decisionTime: number, costBps: number | null, over: Partial<ExecutionReport> = {}): ExecutionReport {
  return {
    executionId: `${strategy}-${decisionTime}`, strategy, symbol: 'TQQQ', date: '2024-03-04', side: 'buy', qty: 100e9, decisionTime,
    arrival: null, outcome: costBps === null ? 'failed' : 'filled', reason: null, filledQty: costBps === null ? 0 : 100e9,
    repegs: 0, usedFallback: false, durationMs: 1000, childOrders: [], events: [],
    tca: { arrivalMid: 1, avgPrice: 1, costBps, costCentsPerShare: costBps === null ? null : costBps / 2, effectiveCostBps: null, vwap: null, vwapCostBps: null, alert: false },
    ...over,
  };
}

describe('summaries', () => {
  it('computes mean, median and linear-interpolated p90', () => {
    const d = distribution([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(d).toMatchObject({ n: 10, mean: 5.5, median: 5.5, p90: 9.1 });
    // sd = 3.0277, se = 0.9574, t(9) = 2.262
    expect(d.meanCi95![0]).toBeCloseTo(5.5 - 2.262 * 0.957427, 4);
    expect(d.meanCi95![1]).toBeCloseTo(5.5 + 2.262 * 0.957427, 4);
    expect(distribution([])).toEqual({ n: 0, mean: null, meanCi95: null, median: null, p90: null });
  });

  it('summarises each strategy and pairs it with the baseline on the same orders', () => {
    const reports = [
      report('market', 1, 4), report('market', 2, 6),
      report('ladder', 1, 1, { repegs: 2, usedFallback: true }), report('ladder', 2, null), report('ladder', 3, 0),
    ];
    const [market, ladder] = summarizeByStrategy(reports, 'market');
    expect(market!.pairedDiffBps).toBeNull();
    expect(ladder!.executions).toBe(3);
    expect(ladder!.fillRate).toBeCloseTo(2 / 3);
    expect(ladder!.costBps.mean).toBeCloseTo(0.5);
    expect(ladder!.pairedDiffBps).toEqual({ n: 1, mean: -3, meanCi95: null, median: -3, p90: -3 }); // only order 1 has both
    expect(ladder!.meanRepegs).toBeCloseTo(2 / 3);
    expect(ladder!.fallbackRate).toBeCloseTo(1 / 3);
  });
});

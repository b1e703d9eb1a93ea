import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../../src/engine/execution-report.js';
import { summarizeStrategies } from '../../../src/analysis/summary/strategy-summary.js';

function report(o: { strategy: string; date: string; t: number; charged: number; filled?: boolean; liquidity?: string; repegs?: number }): ExecutionReport {
  const filled = o.filled ?? true;
  return {
    executionId: `${o.strategy}-${o.date}-${o.t}-${o.liquidity ?? ''}`, strategy: o.strategy, symbol: 'TQQQ', date: o.date, side: 'buy', qty: 100e9, decisionTime: o.t,
    liquidity: o.liquidity ?? 'conservative', arrival: null, outcome: filled ? 'filled' : 'partial', reason: filled ? null : 'stopped', filledQty: filled ? 100e9 : 50e9,
    repegs: o.repegs ?? 0, usedFallback: false, durationMs: 1000, childOrders: [], events: [],
    tca: { arrivalMid: 500_000, avgPrice: 500_000, costBps: filled ? o.charged : 1, costCentsPerShare: null, effectiveCostBps: null, vwap: null, vwapCostBps: null, alert: false, alertBoundBps: 25, alertBoundClass: null },
    chargedCostBps: o.charged,
  };
}

describe('strategy summaries', () => {
  it('cost the whole order (unfilled charged), with the fill rate and the filled-only cost beside it', () => {
    const reports = [
      report({ strategy: 'market', date: 'd1', t: 1, charged: 4 }),
      report({ strategy: 'market', date: 'd2', t: 1, charged: 6 }),
      report({ strategy: 'ladder', date: 'd1', t: 1, charged: 10, filled: false, repegs: 2 }),
      report({ strategy: 'ladder', date: 'd2', t: 1, charged: 2 }),
    ];
    const [market, ladder] = summarizeStrategies(reports, { seed: 1 });
    expect(market).toMatchObject({ strategy: 'market', liquidity: 'conservative', executions: 2, opens: 2, pairedDiffBps: null });
    expect(ladder!.fillRate).toBe(0.5);
    expect(ladder!.costBps.mean).toBe(6); // the unfilled order counts at its charge, not at its filled part's 1 bps
    expect(ladder!.filledCostBps.mean).toBe(1.5);
    expect(ladder!.costCentsPerShare.mean).toBeCloseTo((6 * 50) / 100, 9); // bps x $50 / 100
    expect(ladder!.pairedDiffBps).toMatchObject({ n: 2, mean: 1 });
    expect(ladder!.meanRepegs).toBe(1);
    expect(ladder!.timeToFillMs.n).toBe(1);
  });

  it('resamples opens, not orders: many orders on one open give no interval, and identical opens a point', () => {
    const oneOpen = Array.from({ length: 50 }, (_, t) => report({ strategy: 'ladder', date: 'd1', t, charged: t % 7 }));
    expect(summarizeStrategies(oneOpen, { seed: 1 })[0]!.costBps.meanCi95).toBeNull();
    // Two opens whose order costs differ wildly inside each but average the same: the open-level
    // interval collapses, where an interval over orders would be wide.
    const same = ['d1', 'd2', 'd3'].flatMap((date) => [0, 10].map((c, t) => report({ strategy: 'ladder', date, t, charged: c })));
    const ci = summarizeStrategies(same, { seed: 1 })[0]!.costBps.meanCi95!;
    expect(ci[0]).toBeCloseTo(5, 9);
    expect(ci[1]).toBeCloseTo(5, 9);
  });

  it('summarises each liquidity model apart, pairs within a model, and is deterministic for a seed', () => {
    const reports = ['conservative', 'nominal'].flatMap((liquidity) => [
      report({ strategy: 'ladder', date: 'd1', t: 1, charged: liquidity === 'nominal' ? 1 : 3, liquidity }),
      report({ strategy: 'market', date: 'd1', t: 1, charged: 5, liquidity }),
      report({ strategy: 'ladder', date: 'd2', t: 1, charged: 2, liquidity }),
      report({ strategy: 'market', date: 'd2', t: 1, charged: 4, liquidity }),
    ]);
    const s = summarizeStrategies(reports, { seed: 7 });
    expect(s.map((x) => `${x.strategy}/${x.liquidity}`)).toEqual(['ladder/conservative', 'ladder/nominal', 'market/conservative', 'market/nominal']);
    expect(s[0]!.pairedDiffBps!.mean).toBe(-2);
    expect(s[1]!.pairedDiffBps!.mean).toBe(-3);
    expect(summarizeStrategies(reports, { seed: 7 })).toEqual(s);
  });
});

import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../../src/engine/execution-report.js';
import type { RebalanceLeg, RebalanceState } from '../../../src/engine/rebalance/machine-types.js';
import { summarizeRebalance } from '../../../src/engine/rebalance/summary.js';
import { richReport } from '../../store/fixtures.js';

const SH = 1e9;
const leg = (symbol: string, side: 'buy' | 'sell', qty: number, price: number): RebalanceLeg => ({
  symbol, side, executionId: `RB:${symbol}`, plannedQty: qty, desiredQty: qty, status: 'done', sentQty: qty, priceCap: null, reserved: 0,
  filledQty: qty, notional: BigInt(qty) * BigInt(price), execution: null, note: null,
});
const state = (legs: RebalanceLeg[]): RebalanceState => ({
  rebalanceId: 'RB', phase: 'done', cashBefore: 1_000_000, positionsBefore: { A: 10 * SH }, legs, quotes: {}, sizingDeadline: null,
  timer: null, timerSeq: 0, buysWithSells: false, windows: null, outcome: { status: 'completed', reason: null, at: 0 },
});
const report = (symbol: string, side: 'buy' | 'sell', mid: number, fills: [number, number][]): ExecutionReport => {
  const base = richReport({ executionId: `RB:${symbol}`, symbol, side });
  return {
    ...base,
    tca: { ...base.tca, arrivalMid: mid },
    childOrders: [{ ...base.childOrders[0]!, fills: fills.map(([qty, price]) => ({ time: 0, qty, price, bid: null, ask: null })) }],
  };
};

describe('summarizeRebalance', () => {
  // $100 cash and 10 A; A sold at 9.99 against a 10.00 mid, 5 B bought at 20.02 against 20.00, B last at 20.00/20.02.
  const s = summarizeRebalance(
    state([leg('A', 'sell', 10 * SH, 99_900), leg('B', 'buy', 5 * SH, 200_200)]),
    2_000_000,
    [report('A', 'sell', 100_000, [[10 * SH, 99_900]]), report('B', 'buy', 200_000, [[2 * SH, 200_200], [3 * SH, 200_200]])],
    { kind: 'weights', weights: { A: 0, B: 0.5 } },
    { A: { time: 0, bid: 99_900, ask: 100_100, bidSize: 1, askSize: 1 }, B: { time: 0, bid: 200_000, ask: 200_200, bidSize: 1, askSize: 1 } },
  );

  it('books cash exactly, values the positions at the last mid, and weighs the cost by notional', () => {
    expect(s.cashBefore).toBe(100);
    expect(s.cashAfter).toBeCloseTo(100 + 99.9 - 100.1, 9);
    expect(s.equityBefore).toBe(200);
    expect(s.equityAfter).toBeCloseTo(99.8 + 5 * 20.01, 9);
    expect(s.weightsAfter).toEqual({ A: 0, B: (5 * 20.01) / (99.8 + 5 * 20.01) });
    // Before: 10 A at its leg's $10.00 arrival mid of $200 equity; no B.
    expect(s.weightsBefore).toEqual({ A: 0.5, B: 0 });
    expect(s.targetWeights).toEqual({ A: 0, B: 0.5 });
    expect(s.maxDriftPct).toBeCloseTo(((5 * 20.01) / (99.8 + 5 * 20.01) - 0.5) * 100, 9);
    // 10 cents on each leg, over $200 of notional at the arrival mids.
    expect(s.costUsd).toBeCloseTo(0.2, 9);
    expect(s.costBps).toBeCloseTo(10, 9);
  });

  it('has no cost when nothing filled, and a share target is valued at the last mid', () => {
    const none = summarizeRebalance(state([]), 2_000_000, [], { kind: 'shares', shares: { A: 5 * SH } }, { A: { time: 0, bid: 99_900, ask: 100_100, bidSize: 1, askSize: 1 } });
    expect(none.costBps).toBeNull();
    expect(none.costUsd).toBe(0);
    expect(none.equityAfter).toBe(200);
    expect(none.weightsAfter).toEqual({ A: 0.5 });
    expect(none.weightsBefore).toEqual({ A: 0.5 }); // no leg: the last mid
    expect(none.targetWeights.A).toBeCloseTo(0.25, 12); // 5 shares at the 10.00 mid, of $200
    expect(none.maxDriftPct).toBeCloseTo(25, 9); // 50% held against 5 shares = 25% of $200
  });
});

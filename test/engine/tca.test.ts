import { describe, expect, it } from 'vitest';
import { computeTca } from '../../src/engine/tca.js';

const arrival = { time: 0, bid: 490_300, ask: 490_800, bidSize: 100, askSize: 100 }; // mid 49.055
const fill = (price: number, shares: number, bid: number | null = 490_300, ask: number | null = 490_800) => ({ time: 1, price, qty: shares * 1e9, bid, ask });

describe('computeTca', () => {
  it('measures shortfall against the arrival mid, positive = cost, in bps and cents per share', () => {
    const buy = computeTca({ side: 'buy', arrival, fills: [fill(490_800, 300), fill(490_900, 200)], vwap: 490_500, alertCostBps: 25 });
    expect(buy.avgPrice).toBeCloseTo(490_840, 6);
    expect(buy.costCentsPerShare).toBeCloseTo(2.9, 9); // 49.0840 - 49.055
    expect(buy.costBps).toBeCloseTo((290 / 490_550) * 1e4, 9);
    expect(buy.vwapCostBps).toBeCloseTo((340 / 490_500) * 1e4, 9);
    expect(buy.effectiveCostBps).toBeCloseTo((0.6 * 250 + 0.4 * 350) / 490_550 * 1e4, 9);
    expect(buy.alert).toBe(false);
    const sell = computeTca({ side: 'sell', arrival, fills: [fill(490_300, 100)], vwap: null, alertCostBps: 3 });
    expect(sell.costCentsPerShare).toBeCloseTo(2.5, 9);
    expect(sell.vwapCostBps).toBeNull();
    expect(sell.alert).toBe(true);
    // The bound travels with the record, so an alert read back says what it was judged against.
    expect([sell.alertBoundBps, sell.alertBoundClass]).toEqual([3, null]);
    const assessed = computeTca({ side: 'sell', arrival, fills: [fill(490_300, 100)], vwap: null, alertCostBps: 60, alertBoundClass: 'wide' });
    expect([assessed.alert, assessed.alertBoundBps, assessed.alertBoundClass]).toEqual([false, 60, 'wide']);
  });

  it('leaves costs null without fills or without an arrival, and skips invalid NBBOs in the effective cost', () => {
    const none = computeTca({ side: 'buy', arrival, fills: [], vwap: 1, alertCostBps: 1 });
    expect([none.avgPrice, none.costBps, none.effectiveCostBps, none.vwapCostBps, none.alert]).toEqual([null, null, null, null, false]);
    const noArrival = computeTca({ side: 'buy', arrival: null, fills: [fill(490_800, 1, null, null)], vwap: null, alertCostBps: 1 });
    expect(noArrival.costBps).toBeNull();
    expect(noArrival.effectiveCostBps).toBeNull();
  });
});

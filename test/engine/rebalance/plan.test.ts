import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRebalance } from '../../../src/engine/rebalance/plan.js';
import type { RebalanceInput, RebalancePlan } from '../../../src/engine/rebalance/plan-types.js';
import type { Quote } from '../../../src/engine/quote.js';
import { exactGuard, shortestDecimal } from '../guard-oracle.js';
import { dollarsOf, midOf, portfolioArb } from './portfolio-arbitraries.js';

const q = (bid: number, ask: number): Quote => ({ time: 0, bid, ask, bidSize: 100, askSize: 100 });
const SH = 1e9;

/** Test-side arithmetic in floats: equity, target shares and weights, independent of the plan's integers. */
function oracle(input: RebalanceInput) {
  const symbols = [...new Set([...Object.keys(input.positions), ...Object.keys(input.targets.kind === 'weights' ? input.targets.weights : input.targets.shares)])];
  const mid = (s: string): number => midOf(input.markets[s]!.quote);
  const equity = input.cash / 1e4 + symbols.reduce((sum, s) => sum + dollarsOf(input.positions[s] ?? 0, mid(s)), 0);
  const targetShares = (s: string): number =>
    input.targets.kind === 'weights' ? (equity * (input.targets.weights[s] ?? 0)) / (mid(s) / 1e4) : (input.targets.shares[s] ?? input.positions[s] ?? 0) / SH;
  const weightNow = (s: string): number => (equity > 0 ? dollarsOf(input.positions[s] ?? 0, mid(s)) / equity : 0);
  const weightTarget = (s: string): number => (equity > 0 ? (targetShares(s) * mid(s)) / 1e4 / equity : 0);
  return { symbols, mid, equity, targetShares, weightNow, weightTarget };
}

/** Worst price a buy may pay: the guard (or ask) raised by the buffer, computed here from the guard oracle. */
function capBound(input: RebalanceInput, s: string): { low: number; high: number } {
  const m = input.markets[s]!;
  const base = m.maxSlippageBps === null ? m.quote.ask : exactGuard('buy', m.quote.bid + m.quote.ask, shortestDecimal(m.maxSlippageBps));
  return { low: base, high: base * (1 + input.settings.cashBufferBps / 1e4) };
}

function sellFloor(input: RebalanceInput, s: string): number {
  const m = input.markets[s]!;
  return m.maxSlippageBps === null ? m.quote.bid : exactGuard('sell', m.quote.bid + m.quote.ask, shortestDecimal(m.maxSlippageBps));
}

const orders = (p: RebalancePlan) => [...p.sells, ...p.buys];
const RUNS = { numRuns: 400 };

describe('rebalance plan: invariants over random portfolios', () => {
  it('never sells more than is held, and never sells a symbol it buys', () => {
    fc.assert(
      fc.property(portfolioArb, (input) => {
        const plan = planRebalance(input);
        for (const o of plan.sells) {
          expect(o.side).toBe('sell');
          expect(o.qty).toBeGreaterThan(0);
          expect(o.qty).toBeLessThanOrEqual(input.positions[o.symbol] ?? 0);
        }
        const sold = new Set(plan.sells.map((o) => o.symbol));
        for (const o of plan.buys) expect(sold.has(o.symbol)).toBe(false);
      }),
      RUNS,
    );
  });

  it('accounts for every symbol exactly once: an order or a reason to leave it alone', () => {
    fc.assert(
      fc.property(portfolioArb, (input) => {
        const plan = planRebalance(input);
        const named = [...orders(plan).map((o) => o.symbol), ...plan.leftAlone.map((l) => l.symbol)].sort();
        expect(named).toEqual([...oracle(input).symbols].sort());
        for (const o of orders(plan)) expect(o.reason).not.toBe('');
      }),
      RUNS,
    );
  });

  it('never plans a negative cash balance: the buys at their caps cost at most the cash plus what the sells surely raise', () => {
    fc.assert(
      fc.property(portfolioArb, (input) => {
        const plan = planRebalance(input);
        const proceeds = plan.sells.reduce((sum, o) => sum + dollarsOf(o.qty, sellFloor(input, o.symbol)), 0);
        const cost = plan.buys.reduce((sum, o) => sum + dollarsOf(o.qty, o.priceCap!), 0);
        expect(cost).toBeLessThanOrEqual(input.cash / 1e4 + proceeds + 1e-6);
        if (plan.buysCoveredByCash) {
          expect(plan.buys.reduce((sum, o) => sum + dollarsOf(o.desiredQty, o.priceCap!), 0)).toBeLessThanOrEqual(input.cash / 1e4 + 1e-6);
        }
      }),
      RUNS,
    );
  });

  it('caps each buy between its guard (or ask) and that raised by the cash buffer, on the grid', () => {
    fc.assert(
      fc.property(portfolioArb, (input) => {
        for (const o of planRebalance(input).buys) {
          const { low, high } = capBound(input, o.symbol);
          expect(o.priceCap!).toBeGreaterThanOrEqual(low);
          expect(o.priceCap!).toBeLessThanOrEqual(high + 1e-9);
          expect(o.priceCap! < 10_000 || o.priceCap! % 100 === 0).toBe(true);
          expect(o.qty).toBeLessThanOrEqual(o.desiredQty);
        }
      }),
      RUNS,
    );
  });

  it('sends whole shares in whole-share mode, nothing under the minimum trade, nothing for drift under the threshold', () => {
    fc.assert(
      fc.property(portfolioArb, (input) => {
        const o = oracle(input);
        for (const order of orders(planRebalance(input))) {
          if (input.settings.wholeShares) expect(order.qty % SH).toBe(0);
          expect(dollarsOf(order.qty, o.mid(order.symbol))).toBeGreaterThanOrEqual(input.settings.minTradeUsd - 1e-4);
          const drift = Math.abs(o.weightNow(order.symbol) - o.weightTarget(order.symbol)) * 100;
          // The plan values in whole money units (1/10,000 dollar, floored); this oracle in floats.
          // On a small portfolio a unit or two of rounding is a visible fraction of a percentage point.
          const rounding = (100 * 2) / Math.max(1, o.equity * 1e4);
          expect(drift).toBeGreaterThanOrEqual(input.settings.driftPct - 1e-9 - rounding);
        }
      }),
      RUNS,
    );
  });

  it('moves each symbol toward its target and never past it (a sell by at most half a share when rounding whole shares)', () => {
    fc.assert(
      fc.property(portfolioArb, (input) => {
        const o = oracle(input);
        const slack = input.settings.wholeShares ? 0.5 : 1e-8;
        for (const order of orders(planRebalance(input))) {
          const held = (input.positions[order.symbol] ?? 0) / SH;
          const target = o.targetShares(order.symbol);
          if (order.side === 'sell') {
            expect(target).toBeLessThan(held + 1e-8);
            expect(held - order.qty / SH).toBeGreaterThanOrEqual(target - slack - 1e-6 * Math.max(1, target));
          } else {
            expect(target).toBeGreaterThan(held - 1e-8);
            expect(held + order.qty / SH).toBeLessThanOrEqual(target + 1e-6 * Math.max(1, target));
          }
        }
      }),
      RUNS,
    );
  });

  it('with fractional shares, no thresholds and enough cash, reaches every target to the 1e-9 share', () => {
    // Share targets, so that the extra cash (more than any generated buy needs) does not move them.
    const unbound = portfolioArb.map((input) => ({
      ...input,
      targets: input.targets.kind === 'shares' ? input.targets : { kind: 'shares' as const, shares: { ...input.positions, [Object.keys(input.positions)[0]!]: 1234.5 * SH } },
      cash: input.cash + 1e15,
      settings: { wholeShares: false, minTradeUsd: 0, driftPct: 0, cashBufferBps: input.settings.cashBufferBps },
    }));
    fc.assert(
      fc.property(unbound, (input) => {
        const o = oracle(input);
        const plan = planRebalance(input);
        for (const s of o.symbols) {
          const order = orders(plan).find((x) => x.symbol === s);
          const after = ((input.positions[s] ?? 0) + (order === undefined ? 0 : order.side === 'buy' ? order.qty : -order.qty)) / SH;
          expect(Math.abs(after - o.targetShares(s))).toBeLessThanOrEqual(2e-9 + 1e-9 * o.targetShares(s));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('rebalance plan: examples', () => {
  const settings = { wholeShares: true, minTradeUsd: 1, driftPct: 0, cashBufferBps: 10 };

  it('sells the overweight name and buys the others with what the sell surely raises', () => {
    // $1,000 cash; 1,000 BAC at $14.00/$14.01 (mid 14.005): equity $15,005.
    const plan = planRebalance({
      targets: { kind: 'weights', weights: { BAC: 0.1, AIG: 0.45, IBM: 0.45 } },
      positions: { BAC: 1000 * SH },
      cash: 1000 * 1e4,
      markets: {
        BAC: { quote: q(140_000, 140_100), maxSlippageBps: 50 },
        AIG: { quote: q(480_000, 480_100), maxSlippageBps: 50 },
        IBM: { quote: q(1_830_000, 1_830_200), maxSlippageBps: 50 },
      },
      settings,
    });
    // BAC target: $1,500.50 / $14.005 = 107.14 shares, so sell 893 (rounded to the nearest share).
    expect(plan.sells.map((o) => [o.symbol, o.qty / SH])).toEqual([['BAC', 893]]);
    // The sell surely raises 893 x $13.94 (its guard, 50 bps under the mid, rounded up) = $12,448.42.
    expect(plan.expectedSellProceeds).toBe(893 * 139_400);
    // AIG wants $6,752.25 / $48.005 = 140 shares, IBM 36 shares; at their caps (the guard, $48.24 and
    // $183.92, plus 10 bps, rounded down) they need 140 x $48.28 + 36 x $184.10 = $13,386.80, within
    // $1,000 + $12,448.42: nothing is cut. The cash alone would not cover them.
    expect(plan.buys.map((o) => [o.symbol, o.qty / SH, o.priceCap])).toEqual([
      ['AIG', 140, 482_800],
      ['IBM', 36, 1_841_000],
    ]);
    expect(plan.buysCoveredByCash).toBe(false);
  });

  it('cuts every buy by the same fraction when the cash cannot cover them', () => {
    const plan = planRebalance({
      targets: { kind: 'weights', weights: { AAA: 0.5, BBB: 0.5 } },
      positions: {},
      cash: 1000 * 1e4,
      markets: { AAA: { quote: q(99_900, 100_100), maxSlippageBps: null }, BBB: { quote: q(99_900, 100_100), maxSlippageBps: null } },
      settings: { wholeShares: false, minTradeUsd: 1, driftPct: 0, cashBufferBps: 100 },
    });
    // Each wants $500 / $10.00 = 50 shares; the cap is the ask + 1% = $10.11, so $1,011 is needed for $1,000.
    const [a, b] = plan.buys;
    expect(a!.desiredQty).toBe(50 * SH);
    expect(a!.priceCap).toBe(101_100);
    expect(a!.qty).toBe(b!.qty);
    expect(a!.qty).toBeLessThan(50 * SH);
    expect(a!.qty * 101_100 * 2).toBeLessThanOrEqual(1000 * 1e4 * SH);
    expect(a!.reason).toContain('cash covers');
  });

  it('leaves alone what is at its target, under the drift threshold, or worth less than the minimum trade', () => {
    const plan = planRebalance({
      targets: { kind: 'shares', shares: { AAA: 10 * SH, BBB: 101 * SH, CCC: 10.05 * SH } },
      positions: { AAA: 10 * SH, BBB: 100 * SH, CCC: 10 * SH },
      cash: 0,
      markets: { AAA: { quote: q(100_000, 100_100), maxSlippageBps: 50 }, BBB: { quote: q(100_000, 100_100), maxSlippageBps: 50 }, CCC: { quote: q(100_000, 100_100), maxSlippageBps: 50 } },
      settings: { wholeShares: false, minTradeUsd: 1, driftPct: 0.5, cashBufferBps: 10 },
    });
    // Equity 120.05 shares x $10.005. BBB drifts 0.83 pp from its target, but there is no cash to buy
    // with; CCC's 0.05 share is 0.04 pp.
    expect(plan.leftAlone).toEqual([
      { symbol: 'AAA', reason: 'at its target' },
      { symbol: 'BBB', reason: 'no cash for it' },
      { symbol: 'CCC', reason: 'drift 0.04 pp is below driftPct 0.5' },
    ]);
    expect(orders(plan)).toEqual([]);
  });
});

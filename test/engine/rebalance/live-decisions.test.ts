/**
 * The pure decisions the live rebalance takes between its legs (issue 11, live part): the buys'
 * budget after the sells, the buys sized from it, the rails on a plan, the outcome of its legs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buyBudgetAfterSells, decideBuys } from '../../../src/engine/rebalance/buy-decisions.js';
import { notionalCeil } from '../../../src/engine/money.js';
import { outcomeOfLegs, type EndedLeg } from '../../../src/engine/rebalance/leg-books.js';
import { planRebalance } from '../../../src/engine/rebalance/plan.js';
import { checkRebalanceRails } from '../../../src/engine/rebalance/rails.js';
import type { ExecutionReport } from '../../../src/engine/execution-report.js';
import { machineSettings } from './rebalance-harness.js';
import { portfolioArb } from './portfolio-arbitraries.js';

const money = fc.integer({ min: -1_000_000_000, max: 10_000_000_000 });

describe('buyBudgetAfterSells: nothing is bought with money that does not exist', () => {
  it('never above what the account says, never below zero, never above the cash before plus what the sells raised', () => {
    fc.assert(
      fc.property(money, fc.array(money, { maxLength: 5 }), money, (cashBefore, proceeds, account) => {
        const b = buyBudgetAfterSells(cashBefore, proceeds, account);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(Math.max(0, account));
        expect(b).toBeLessThanOrEqual(Math.max(0, cashBefore + proceeds.filter((p) => p > 0).reduce((x, y) => x + y, 0)));
      }),
    );
  });

  it('a failed sell (no proceeds) leaves the buys only the cash before', () => {
    expect(buyBudgetAfterSells(1_000_000, [0, 0], 50_000_000)).toBe(1_000_000);
    expect(buyBudgetAfterSells(1_000_000, [2_000_000, 0], 50_000_000)).toBe(3_000_000);
    // The account is the last word: a broker balance below the books wins.
    expect(buyBudgetAfterSells(1_000_000, [2_000_000], 2_500_000)).toBe(2_500_000);
  });
});

describe('decideBuys sizes the plan\'s buys to a budget', () => {
  it('the started buys reserve no more than the budget at their caps, none above what it wanted, and each is bought at most at its cap', () => {
    fc.assert(
      fc.property(portfolioArb, fc.double({ min: 0, max: 1.5, noNaN: true }), (input, fraction) => {
        const plan = planRebalance(input);
        const settings = machineSettings(input);
        const wanted = plan.buys.reduce((s, o) => s + notionalCeil(o.desiredQty, o.priceCap!), 0);
        const budget = Math.floor(wanted * fraction);
        const decisions = decideBuys(plan.buys.map((o) => ({ symbol: o.symbol, desiredQty: o.desiredQty, quote: input.markets[o.symbol]!.quote })), budget, settings);
        let reserved = 0;
        for (const d of decisions) {
          const o = plan.buys.find((b) => b.symbol === d.symbol)!;
          if (d.kind === 'drop') continue;
          expect(d.qty).toBeLessThanOrEqual(o.desiredQty);
          expect(d.qty).toBeGreaterThan(0);
          expect(d.reserved).toBeGreaterThanOrEqual(notionalCeil(d.qty, d.cap));
          reserved += d.reserved;
        }
        expect(reserved).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 200 },
    );
  });
});

describe('checkRebalanceRails', () => {
  const quote = { time: 0, bid: 999_000, ask: 1_001_000, bidSize: 100, askSize: 100 }; // $99.90 x $100.10
  const markets = { AAA: { quote, maxSlippageBps: 50 }, BBB: { quote, maxSlippageBps: 50 } };
  const plan = planRebalance({ targets: { kind: 'weights', weights: { AAA: 0, BBB: 0.9 } }, positions: { AAA: 100e9 }, cash: 2_000 * 10_000, markets, settings: { wholeShares: true, minTradeUsd: 1, driftPct: 0, cashBufferBps: 10 } });

  it('passes a plan within both rails and names the order and the total that break them', () => {
    expect(checkRebalanceRails(plan, markets, { maxNotionalPerOrder: 20_000, maxRebalanceNotional: 50_000 }).refusals).toEqual([]);
    const perOrder = checkRebalanceRails(plan, markets, { maxNotionalPerOrder: 9_000, maxRebalanceNotional: 50_000 }).refusals;
    expect(perOrder.some((r) => /the sell of AAA \(9990\.00 USD\) is above maxNotionalPerOrder 9000/.test(r))).toBe(true);
    const total = checkRebalanceRails(plan, markets, { maxNotionalPerOrder: 20_000, maxRebalanceNotional: 15_000 });
    expect(total.totalUsd).toBeGreaterThan(15_000);
    expect(total.refusals).toEqual([expect.stringMatching(/add up to [\d.]+ USD, above maxRebalanceNotional 15000/)]);
  });
});

describe('outcomeOfLegs', () => {
  const leg = (symbol: string, outcome: 'filled' | 'partial' | 'failed' | null, filled: number): EndedLeg => ({
    symbol, side: 'buy', executionId: `RB:${symbol}`, plannedQty: 10, desiredQty: 10, note: outcome === null ? 'no cash for it' : null,
    report: outcome === null ? null : ({ outcome, filledQty: filled, reason: outcome === 'filled' ? null : 'timed out', qty: 10, childOrders: [] } as unknown as ExecutionReport),
  });
  it('completed only when every leg filled; partial when anything traded; failed otherwise', () => {
    expect(outcomeOfLegs([leg('A', 'filled', 10), leg('B', 'filled', 10)]).status).toBe('completed');
    expect(outcomeOfLegs([leg('A', 'filled', 10), leg('B', null, 0)])).toEqual({ status: 'partial', reason: 'B buy not sent: no cash for it' });
    expect(outcomeOfLegs([leg('A', 'failed', 0), leg('B', null, 0)]).status).toBe('failed');
  });
});

/** fast-check generators of random portfolios for the rebalance plan and state machine tests. */
import fc from 'fast-check';
import type { Quote } from '../../../src/engine/quote.js';
import type { RebalanceInput, RebalanceSettings, RebalanceTargets, SymbolMarket } from '../../../src/engine/rebalance/plan-types.js';
import type { Qty } from '../../../src/engine/units.js';

export const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE'] as const;

/** A valid quote on the grid: $1 to $500 bids, 1 to 20 cents wide, or sub-dollar with sub-penny ticks. */
export const quoteArb: fc.Arbitrary<Quote> = fc.oneof(
  fc.record({ bidCents: fc.integer({ min: 100, max: 50_000 }), ticks: fc.integer({ min: 1, max: 20 }) }).map(({ bidCents, ticks }) => ({
    time: 0,
    bid: bidCents * 100,
    ask: (bidCents + ticks) * 100,
    bidSize: 100,
    askSize: 100,
  })),
  fc.record({ bid: fc.integer({ min: 100, max: 9_000 }), ticks: fc.integer({ min: 1, max: 50 }) }).map(({ bid, ticks }) => ({
    time: 0,
    bid,
    ask: bid + ticks,
    bidSize: 1000,
    askSize: 1000,
  })),
);

export const settingsArb: fc.Arbitrary<RebalanceSettings> = fc.record({
  wholeShares: fc.boolean(),
  minTradeUsd: fc.constantFrom(0, 1, 5, 100),
  driftPct: fc.constantFrom(0, 0.5, 2),
  cashBufferBps: fc.constantFrom(0, 10, 25, 100),
});

/** Shares held: none, whole, or fractional to the 1e-9 share, up to 20,000 shares. */
const heldArb: fc.Arbitrary<Qty> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 20_000 }).map((n) => n * 1e9),
  fc.integer({ min: 1, max: 20_000_000_000_000 }),
);

/** Weights as thousandths that add up to at most 1 (the rest in cash). */
function weightsArb(symbols: readonly string[]): fc.Arbitrary<Record<string, number>> {
  return fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: symbols.length, maxLength: symbols.length }).map((raw) => {
    const total = raw.reduce((a, b) => a + b, 0);
    const scale = total > 1000 ? 1000 / total : 1;
    return Object.fromEntries(symbols.map((s, i) => [s, Math.floor(raw[i]! * scale) / 1000]));
  });
}

export const portfolioArb: fc.Arbitrary<RebalanceInput> = fc
  .subarray([...SYMBOLS], { minLength: 1 })
  .chain((symbols) =>
    fc.record({
      symbols: fc.constant(symbols),
      held: fc.array(heldArb, { minLength: symbols.length, maxLength: symbols.length }),
      quotes: fc.array(quoteArb, { minLength: symbols.length, maxLength: symbols.length }),
      guards: fc.array(fc.option(fc.constantFrom(0, 10, 50, 12.5, 200), { nil: null }), { minLength: symbols.length, maxLength: symbols.length }),
      weights: weightsArb(symbols),
      sharesTargets: fc.array(heldArb, { minLength: symbols.length, maxLength: symbols.length }),
      byShares: fc.boolean(),
      // Up to $2,000,000, to the 1/10,000 dollar.
      cash: fc.integer({ min: 0, max: 20_000_000_000 }),
      settings: settingsArb,
    }),
  )
  .map(({ symbols, held, quotes, guards, weights, sharesTargets, byShares, cash, settings }) => {
    const markets: Record<string, SymbolMarket> = {};
    const positions: Record<string, Qty> = {};
    symbols.forEach((s, i) => {
      markets[s] = { quote: quotes[i]!, maxSlippageBps: guards[i]! };
      positions[s] = held[i]!;
    });
    const targets: RebalanceTargets = byShares
      ? { kind: 'shares', shares: Object.fromEntries(symbols.map((s, i) => [s, sharesTargets[i]!])) }
      : { kind: 'weights', weights };
    return { targets, positions, cash, markets, settings };
  });

/** Dollars of `qty` shares at `price` units, as a float (test arithmetic, independent of the engine's integers). */
export const dollarsOf = (qty: Qty, price: number): number => (qty / 1e9) * (price / 1e4);
export const midOf = (q: Quote): number => (q.bid + q.ask) / 2;

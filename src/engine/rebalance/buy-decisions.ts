import { moneyToDollars, type Money } from '../money.js';
import type { Quote } from '../quote.js';
import { dollarsToPrice, qtyToShares, type Price, type Qty } from '../units.js';
import { buyPriceCap, granuleOf, sizeBuys } from './buy-sizing.js';
import type { RebalanceMachineSettings } from './machine-types.js';
import { valueAtMid } from './plan.js';

/** A buy waiting to be sized, with the valid quote it is sized from now. */
export interface BuyToDecide {
  readonly symbol: string;
  /** What would reach its target; the decision never goes above it. */
  readonly desiredQty: Qty;
  readonly quote: Quote;
}

/** Start the buy for `qty` under `cap` with `reserved` set aside, or drop it, saying why. */
export type BuyDecision =
  | { readonly symbol: string; readonly kind: 'start'; readonly qty: Qty; readonly cap: Price; readonly reserved: Money; readonly note: string | null }
  | { readonly symbol: string; readonly kind: 'drop'; readonly note: string };

/**
 * The rebalance's rule for the buys once the sells are over (pure): every buy is capped at its
 * guard plus the cash buffer (buyPriceCap), sized pro rata to the cash that exists (sizeBuys),
 * never above what it wanted, and dropped when that leaves nothing or less than minTradeUsd at
 * the mid. Both the rebalance machine (step.ts) and the live rebalance size their buys with it.
 */
export function decideBuys(buys: readonly BuyToDecide[], budget: Money, settings: RebalanceMachineSettings): BuyDecision[] {
  const caps = buys.map((b) => buyPriceCap(b.quote, settings.maxSlippageBps[b.symbol] ?? null, settings.rebalance.cashBufferBps));
  const sized = sizeBuys(buys.map((b, i) => ({ symbol: b.symbol, desiredQty: b.desiredQty, priceCap: caps[i]! })), budget, granuleOf(settings.rebalance.wholeShares));
  const minTrade = dollarsToPrice(settings.rebalance.minTradeUsd);
  return sized.map((b, i): BuyDecision => {
    const buy = buys[i]!;
    const worth = valueAtMid(b.qty, buy.quote);
    if (b.qty <= 0 || worth < minTrade) {
      const why = b.qty <= 0 ? 'no cash for it' : `the cash covers $${moneyToDollars(worth).toFixed(2)} of it, below minTradeUsd $${settings.rebalance.minTradeUsd}`;
      return { symbol: buy.symbol, kind: 'drop', note: why };
    }
    const note = b.shrunk ? `re-sized to ${qtyToShares(b.qty)} of ${qtyToShares(buy.desiredQty)} shares: the cash there is` : null;
    return { symbol: buy.symbol, kind: 'start', qty: b.qty, cap: caps[i]!, reserved: b.reserved, note };
  });
}

/**
 * The cash the buys may spend after the sells (Money, never negative): the cash before plus what
 * the sells actually raised at the broker's fills (rounded down), and never more than the
 * broker's account says is there now. Nothing is bought with money that does not exist.
 */
export function buyBudgetAfterSells(cashBefore: Money, sellProceeds: readonly Money[], accountCash: Money): Money {
  const raised = sellProceeds.reduce((a, b) => a + Math.max(0, b), 0);
  return Math.max(0, Math.min(cashBefore + raised, accountCash));
}

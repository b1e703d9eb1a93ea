import { decimalRatio } from '../decimal-ratio.js';
import { notionalCeil, qtyAffordable, type Money } from '../money.js';
import { guardPrice } from '../pricing.js';
import { midPrice, type Quote } from '../quote.js';
import { roundDownToTick } from '../tick.js';
import { QTY_SCALE, type Price, type Qty } from '../units.js';

/** The step of every quantity a rebalance sends: a whole share, or Alpaca's 1e-9 share. */
export function granuleOf(wholeShares: boolean): Qty {
  return wholeShares ? QTY_SCALE : 1;
}

/**
 * The highest price any child of a rebalance buy may carry, and the price its cash is reserved
 * at: the buy's slippage guard from the quote's mid (or, with no guard, the ask), raised by the
 * cash buffer and rounded down to the grid. The execution enforces it (ExecutionRequest.priceCap),
 * so what the buy costs can never exceed what was set aside for it: a fill is never above its
 * limit, and a capped buy's fallback is a limit at the cap rather than a market order (which a
 * broker would price at its own collar above the ask, refusing it for buying power).
 */
export function buyPriceCap(quote: Quote, maxSlippageBps: number | null, cashBufferBps: number): Price {
  const base = maxSlippageBps === null ? quote.ask : guardPrice('buy', midPrice(quote), maxSlippageBps);
  const { num, den } = decimalRatio(cashBufferBps);
  const raised = (BigInt(base) * (10_000n * den + num)) / (10_000n * den);
  return Math.max(base, roundDownToTick(Number(raised)));
}

export interface BuyToSize {
  readonly symbol: string;
  /** What would reach the target; a sized buy never exceeds it. */
  readonly desiredQty: Qty;
  readonly priceCap: Price;
}

export interface SizedBuy {
  readonly symbol: string;
  readonly qty: Qty;
  /** Cash set aside for it: qty at its cap, rounded up. */
  readonly reserved: Money;
  /** True when the cash bound cut it below its desired quantity. */
  readonly shrunk: boolean;
}

/**
 * Sizes buys to the cash that exists: each gets its desired quantity when the budget covers all of
 * them at their caps; otherwise each gets the same fraction of its desired notional (pro rata),
 * floored to the granule. Exact: each buy's share of the budget is floored, and its quantity is
 * the most that share affords at its cap, so the reservations never add up to more than `budget`.
 */
export function sizeBuys(buys: readonly BuyToSize[], budget: Money, granule: Qty): SizedBuy[] {
  const needs = buys.map((b) => notionalCeil(b.desiredQty, b.priceCap));
  const total = needs.reduce((a, b) => a + b, 0);
  if (total <= budget) {
    return buys.map((b, i) => ({ symbol: b.symbol, qty: b.desiredQty, reserved: needs[i]!, shrunk: false }));
  }
  const available = Math.max(0, budget);
  return buys.map((b, i) => {
    const share = Number((BigInt(available) * BigInt(needs[i]!)) / BigInt(total));
    const qty = Math.min(b.desiredQty, qtyAffordable(share, b.priceCap, granule));
    return { symbol: b.symbol, qty, reserved: notionalCeil(qty, b.priceCap), shrunk: qty < b.desiredQty };
  });
}

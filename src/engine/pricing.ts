import type { Quote } from './quote.js';
import { addTicks, roundDownToTick, roundUpToTick } from './tick.js';
import type { Price, Side } from './units.js';

/** Smallest positive price: a sell limit is never sent at or below zero. */
const MIN_PRICE: Price = 1;

/**
 * Marketable limit: buy at the ask plus `ticks`, sell at the bid minus `ticks`, on the tick grid
 * (buys round up, sells round down) and never below the smallest tick.
 */
export function aggressiveLimit(side: Side, quote: Quote, ticks: number): Price {
  if (side === 'buy') return addTicks(roundUpToTick(quote.ask), ticks);
  return Math.max(MIN_PRICE, addTicks(roundDownToTick(quote.bid), -ticks));
}

/**
 * A limit placed `fraction` of the spread away from the near side toward the far side
 * (0 = join the near side, 0.5 = mid, 1 = the far side), rounded on the grid the way each side
 * rounds (buy up, sell down).
 */
export function limitAtSpreadFraction(side: Side, quote: Quote, fraction: number): Price {
  const spread = quote.ask - quote.bid;
  if (side === 'buy') return roundUpToTick(quote.bid + fraction * spread);
  return Math.max(MIN_PRICE, roundDownToTick(quote.ask - fraction * spread));
}

/**
 * The worst price the slippage guard allows: `bps` away from the arrival mid, rounded on the grid
 * toward the mid so that the guard itself is never exceeded.
 */
export function guardPrice(side: Side, arrivalMid: number, bps: number): Price {
  if (side === 'buy') return roundDownToTick(arrivalMid * (1 + bps / 10_000));
  return Math.max(MIN_PRICE, roundUpToTick(arrivalMid * (1 - bps / 10_000)));
}

/** Caps a limit at the guard; reports whether the cap bit. */
export function applyGuard(side: Side, limit: Price, guard: Price | null): { price: Price; capped: boolean } {
  if (guard === null) return { price: limit, capped: false };
  if (side === 'buy' && limit > guard) return { price: guard, capped: true };
  if (side === 'sell' && limit < guard) return { price: guard, capped: true };
  return { price: limit, capped: false };
}

/** True when the limit would trade at once against the quote (buy >= ask, sell <= bid). */
export function isMarketable(side: Side, limit: Price, quote: Quote): boolean {
  return side === 'buy' ? limit >= quote.ask : limit <= quote.bid;
}

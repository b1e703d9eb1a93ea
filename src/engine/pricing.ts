import { decimalRatio } from './decimal-ratio.js';
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

/** A fraction as an exact ratio of integers (num / den, den > 0). */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

/**
 * A limit placed `fraction` of the spread away from the near side toward the far side
 * (0 = join the near side, 0.5 = mid, 1 = the far side), rounded on the grid the way each side
 * rounds (buy up, sell down). Exact: the distance from the near side is num x spread / den, and
 * the grid price just past near side + that distance is the grid price just past near side plus
 * its ceiling (grid prices are whole units), so no float error can move a limit by a tick (in
 * floating point, 0.1 + 0.2 of a 10-tick spread would have been 4 ticks, not 3).
 */
export function limitAtExactFraction(side: Side, quote: Quote, f: Fraction): Price {
  const spread = BigInt(quote.ask - quote.bid);
  const scaled = f.num * spread;
  const distance = Number(scaled / f.den + (scaled % f.den > 0n ? 1n : 0n)); // ceil for num, spread >= 0
  if (side === 'buy') return roundUpToTick(quote.bid + distance);
  return Math.max(MIN_PRICE, roundDownToTick(quote.ask - distance));
}

/** limitAtExactFraction with a decimal fraction (0.5, 0.75, 0.95) taken as written. */
export function limitAtSpreadFraction(side: Side, quote: Quote, fraction: number): Price {
  return limitAtExactFraction(side, quote, decimalRatio(fraction));
}

/** The grid price `ticks` grid steps from `price` toward the far side (up for a buy, down for a sell), never below the smallest tick. */
export function towardFarSide(side: Side, price: Price, ticks: number): Price {
  return side === 'buy' ? addTicks(price, ticks) : Math.max(MIN_PRICE, addTicks(price, -ticks));
}

/**
 * The worst price the slippage guard allows: `bps` away from the arrival mid, rounded on the grid
 * toward the mid so that the guard itself is never exceeded: a buy gets the highest grid price at
 * or below mid x (1 + bps / 10,000), a sell the lowest at or above mid x (1 - bps / 10,000), never
 * below the smallest tick.
 *
 * Exact, in integers: the mid is a whole or half price unit (the mean of two integer prices) and
 * `bps` counts as the decimal it is written as (decimalRatio: 12.5 is 125/10 exactly), so the
 * bound is a rational and the rounding has no float error (in floating point, $50.00 at 50 bps
 * came out as $50.24 instead of $50.25).
 * @throws RangeError when the mid is not a multiple of half a price unit, or bps is not finite.
 */
export function guardPrice(side: Side, arrivalMid: number, bps: number): Price {
  const twiceMid = arrivalMid * 2;
  if (!Number.isSafeInteger(twiceMid)) throw new RangeError(`guard: mid ${arrivalMid} is not a whole or half price unit`);
  const { num, den } = decimalRatio(bps);
  // bound = twiceMid x factor / scale: the mid's half unit (2) times bps' 10,000, with bps' own denominator.
  const scale = 20_000n * den;
  const factor = side === 'buy' ? 10_000n * den + num : 10_000n * den - num;
  const scaled = BigInt(twiceMid) * factor;
  if (side === 'buy') return Math.max(MIN_PRICE, roundDownToTick(Number(floorDiv(scaled, scale))));
  return Math.max(MIN_PRICE, roundUpToTick(Number(ceilDiv(scaled, scale))));
}

/** Floor of a / b for b > 0 (BigInt division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Ceiling of a / b for b > 0. */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
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

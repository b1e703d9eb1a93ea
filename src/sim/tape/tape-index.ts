import type { QuoteAwaited } from '../../engine/execution/next-wake.js';
import type { EpochMs, Price } from '../../engine/units.js';
import { FirstAtMostIndex } from './first-at-most.js';
import { isRegularPrint, lastIndexAtOrBefore, type QuoteColumns, type TradeColumns } from './tape.js';

const INT32_MAX = 2_147_483_647;

/**
 * Per-tape search structures, built once and cached per column object, so that the simulator's
 * "when does anything happen that can matter" questions cost O(log n) instead of a scan:
 * the first snapshot at or after an index whose ask is at or below a buy limit, whose bid is at
 * or above a sell limit, whose spread is tight, or whose quote is (in)valid; the first trade at or
 * through a limit; the volume and notional traded between two instants.
 *
 * Only *effective* snapshots are searched: the last snapshot of each millisecond, the NBBO at that
 * time, which is the only one the simulator ever replays (see the sim driver). Every query answers
 * with such an index (or `length` when there is none), never with a snapshot it could skip.
 *
 * A tape's columns must not change once it has been simulated: the index is computed once.
 */
export class QuoteIndex {
  readonly length: number;
  /**
   * Effective, tradable (both sides > 0, not crossed) snapshots: ask; otherwise a filler above
   * every such ask: INT32_MAX, or +Infinity (in doubles) on a tape where some ask is INT32_MAX.
   */
  private readonly tradableAsk: FirstAtMostIndex;
  /** Effective, tradable snapshots: -bid; otherwise INT32_MAX. */
  private readonly tradableNegBid: FirstAtMostIndex;
  /** Effective, valid (0 < bid < ask) snapshots: ask - bid; otherwise INT32_MAX. */
  private readonly validSpread: FirstAtMostIndex;
  /** Effective, valid snapshots: the spread in bps of the mid, computed as `spreadBps`; otherwise +Infinity. */
  private readonly validSpreadBps: FirstAtMostIndex;
  /** Effective, invalid (a side <= 0, crossed or locked) snapshots: 0; otherwise 1. */
  private readonly invalid: FirstAtMostIndex;
  /** The largest value below the filler of `tradableAsk`: every tradable ask is at most this. */
  private readonly maxTradableAsk: number;
  /** Effective, tradable snapshots: -ask, otherwise +Infinity; built on first use. */
  private tradableNegAsk: FirstAtMostIndex | null = null;
  /** Effective, tradable snapshots: bid, otherwise +Infinity; built on first use. */
  private tradableBid: FirstAtMostIndex | null = null;

  constructor(private readonly quotes: QuoteColumns) {
    const n = quotes.length;
    this.length = n;
    let clash = false;
    for (let i = 0; i < n && !clash; i++) clash = quotes.ask[i] === INT32_MAX;
    const ask = clash ? new Float64Array(n) : new Int32Array(n);
    const askFiller = clash ? Infinity : INT32_MAX;
    const negBid = new Int32Array(n);
    const spread = new Int32Array(n);
    const bps = new Float64Array(n);
    const invalid = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const b = quotes.bid[i]!;
      const a = quotes.ask[i]!;
      const effective = i === n - 1 || quotes.time[i + 1]! !== quotes.time[i]!;
      const tradable = effective && b > 0 && a > 0 && b <= a;
      const valid = effective && b > 0 && a > 0 && b < a;
      ask[i] = tradable ? a : askFiller;
      negBid[i] = tradable ? -b : INT32_MAX;
      spread[i] = valid ? a - b : INT32_MAX;
      // The same expression as spreadBps(quote) in engine/quote.ts, so the same double.
      bps[i] = valid ? ((a - b) / ((b + a) / 2)) * 10_000 : Infinity;
      invalid[i] = effective && !valid ? 0 : 1;
    }
    this.maxTradableAsk = clash ? Number.MAX_VALUE : INT32_MAX - 1;
    this.tradableAsk = new FirstAtMostIndex(ask, n);
    this.tradableNegBid = new FirstAtMostIndex(negBid, n);
    this.validSpread = new FirstAtMostIndex(spread, n);
    this.validSpreadBps = new FirstAtMostIndex(bps, n);
    this.invalid = new FirstAtMostIndex(invalid, n);
  }

  /** Time of snapshot i (0 <= i < length). */
  timeAt(i: number): EpochMs {
    return this.quotes.time[i]!;
  }

  /** Index of the last snapshot with time < t, or -1. */
  lastBefore(t: EpochMs): number {
    return lastIndexBefore(this.quotes.time, this.length, t);
  }

  /** Index of the effective snapshot prevailing at t (the last with time <= t), or -1. */
  prevailing(t: EpochMs): number {
    return lastIndexAtOrBefore(this.quotes.time, this.length, t);
  }

  /** The first effective snapshot at or after index `from` whose time is >= t, or `length`. */
  firstAtOrAfterTime(from: number, t: EpochMs): number {
    const p = this.prevailing(t);
    // A snapshot at exactly t makes p effective at t; otherwise the next millisecond's last one.
    const atT = p >= 0 && this.quotes.time[p] === t ? p : this.firstEffective(p + 1);
    return atT >= from ? atT : this.firstEffective(from);
  }

  /** The first effective tradable snapshot at or after `from` (both sides > 0, not crossed), or `length`. */
  firstTradable(from: number): number {
    return this.tradableAsk.firstAtMost(from, this.maxTradableAsk);
  }

  /** The first effective tradable snapshot at or after `from` with ask <= limit (a buy limit is crossed), or `length`. */
  firstAskAtMost(from: number, limit: Price): number {
    return this.tradableAsk.firstAtMost(from, Math.min(limit, this.maxTradableAsk));
  }

  /** The first effective tradable snapshot at or after `from` with bid >= limit (a sell limit is crossed), or `length`. */
  firstBidAtLeast(from: number, limit: Price): number {
    // Tradable bids are > 0, so -bid never reaches the INT32_MAX filler.
    return this.tradableNegBid.firstAtMost(from, -limit >= INT32_MAX ? INT32_MAX - 1 : -limit);
  }

  /**
   * The first effective tradable snapshot at or after `from` whose ask is above `price`, or
   * `length`: where an ask level at `price` (or better) has been cleared from the book.
   */
  firstAskAbove(from: number, price: Price): number {
    this.tradableNegAsk ??= this.tradableColumn((b, a) => -a);
    return this.tradableNegAsk.firstAtMost(from, -price - 1);
  }

  /** The first effective tradable snapshot at or after `from` whose bid is below `price`, or `length`. */
  firstBidBelow(from: number, price: Price): number {
    this.tradableBid ??= this.tradableColumn((b) => b);
    return this.tradableBid.firstAtMost(from, price - 1);
  }

  private tradableColumn(value: (bid: number, ask: number) => number): FirstAtMostIndex {
    const q = this.quotes;
    const n = this.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const b = q.bid[i]!;
      const a = q.ask[i]!;
      const effective = i === n - 1 || q.time[i + 1]! !== q.time[i]!;
      out[i] = effective && b > 0 && a > 0 && b <= a ? value(b, a) : Infinity;
    }
    return new FirstAtMostIndex(out, n);
  }

  /** The first effective valid snapshot (0 < bid < ask) at or after `from`, or `length`. */
  firstValid(from: number): number {
    return this.validSpread.firstAtMost(from, INT32_MAX - 1);
  }

  /** The first effective invalid snapshot (a side <= 0, crossed or locked) at or after `from`, or `length`. */
  firstInvalid(from: number): number {
    return this.invalid.firstAtMost(from, 0);
  }

  /**
   * The first effective valid snapshot at or after `from` whose spread is tight by cents
   * ((ask - bid) / 100 <= tightCents) or by bps (spreadBps <= tightBps), or `length`.
   */
  firstTight(from: number, tightCents: number, tightBps: number): number {
    const byCents = this.validSpread.firstAtMost(from, maxSpreadWithin(tightCents));
    // Valid spreads in bps are finite; +Infinity would also meet the fillers of other snapshots.
    const byBps = tightBps === Infinity ? this.firstValid(from) : this.validSpreadBps.firstAtMost(from, tightBps);
    return Math.min(byCents, byBps);
  }

  /** The first effective snapshot at or after `from`, or `length`. */
  firstEffective(from: number): number {
    const i = Math.max(0, from);
    if (i >= this.length) return this.length;
    return this.prevailing(this.quotes.time[i]!);
  }

  /**
   * The first effective snapshot at or after `from` that the machine's wait `awaited` names
   * (engine/execution/next-wake.ts), or `length`: this only answers the engine's predicate on
   * this tape, it decides nothing about what the machine waits for.
   */
  firstAwaited(from: number, awaited: QuoteAwaited): number {
    const every = this.firstEffective(from);
    if (every >= this.length || this.timeAt(every) < awaited.everyBefore) return every;
    let first = awaited.anyFrom === Infinity ? this.length : this.firstAtOrAfterTime(every, awaited.anyFrom);
    if (awaited.valid) first = Math.min(first, this.firstValid(every));
    if (awaited.invalid) first = Math.min(first, this.firstInvalid(every));
    if (awaited.tight !== null) first = Math.min(first, this.firstTight(every, awaited.tight.tightCents, awaited.tight.tightBps));
    return first;
  }
}

/** Index of the last entry with time < t, or -1 when there is none: O(log n). */
export function lastIndexBefore(times: Float64Array, length: number, t: EpochMs): number {
  let lo = 0;
  let hi = length; // first index with time >= t lies in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * The largest integer spread s (price units) with s / 100 <= cents, so that for integer spreads
 * "s <= result" is exactly "s / 100 <= cents" (division by 100 is monotone).
 */
export function maxSpreadWithin(cents: number): number {
  if (Number.isNaN(cents) || cents < 0) return -Infinity; // spreads of valid quotes are >= 1
  if (cents > 30_000_000) return INT32_MAX - 1; // every valid spread (< 2^31) is within
  let s = Math.floor(cents * 100);
  while ((s + 1) / 100 <= cents) s++;
  while (s / 100 > cents) s--;
  return s;
}

/**
 * Trades: the first *regular* print at or through a limit, and the exact volume and notional of
 * the regular prints in an interval. Prints that are not regular (TradeColumns.regular) can fill
 * nothing and weigh nothing, so the index never finds them.
 */
export class TradeIndex {
  readonly length: number;
  private minPrice: FirstAtMostIndex | null = null;
  private maxPrice: FirstAtMostIndex | null = null;
  private sums: { readonly volume: Float64Array; readonly notional: Float64Array } | null | undefined;

  constructor(private readonly trades: TradeColumns) {
    this.length = trades.length;
  }

  /** The first regular trade at or after index `from` with price <= limit, or `length`. */
  firstPriceAtMost(from: number, limit: Price): number {
    if (this.minPrice === null) {
      const t = this.trades;
      const prices = t.regular === null ? t.price : Float64Array.from(t.price, (p, i) => (t.regular![i] === 1 ? p : Infinity));
      this.minPrice = new FirstAtMostIndex(prices, this.length);
    }
    return this.minPrice.firstAtMost(from, limit);
  }

  /** The first regular trade at or after index `from` with price >= limit, or `length`. */
  firstPriceAtLeast(from: number, limit: Price): number {
    if (this.maxPrice === null) {
      const neg = new Float64Array(this.length);
      for (let i = 0; i < this.length; i++) neg[i] = isRegularPrint(this.trades, i) ? -this.trades.price[i]! : Infinity;
      this.maxPrice = new FirstAtMostIndex(neg, this.length);
    }
    return this.maxPrice.firstAtMost(from, -limit);
  }

  /**
   * Volume and notional (size x price) of the regular trades among first..last (inclusive), from
   * prefix sums; null when the prefix sums cannot be exact (some running total would pass 2^53),
   * so the caller must add the trades up itself.
   */
  rangeSums(first: number, last: number): { readonly volume: number; readonly notional: number } | null {
    if (this.sums === undefined) this.sums = exactPrefixSums(this.trades);
    if (this.sums === null) return null;
    if (last < first) return { volume: 0, notional: 0 };
    const { volume, notional } = this.sums;
    return { volume: volume[last + 1]! - volume[first]!, notional: notional[last + 1]! - notional[first]! };
  }
}

/**
 * Prefix sums of size and size x price over the regular prints. Integer sums below 2^53 are exact
 * in doubles whatever the order of addition, so a difference of prefix sums equals the
 * left-to-right sum of the range exactly; when the totals could pass 2^53 there are no prefix
 * sums (null).
 */
function exactPrefixSums(trades: TradeColumns): { readonly volume: Float64Array; readonly notional: Float64Array } | null {
  const n = trades.length;
  let absVolume = 0;
  let absNotional = 0;
  for (let i = 0; i < n; i++) {
    const size = trades.size[i]!;
    absVolume += Math.abs(size);
    absNotional += Math.abs(size * trades.price[i]!);
  }
  // Margin for the rounding of these bound sums themselves.
  const limit = 2 ** 52;
  if (!(absVolume < limit && absNotional < limit)) return null;
  const volume = new Float64Array(n + 1);
  const notional = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const size = isRegularPrint(trades, i) ? trades.size[i]! : 0;
    volume[i + 1] = volume[i]! + size;
    notional[i + 1] = notional[i]! + size * trades.price[i]!;
  }
  return { volume, notional };
}

const quoteIndexes = new WeakMap<QuoteColumns, QuoteIndex>();
const tradeIndexes = new WeakMap<TradeColumns, TradeIndex>();

/** The index of a tape's quote columns, built on first use and cached for the columns' lifetime. */
export function quoteIndexOf(quotes: QuoteColumns): QuoteIndex {
  let index = quoteIndexes.get(quotes);
  if (index === undefined) quoteIndexes.set(quotes, (index = new QuoteIndex(quotes)));
  return index;
}

/** The index of a tape's trade columns, built (lazily, part by part) on first use and cached. */
export function tradeIndexOf(trades: TradeColumns): TradeIndex {
  let index = tradeIndexes.get(trades);
  if (index === undefined) tradeIndexes.set(trades, (index = new TradeIndex(trades)));
  return index;
}

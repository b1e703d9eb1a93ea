import type { QuoteColumns, TradeColumns } from './tape.js';

/** Quote columns sized for `cap` rows (an upper bound such as the line count), to fill then trim. */
export function allocQuoteColumns(cap: number) {
  return {
    time: new Float64Array(cap),
    bid: new Int32Array(cap),
    ask: new Int32Array(cap),
    bidSize: new Int32Array(cap),
    askSize: new Int32Array(cap),
  };
}

export function allocTradeColumns(cap: number) {
  return { time: new Float64Array(cap), price: new Int32Array(cap), size: new Int32Array(cap), regular: new Uint8Array(cap) };
}

/**
 * Loaders allocate columns at an upper bound (the CSV's line count) and fill a prefix; these
 * return the filled prefix, copying only when there is an unused tail so that memory is released.
 */
export function trimQuotes(
  n: number, time: Float64Array, bid: Int32Array, ask: Int32Array, bidSize: Int32Array, askSize: Int32Array,
): QuoteColumns {
  if (n === time.length) return { length: n, time, bid, ask, bidSize, askSize };
  return {
    length: n,
    time: time.slice(0, n),
    bid: bid.slice(0, n),
    ask: ask.slice(0, n),
    bidSize: bidSize.slice(0, n),
    askSize: askSize.slice(0, n),
  };
}

/** `regular` null: every print is regular (a source without sale conditions). */
export function trimTrades(n: number, time: Float64Array, price: Int32Array, size: Int32Array, regular: Uint8Array | null): TradeColumns {
  if (n === time.length) return { length: n, time, price, size, regular };
  return { length: n, time: time.slice(0, n), price: price.slice(0, n), size: size.slice(0, n), regular: regular === null ? null : regular.slice(0, n) };
}

import type { Quote } from '../../engine/quote.js';
import type { EpochMs } from '../../engine/units.js';

/**
 * A day of market data held column-wise in typed arrays: one array per field instead of one
 * object per row, so a million-row day loads fast and stays small (about 24 bytes a quote).
 *
 * Quotes are NBBO snapshots in time order (times never decrease). Prices are integers in
 * 1/10,000 dollar, sizes in shares, times in epoch ms. A side of 0 means "no quote on that side".
 */
export interface QuoteColumns {
  readonly length: number;
  readonly time: Float64Array;
  readonly bid: Int32Array;
  readonly ask: Int32Array;
  readonly bidSize: Int32Array;
  readonly askSize: Int32Array;
}

/** Trade prints in time order; price in 1/10,000 dollar, size in shares. */
export interface TradeColumns {
  readonly length: number;
  readonly time: Float64Array;
  readonly price: Int32Array;
  readonly size: Int32Array;
  /**
   * 1 where the print's sale conditions make it a regular continuous-session trade, the only
   * kind that can fill a resting order or weigh in VWAP (tape/sale-conditions.ts); 0 for late,
   * out-of-sequence, average-price, cross and other special prints. Null: every print is regular
   * (sources that carry no conditions, such as synthetic tapes).
   */
  readonly regular: Uint8Array | null;
}

/** Whether print i counts as a regular trade (see TradeColumns.regular). */
export function isRegularPrint(trades: TradeColumns, i: number): boolean {
  return trades.regular === null || trades.regular[i] === 1;
}

export interface Tape {
  readonly symbol: string;
  /** Trading date, YYYY-MM-DD (America/New_York). */
  readonly date: string;
  /** Where it came from (file path, or "synthetic:<profile>:<seed>"), for records and errors. */
  readonly source: string;
  readonly quotes: QuoteColumns;
  /** Null when the tape has no trades. */
  readonly trades: TradeColumns | null;
  /**
   * True when `trades` are bars folded into one print each (second/minute trade bars): good for
   * VWAP, too coarse to fill resting orders against.
   */
  readonly tradesAreBars: boolean;
  /**
   * Time of the primary exchange's opening quote (e.g. NYSE's quote flagged OpeningQuote):
   * the moment real two-sided trading can begin. Null or absent when the source cannot tell.
   */
  readonly openingQuoteTime?: EpochMs | null;
  /** Trading halts, in time order: no quotes, no prints, and the simulated exchange matches nothing inside. */
  readonly halts?: ReadonlyArray<{ readonly start: EpochMs; readonly end: EpochMs }>;
}

export function quoteAt(quotes: QuoteColumns, index: number): Quote {
  return {
    time: quotes.time[index]!,
    bid: quotes.bid[index]!,
    ask: quotes.ask[index]!,
    bidSize: quotes.bidSize[index]!,
    askSize: quotes.askSize[index]!,
  };
}

/** Index of the last entry with time <= t, or -1 when every entry is later: O(log n). */
export function lastIndexAtOrBefore(times: Float64Array, length: number, t: EpochMs): number {
  let lo = 0;
  let hi = length; // first index with time > t lies in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Grows typed-array columns while a loader appends rows, then trims them to length. */
export class ColumnBuilder<T extends Float64Array | Int32Array> {
  private data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T, initial = 1024) {
    this.data = make(initial);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  set(index: number, value: number): void {
    this.data[index] = value;
  }
  finish(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/** Appends whole quote snapshots to five growing columns (generators that do not know their size). */
export class QuoteColumnsBuilder {
  private readonly time: ColumnBuilder<Float64Array>;
  private readonly bid: ColumnBuilder<Int32Array>;
  private readonly ask: ColumnBuilder<Int32Array>;
  private readonly bidSize: ColumnBuilder<Int32Array>;
  private readonly askSize: ColumnBuilder<Int32Array>;

  constructor(initial = 1024) {
    this.time = new ColumnBuilder((n) => new Float64Array(n), initial);
    this.bid = new ColumnBuilder((n) => new Int32Array(n), initial);
    this.ask = new ColumnBuilder((n) => new Int32Array(n), initial);
    this.bidSize = new ColumnBuilder((n) => new Int32Array(n), initial);
    this.askSize = new ColumnBuilder((n) => new Int32Array(n), initial);
  }

  push(time: EpochMs, bid: number, ask: number, bidSize: number, askSize: number): void {
    this.time.push(time);
    this.bid.push(bid);
    this.ask.push(ask);
    this.bidSize.push(bidSize);
    this.askSize.push(askSize);
  }

  finish(): QuoteColumns {
    return {
      length: this.time.length,
      time: this.time.finish(),
      bid: this.bid.finish(),
      ask: this.ask.finish(),
      bidSize: this.bidSize.finish(),
      askSize: this.askSize.finish(),
    };
  }
}

/**
 * Small hand-built tapes for simulator tests. Rows give times as ms after 09:30:00 ET on
 * 2024-03-04 (a regular Monday; negative = pre-market) and prices in dollars, converted exactly
 * to price units (1/10,000 dollar).
 */
import { etClockToEpoch } from '../../src/engine/et-time.js';
import type { Price } from '../../src/engine/units.js';
import type { Tape } from '../../src/sim/tape/tape.js';

export const DATE = '2024-03-04';
export const OPEN = etClockToEpoch(DATE, '09:30:00');
/** Epoch ms of `ms` after 09:30:00 ET on DATE. */
export const at = (ms: number): number => OPEN + ms;
/** Price units of a dollar amount. */
export const px = (dollars: number): Price => Math.round(dollars * 10_000);
export const SEC = 1_000;
export const MIN = 60_000;

export interface QuoteRow {
  readonly t: number;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize?: number;
  readonly askSize?: number;
}

export interface TradeRow {
  readonly t: number;
  readonly price: number;
  readonly size: number;
  /** False for a print whose sale conditions are not regular (late, average price...); default true. */
  readonly regular?: boolean;
}

export interface TapeOptions {
  readonly symbol?: string;
  readonly tradesAreBars?: boolean;
}

function checkOrdered(rows: readonly { t: number }[], what: string): void {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.t < rows[i - 1]!.t) throw new Error(`${what} row ${i} goes back in time`);
  }
}

/** A Tape from quote rows and (optionally) trade rows; null trades = a tape without trades. */
export function buildTape(quotes: readonly QuoteRow[], trades: readonly TradeRow[] | null = null, opts: TapeOptions = {}): Tape {
  checkOrdered(quotes, 'quote');
  if (trades !== null) checkOrdered(trades, 'trade');
  return {
    symbol: opts.symbol ?? 'TQQQ',
    date: DATE,
    source: 'test:hand-built',
    quotes: {
      length: quotes.length,
      time: Float64Array.from(quotes, (q) => at(q.t)),
      bid: Int32Array.from(quotes, (q) => px(q.bid)),
      ask: Int32Array.from(quotes, (q) => px(q.ask)),
      bidSize: Int32Array.from(quotes, (q) => q.bidSize ?? 100),
      askSize: Int32Array.from(quotes, (q) => q.askSize ?? 100),
    },
    trades:
      trades === null
        ? null
        : {
            length: trades.length,
            time: Float64Array.from(trades, (r) => at(r.t)),
            price: Int32Array.from(trades, (r) => px(r.price)),
            size: Int32Array.from(trades, (r) => r.size),
            regular: trades.every((r) => r.regular !== false) ? null : Uint8Array.from(trades, (r) => (r.regular === false ? 0 : 1)),
          },
    tradesAreBars: opts.tradesAreBars ?? false,
  };
}

/**
 * Quotes every `everyMs` over [fromMs, toMs) with a constant spread, the bid moving by
 * `driftPerQuote` dollars at each update (0 for a flat market).
 */
export function steadyQuotes(
  fromMs: number,
  toMs: number,
  o: { bid: number; spread: number; everyMs?: number; driftPerQuote?: number; size?: number },
): QuoteRow[] {
  const rows: QuoteRow[] = [];
  const every = o.everyMs ?? 500;
  let bid = o.bid;
  for (let t = fromMs; t < toMs; t += every) {
    const b = Math.round(bid * 100) / 100;
    rows.push({ t, bid: b, ask: Math.round((b + o.spread) * 100) / 100, bidSize: o.size ?? 100, askSize: o.size ?? 100 });
    bid += o.driftPerQuote ?? 0;
  }
  return rows;
}

import type { QuoteColumns, TradeColumns } from './tape.js';
import { CsvBytes, countLines, INT32_MAX, MS_PER_DAY } from './csv-bytes.js';
import { TapeFormatError } from './tape-error.js';
import { allocQuoteColumns, allocTradeColumns, trimQuotes, trimTrades } from './columns.js';

export type BarResolution = 'second' | 'minute';

/** Bar length in ms: a bar starting at t covers [t, t + barMs). */
export function barMs(resolution: BarResolution): number {
  return resolution === 'second' ? 1_000 : 60_000;
}

const QUOTE_BAR_COLUMNS = [
  'time_ms', 'bid_open', 'bid_high', 'bid_low', 'bid_close', 'last_bid_size',
  'ask_open', 'ask_high', 'ask_low', 'ask_close', 'last_ask_size',
] as const;
const TRADE_BAR_COLUMNS = ['time_ms', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Lean second/minute quote bars as one snapshot per bar: the close prices and last sizes, which
 * are the NBBO at bar end. The snapshot is stamped at bar END (start + barMs), never at the start,
 * so a replay cannot see a price before it existed. A missing side (0, or empty as Lean writes a
 * null side) stays 0.
 */
export function parseLeanQuoteBars(
  csv: Uint8Array, midnightMs: number, resolution: BarResolution, file: string,
): QuoteColumns {
  const cap = countLines(csv);
  const { time, bid, ask, bidSize, askSize } = allocQuoteColumns(cap);
  const step = barMs(resolution);
  const r = new CsvBytes(csv, file, QUOTE_BAR_COLUMNS);
  let n = 0;
  let lastMs = -1;
  while (r.nextRow()) {
    const ms = r.int(0, MS_PER_DAY - 1);
    // Open/high/low are validated but not used: only the close is the state at bar end.
    for (let c = 1; c <= 3; c++) r.intOrEmpty(c, INT32_MAX);
    const bidClose = r.intOrEmpty(4, INT32_MAX);
    const lastBidSize = r.intOrEmpty(5, INT32_MAX);
    for (let c = 6; c <= 8; c++) r.intOrEmpty(c, INT32_MAX);
    const askClose = r.intOrEmpty(9, INT32_MAX);
    const lastAskSize = r.intOrEmpty(10, INT32_MAX);
    r.endRow();
    if (ms < lastMs) r.error(`time goes backwards (${ms} ms after ${lastMs} ms)`);
    lastMs = ms;
    time[n] = midnightMs + ms + step;
    bid[n] = bidClose;
    bidSize[n] = bidClose === 0 ? 0 : lastBidSize;
    ask[n] = askClose;
    askSize[n] = askClose === 0 ? 0 : lastAskSize;
    n++;
  }
  if (n === 0) throw new TapeFormatError(file, null, 'empty file: no quote bars');
  return trimQuotes(n, time, bid, ask, bidSize, askSize);
}

/**
 * Lean second/minute trade bars folded into one print per bar, stamped at bar END: price is the
 * typical price round((high + low + close) / 3) and size the bar volume, so VWAP over the prints
 * approximates the interval VWAP. Too coarse for queue-position fills (Tape.tradesAreBars).
 */
export function parseLeanTradeBars(
  csv: Uint8Array, midnightMs: number, resolution: BarResolution, file: string,
): TradeColumns {
  const cap = countLines(csv);
  const { time, price, size } = allocTradeColumns(cap);
  const step = barMs(resolution);
  const r = new CsvBytes(csv, file, TRADE_BAR_COLUMNS);
  let n = 0;
  let lastMs = -1;
  while (r.nextRow()) {
    const ms = r.int(0, MS_PER_DAY - 1);
    r.int(1, INT32_MAX);
    const high = r.int(2, INT32_MAX);
    const low = r.int(3, INT32_MAX);
    const close = r.int(4, INT32_MAX);
    const volume = r.int(5, INT32_MAX);
    r.endRow();
    if (ms < lastMs) r.error(`time goes backwards (${ms} ms after ${lastMs} ms)`);
    if (low > high) r.error(`low ${low} is above high ${high}`);
    lastMs = ms;
    time[n] = midnightMs + ms + step;
    price[n] = Math.round((high + low + close) / 3);
    size[n] = volume;
    n++;
  }
  if (n === 0) throw new TapeFormatError(file, null, 'empty file: no trade bars');
  return trimTrades(n, time, price, size, null);
}

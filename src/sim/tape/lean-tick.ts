import type { EpochMs } from '../../engine/units.js';
import type { QuoteColumns, TradeColumns } from './tape.js';
import { CsvBytes, countLines, INT32_MAX, MS_PER_DAY } from './csv-bytes.js';
import { TapeFormatError } from './tape-error.js';
import { allocQuoteColumns, allocTradeColumns, trimQuotes, trimTrades } from './columns.js';
import { isRegularLeanCondition } from './sale-conditions.js';

const QUOTE_COLUMNS = [
  'time_ms', 'bid', 'bid_size', 'ask', 'ask_size', 'exchange', 'quote_condition', 'suspicious',
] as const;
const TRADE_COLUMNS = ['time_ms', 'price', 'size', 'exchange', 'sale_condition', 'suspicious'] as const;
/** Lean QuoteConditionFlags.OpeningQuote: the primary listing exchange's opening quote. */
const OPENING_QUOTE_FLAG = 0x800;
/** 09:30:00 ET in ms after midnight (trading days never switch DST, so the wall clock is exact). */
const REGULAR_OPEN_MS = 34_200_000;

export interface LeanTickQuotes {
  readonly quotes: QuoteColumns;
  /** Snapshot time of the first OpeningQuote row at or after 09:30 ET, or null when there is none. */
  readonly openingQuoteTime: EpochMs | null;
}

/**
 * Rebuilds the NBBO from Lean tick quote rows (bytes of the CSV inside `_quote.zip`).
 *
 * Each row carries one side; the other side's 0 means "not in this row", so the last bid/bidSize
 * and ask/askSize are held. One snapshot is emitted per distinct millisecond: the state after the
 * last row of that ms. That drops the transient locked/crossed states the feed passes through
 * between a bid row and its ask row, yet keeps a crossed state that persists at the end of a ms
 * (the engine must see it to refuse it). A side not seen yet stays 0. Suspicious rows are skipped.
 *
 * @param midnightMs epoch ms of midnight ET of the file's date; snapshot time = midnightMs + time_ms.
 * @param file names the file in errors.
 */
export function parseLeanTickQuotes(csv: Uint8Array, midnightMs: number, file: string): QuoteColumns {
  return parseLeanTickQuotesWithOpening(csv, midnightMs, file).quotes;
}

/**
 * parseLeanTickQuotes, plus the time of the primary exchange's opening quote (the snapshot of the
 * first non-suspicious row flagged OpeningQuote at or after 09:30 ET). Flags are read only from
 * 09:30 until that row is found, a few hundred rows at most, so the byte loop keeps its speed.
 */
export function parseLeanTickQuotesWithOpening(csv: Uint8Array, midnightMs: number, file: string): LeanTickQuotes {
  const cap = countLines(csv);
  const { time, bid, ask, bidSize, askSize } = allocQuoteColumns(cap);
  const r = new CsvBytes(csv, file, QUOTE_COLUMNS);
  let n = 0;
  let lastMs = -1; // time of the previous row, suspicious ones included (file order is event order)
  let openMs = -1; // ms whose snapshot is not emitted yet, or -1
  let b = 0, bs = 0, a = 0, as = 0;
  let openingMs = -1;
  while (r.nextRow()) {
    const ms = r.int(0, MS_PER_DAY - 1);
    const rowBid = r.int(1, INT32_MAX);
    const rowBidSize = r.int(2, INT32_MAX);
    const rowAsk = r.int(3, INT32_MAX);
    const rowAskSize = r.int(4, INT32_MAX);
    r.skip(5);
    let flags = 0;
    if (openingMs === -1 && ms >= REGULAR_OPEN_MS) flags = r.hexFlags(6);
    else r.skip(6);
    const suspicious = r.int(7, 1);
    r.endRow();
    if (ms < lastMs) r.error(`time goes backwards (${ms} ms after ${lastMs} ms)`);
    lastMs = ms;
    if (suspicious === 1) continue;
    if (flags > 0 && (flags & OPENING_QUOTE_FLAG) !== 0) openingMs = ms; // -1 (unreadable) has every bit set
    if (ms !== openMs && openMs !== -1) {
      time[n] = midnightMs + openMs;
      bid[n] = b; bidSize[n] = bs; ask[n] = a; askSize[n] = as;
      n++;
    }
    openMs = ms;
    if (rowBid !== 0) { b = rowBid; bs = rowBidSize; }
    if (rowAsk !== 0) { a = rowAsk; as = rowAskSize; }
  }
  if (openMs === -1) throw new TapeFormatError(file, null, 'no quotes: the file is empty or every row is suspicious');
  time[n] = midnightMs + openMs;
  bid[n] = b; bidSize[n] = bs; ask[n] = a; askSize[n] = as;
  n++;
  const quotes = trimQuotes(n, time, bid, ask, bidSize, askSize);
  return { quotes, openingQuoteTime: openingMs === -1 ? null : midnightMs + openingMs };
}

/**
 * Lean tick trades (bytes of the CSV inside `_trade.zip`) as prints. Suspicious rows are skipped,
 * and so are rows with a zero price or size: they carry no print to fill against or weigh in VWAP.
 * The sale condition decides whether a print is regular (tape/sale-conditions.ts).
 */
export function parseLeanTickTrades(csv: Uint8Array, midnightMs: number, file: string): TradeColumns {
  const cap = countLines(csv);
  const { time, price, size, regular } = allocTradeColumns(cap);
  const r = new CsvBytes(csv, file, TRADE_COLUMNS);
  let n = 0;
  let rows = 0;
  let lastMs = -1;
  while (r.nextRow()) {
    const ms = r.int(0, MS_PER_DAY - 1);
    const px = r.int(1, INT32_MAX);
    const qty = r.int(2, INT32_MAX);
    r.skip(3);
    const condition = r.hexFlags(4);
    const suspicious = r.int(5, 1);
    r.endRow();
    rows++;
    if (ms < lastMs) r.error(`time goes backwards (${ms} ms after ${lastMs} ms)`);
    lastMs = ms;
    if (suspicious === 1 || px === 0 || qty === 0) continue;
    time[n] = midnightMs + ms;
    price[n] = px;
    size[n] = qty;
    regular[n] = isRegularLeanCondition(condition) ? 1 : 0;
    n++;
  }
  if (rows === 0) throw new TapeFormatError(file, null, 'empty file: no trade rows');
  return trimTrades(n, time, price, size, regular);
}

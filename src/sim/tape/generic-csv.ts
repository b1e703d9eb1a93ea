import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { QuoteColumns, Tape, TradeColumns } from './tape.js';
import { TapeFormatError } from './tape-error.js';
import { requireTapeFile } from './tape-file.js';
import { etDateOf } from '../../engine/et-time.js';
import { etMidnightMs } from './et-date.js';
import { allocQuoteColumns, allocTradeColumns, trimQuotes, trimTrades } from './columns.js';
import { type Fail, parsePrice, parseSize, parseTime } from './generic-fields.js';
import { isRegularSipConditions } from './sale-conditions.js';

/** Options for the generic CSV (data/FORMATS.md). */
export interface GenericCsvOptions {
  /** Overrides the symbol taken from the file name. */
  readonly symbol?: string;
  /** Overrides the trading date (YYYY-MM-DD) taken from the first quote. */
  readonly date?: string;
  /** Trades file; undefined = use the sibling `<stem>_trades.csv` when it exists; null = none. */
  readonly trades?: string | null;
}

const QUOTE_FIELDS = ['time', 'bid', 'bid_size', 'ask', 'ask_size'] as const;
const TRADE_FIELDS = ['time', 'price', 'size'] as const;
/** Optional trade column: SIP sale-condition codes (tape/sale-conditions.ts); absent or empty = regular. */
const TRADE_CONDITIONS = 'conditions';

/**
 * The trades file that goes with a generic quotes CSV: `x_quotes.csv` -> `x_trades.csv`,
 * otherwise `x.csv` -> `x_trades.csv`. Returned whether or not it exists.
 */
export function genericTradesSibling(quotesPath: string): string {
  const stem = quotesPath.replace(/\.csv$/i, '');
  return `${stem.replace(/_quotes$/i, '')}_trades.csv`;
}

/** Loads a generic quotes CSV (and its trades CSV, if any) as a Tape; `source` is `file` as given. */
export function loadGenericCsv(file: string, opts: GenericCsvOptions = {}): Tape {
  if (/_trades\.csv$/i.test(file)) {
    throw new TapeFormatError(file, null, 'this is a trades file; pass the quotes CSV (its trades are picked up beside it)');
  }
  const quotes = parseGenericQuotes(readText(file), file);
  const tradesFile = opts.trades === undefined ? genericTradesSibling(file) : opts.trades;
  const pickUp = tradesFile !== null && (opts.trades !== undefined || existsSync(tradesFile));
  const trades = pickUp ? parseGenericTrades(readText(tradesFile), tradesFile) : null;
  const symbol = opts.symbol ?? symbolFromName(file);
  const date = opts.date ?? etDateOf(quotes.time[0]!);
  etMidnightMs(date, file); // validates an explicit date
  return { symbol, date, source: file, quotes, trades, tradesAreBars: false };
}

/** Symbol = the file name's stem before the first `_`, upper-cased (`tqqq_2024-03-01.csv` -> TQQQ). */
export function symbolFromName(file: string): string {
  const stem = path.basename(file).replace(/\.csv$/i, '');
  const symbol = stem.split('_')[0]!.toUpperCase();
  if (symbol === '') throw new TapeFormatError(file, null, 'cannot tell the symbol from the file name; pass it explicitly');
  return symbol;
}

function readText(file: string): string {
  requireTapeFile(file);
  return readFileSync(file, 'utf8');
}

/**
 * Quote rows are full snapshots, one per row. Rows sharing a millisecond collapse to the last one,
 * as for Lean ticks. A price of 0 or an empty price means no quote on that side (its size is
 * then 0).
 */
export function parseGenericQuotes(text: string, file: string): QuoteColumns {
  const rows = csvRows(text, file, QUOTE_FIELDS);
  const cap = rows.count;
  const { time, bid, ask, bidSize, askSize } = allocQuoteColumns(cap);
  let n = 0;
  rows.each((get, fail, failIn) => {
    const t = parseTime(get(0), failIn(0));
    const b = parsePrice(get(1), failIn(1));
    const a = parsePrice(get(3), failIn(3));
    const bs = b === 0 ? 0 : parseSize(get(2), failIn(2));
    const as = a === 0 ? 0 : parseSize(get(4), failIn(4));
    if (n > 0 && t < time[n - 1]!) fail(`time goes backwards (${get(0)} is before the previous row)`);
    if (n === 0 || t !== time[n - 1]) n++;
    const i = n - 1;
    time[i] = t; bid[i] = b; bidSize[i] = bs; ask[i] = a; askSize[i] = as;
  });
  return trimQuotes(n, time, bid, ask, bidSize, askSize);
}

/** Trade rows: time, price (decimal dollars, > 0), size (shares), and optionally their sale conditions. */
export function parseGenericTrades(text: string, file: string): TradeColumns {
  // A header and no rows is a window with no prints (an order that filled before the first one):
  // a valid trades file, unlike a quotes file with no quotes.
  const rows = csvRows(text, file, TRADE_FIELDS, TRADE_CONDITIONS, { rowsRequired: false });
  const { time, price, size, regular } = allocTradeColumns(rows.count);
  let n = 0;
  rows.each((get, fail, failIn, optional) => {
    const t = parseTime(get(0), failIn(0));
    const p = parsePrice(get(1), failIn(1));
    if (p === 0) failIn(1)('a trade price must be above 0');
    const s = parseSize(get(2), failIn(2));
    if (n > 0 && t < time[n - 1]!) fail(`time goes backwards (${get(0)} is before the previous row)`);
    time[n] = t; price[n] = p; size[n] = s;
    regular[n] = isRegularSipConditions(optional ?? '') ? 1 : 0;
    n++;
  });
  return trimTrades(n, time, price, size, rows.hasOptional ? regular : null);
}

interface CsvRows {
  /** Data rows (an upper bound: blank lines are skipped). */
  readonly count: number;
  /** Whether the header has the optional column. */
  readonly hasOptional: boolean;
  /**
   * Calls `row` per data row: `get(i)` is the i-th required field (trimmed), `fail` reports a row
   * problem, `failIn(i)` a problem in the i-th required field (the message names the column), and
   * `optional` the optional column's field (trimmed), undefined when the header lacks it.
   */
  each(row: (get: (i: number) => string, fail: Fail, failIn: (i: number) => Fail, optional: string | undefined) => void): void;
}

/**
 * Splits a header-first CSV, maps the required `fields` (and the `optional` one, if the header
 * has it) by header name (any order, extra columns ignored) and checks every row has the header's
 * column count. Errors name file and line.
 */
function csvRows(text: string, file: string, fields: readonly string[], optional?: string, opts: { readonly rowsRequired: boolean } = { rowsRequired: true }): CsvRows {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt === -1) throw new TapeFormatError(file, null, 'empty file: expected a header line and rows');
  const header = lines[headerAt]!.split(',').map((h) => h.trim().toLowerCase());
  const at = (line: number) => (what: string): never => { throw new TapeFormatError(file, line, what); };
  const index = fields.map((f) => header.indexOf(f));
  const missing = fields.filter((_, i) => index[i] === -1);
  if (missing.length > 0) {
    at(headerAt + 1)(`header lacks ${missing.join(', ')} (expected columns ${fields.join(',')}; got ${header.join(',')})`);
  }
  const dup = header.find((h, i) => h !== '' && header.indexOf(h) !== i);
  if (dup !== undefined) at(headerAt + 1)(`header names column "${dup}" twice`);
  const optionalAt = optional === undefined ? -1 : header.indexOf(optional);
  const count = lines.length - headerAt - 1;
  if (opts.rowsRequired && !lines.slice(headerAt + 1).some((l) => l.trim() !== '')) {
    throw new TapeFormatError(file, null, 'empty file: a header but no rows');
  }
  return {
    count,
    hasOptional: optionalAt >= 0,
    each(row) {
      for (let i = headerAt + 1; i < lines.length; i++) {
        const line = lines[i]!;
        if (line.trim() === '') continue;
        const cells = line.split(',');
        const fail = at(i + 1);
        if (cells.length !== header.length) fail(`expected ${header.length} columns, got ${cells.length}`);
        row((k) => cells[index[k]!]!.trim(), fail, (k) => (what) => fail(`column ${fields[k]}: ${what}`), optionalAt >= 0 ? cells[optionalAt]!.trim() : undefined);
      }
    },
  };
}

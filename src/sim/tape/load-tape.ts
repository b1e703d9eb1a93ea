import { existsSync } from 'node:fs';
import type { Tape, TradeColumns } from './tape.js';
import { TapeFormatError } from './tape-error.js';
import { requireTapeFile } from './tape-file.js';
import { leanTradeSibling, parseLeanPath, type LeanPathInfo } from './lean-path.js';
import { readZipCsv } from './zip-csv.js';
import { etMidnightMs } from './et-date.js';
import { parseLeanTickQuotesWithOpening, parseLeanTickTrades } from './lean-tick.js';
import { parseLeanQuoteBars, parseLeanTradeBars } from './lean-bars.js';
import { loadGenericCsv } from './generic-csv.js';

export interface LoadTapeOptions {
  /** Overrides the symbol read from the path (Lean) or file name (CSV). */
  readonly symbol?: string;
  /** Overrides the trading date, YYYY-MM-DD; Lean times are ms after midnight ET of this date. */
  readonly date?: string;
  /** Generic CSV only: the trades file (null = none); by default `<stem>_trades.csv` if present. */
  readonly trades?: string | null;
}

const LEAN_SHAPE = '.../equity/usa/<tick|second|minute>/<symbol>/<YYYYMMDD>_quote.zip';

/**
 * Loads one day of quotes (and trades, when available) from a file, by its path:
 * - a Lean tick, second or minute `_quote.zip`; the matching `_trade.zip` beside it is picked up
 *   automatically when present;
 * - a `.csv` in the generic format of data/FORMATS.md.
 * `source` is `file` exactly as given. Throws TapeFormatError (file, line, what) on any problem.
 */
export function loadTape(file: string, opts: LoadTapeOptions = {}): Tape {
  // Before the name-based dispatch: a folder named `x.csv` or `..._quote.zip` is not a tape.
  if (existsSync(file)) requireTapeFile(file);
  if (/\.csv$/i.test(file)) return loadGenericCsv(file, opts);
  if (!/\.zip$/i.test(file)) {
    throw new TapeFormatError(file, null, `unsupported tape file: expected a Lean ${LEAN_SHAPE} or a generic .csv`);
  }
  const info = parseLeanPath(file);
  if (info === null) {
    throw new TapeFormatError(file, null, `not a Lean data path: expected ${LEAN_SHAPE} (for your own data use the generic CSV of data/FORMATS.md)`);
  }
  if (info.kind === 'trade') {
    // SPY tick days ship trades without quotes: say so rather than point at a file that is not there.
    const quotes = file.replace(/_trade\.zip$/i, '_quote.zip');
    const hint = existsSync(quotes) ? `pass ${quotes} instead` : `and no ${quotes} exists: a tape needs quotes`;
    throw new TapeFormatError(file, null, `this is a Lean trade file; ${hint} (its trades are picked up automatically)`);
  }
  if (!existsSync(file)) throw new TapeFormatError(file, null, 'file not found');
  const date = opts.date ?? info.date;
  const midnight = etMidnightMs(date, file);
  const { quotes, openingQuoteTime } = loadLeanQuotes(file, info, midnight);
  const tradeFile = leanTradeSibling(file);
  const trades = tradeFile !== null && existsSync(tradeFile) ? loadLeanTrades(tradeFile, info, midnight) : null;
  return {
    symbol: opts.symbol ?? info.symbol,
    date,
    source: file,
    quotes,
    trades,
    tradesAreBars: trades !== null && info.resolution !== 'tick',
    openingQuoteTime,
  };
}

/** Bars carry no quote conditions, so only tick files can tell when the opening quote came. */
function loadLeanQuotes(file: string, info: LeanPathInfo, midnight: number): Pick<Tape, 'quotes' | 'openingQuoteTime'> {
  const csv = readZipCsv(file);
  return info.resolution === 'tick'
    ? parseLeanTickQuotesWithOpening(csv, midnight, file)
    : { quotes: parseLeanQuoteBars(csv, midnight, info.resolution, file), openingQuoteTime: null };
}

function loadLeanTrades(file: string, info: LeanPathInfo, midnight: number): TradeColumns {
  const csv = readZipCsv(file);
  return info.resolution === 'tick'
    ? parseLeanTickTrades(csv, midnight, file)
    : parseLeanTradeBars(csv, midnight, info.resolution, file);
}

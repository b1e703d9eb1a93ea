import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { etClockToEpoch } from '../../engine/et-time.js';
import { MS_PER_DAY } from './csv-bytes.js';
import { isRegularPrint, type QuoteColumns, type Tape, type TradeColumns } from './tape.js';
import { LEAN_EXCLUDED_CONDITION, LEAN_REGULAR_CONDITION } from './sale-conditions.js';

/** What writeLeanTickTape wrote, and what Lean's reader will not see as it was. */
export interface LeanTickFiles {
  /** `<root>/equity/usa/tick/<sym>/<YYYYMMDD>_quote.zip`. */
  readonly quoteFile: string;
  /** The `_trade.zip` beside it, or null when the tape has no prints. */
  readonly tradeFile: string | null;
  /**
   * Snapshots with a zero side written after that side had been quoted: Lean readers hold the
   * last nonzero side (0 means "not in this row"), so these read back with the previous side.
   */
  readonly heldSides: number;
  /** Snapshots sharing their ms with a later one: Lean's reader keeps only the last of a ms. */
  readonly collapsedQuotes: number;
}

export interface LeanWriteOptions {
  /** Exchange letter written on every row (Lean's codes: P NYSE Arca, Q NASDAQ, N NYSE...). Default P. */
  readonly exchange?: string;
}

const REGULAR = '1';
/** QuoteConditionFlags.OpeningQuote. */
const OPENING_QUOTE = '800';
/** Unix "version made by" 2.0: adm-zip writes the host OS here, which would differ across machines. */
const MADE_BY_UNIX = 0x0314;

/**
 * Writes a tape as Lean tick files (data/quotes/SOURCE.md): each snapshot as a bid row then an ask
 * row with the same ms after midnight ET, prices x10,000, suspicious 0, condition `1`, or `800` on
 * both rows of the first snapshot at or after `tape.openingQuoteTime`. Trades as
 * `time_ms,price,size,exchange,1,0`. Replaces any tape of that symbol and date under `rootDir`
 * (a stale `_trade.zip` is removed when this tape has no prints, so the reader cannot pair it).
 *
 * Identical tapes give identical bytes: the zip entry is stamped with the tape's date at 00:00,
 * with fixed attributes. What the format cannot carry is counted, not hidden: see LeanTickFiles.
 * Halts and `tradesAreBars` are not written (the tick format has neither).
 * Throws an Error for a symbol that cannot be a path segment, an unknown exchange letter, or an
 * event outside the tape's date.
 */
export function writeLeanTickTape(tape: Tape, rootDir: string, opts: LeanWriteOptions = {}): LeanTickFiles {
  const ex = opts.exchange ?? 'P';
  if (!/^[A-Z]$/.test(ex)) throw new Error(`invalid exchange "${ex}": expected one upper-case letter`);
  const sym = tape.symbol.toLowerCase();
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(sym)) throw new Error(`cannot write symbol "${tape.symbol}" as a Lean folder name`);
  const ymd = tape.date.replace(/-/g, '');
  const midnight = etClockToEpoch(tape.date, '00:00:00');
  const dir = path.join(rootDir, 'equity', 'usa', 'tick', sym);
  mkdirSync(dir, { recursive: true });

  const quotes = quoteRows(tape, midnight, ex);
  const quoteFile = path.join(dir, `${ymd}_quote.zip`);
  writeFileSync(quoteFile, zipOne(`${ymd}_${sym}_Quote_Tick.csv`, quotes.text, tape.date));

  let tradeFile: string | null = path.join(dir, `${ymd}_trade.zip`);
  // An empty trade file is an error to the reader; no prints means no file.
  if (tape.trades === null || tape.trades.length === 0) {
    if (existsSync(tradeFile)) rmSync(tradeFile);
    tradeFile = null;
  } else {
    writeFileSync(tradeFile, zipOne(`${ymd}_${sym}_Trade_Tick.csv`, tradeRows(tape.trades, midnight, ex, tape), tape.date));
  }
  return { quoteFile, tradeFile, heldSides: quotes.heldSides, collapsedQuotes: quotes.collapsedQuotes };
}

function msOfDay(t: number, midnight: number, what: string, tape: Tape): number {
  const ms = t - midnight;
  if (!Number.isInteger(ms) || ms < 0 || ms >= MS_PER_DAY) {
    throw new Error(`${tape.source}: ${what} at epoch ms ${t} is not a whole ms on ${tape.date} ET`);
  }
  return ms;
}

function quoteRows(tape: Tape, midnight: number, ex: string) {
  const q: QuoteColumns = tape.quotes;
  const opening = tape.openingQuoteTime ?? null;
  const rows: string[] = new Array<string>(2 * q.length);
  let heldBid = false;
  let heldAsk = false;
  let heldSides = 0;
  let collapsedQuotes = 0;
  let openingDone = opening === null;
  let prevMs = -1;
  for (let i = 0; i < q.length; i++) {
    const ms = msOfDay(q.time[i]!, midnight, 'a quote', tape);
    if (ms < prevMs) throw new Error(`${tape.source}: quote ${i} goes back in time`);
    if (ms === prevMs) collapsedQuotes++;
    prevMs = ms;
    const b = q.bid[i]!;
    const a = q.ask[i]!;
    if ((b === 0 && heldBid) || (a === 0 && heldAsk)) heldSides++;
    heldBid ||= b !== 0;
    heldAsk ||= a !== 0;
    let cond = REGULAR;
    if (!openingDone && q.time[i]! >= opening!) {
      cond = OPENING_QUOTE;
      openingDone = true;
    }
    rows[2 * i] = `${ms},${b},${b === 0 ? 0 : q.bidSize[i]!},0,0,${ex},${cond},0`;
    rows[2 * i + 1] = `${ms},0,0,${a},${a === 0 ? 0 : q.askSize[i]!},${ex},${cond},0`;
  }
  return { text: rows.join('\n'), heldSides, collapsedQuotes };
}

function tradeRows(t: TradeColumns, midnight: number, ex: string, tape: Tape): string {
  const rows: string[] = new Array<string>(t.length);
  for (let i = 0; i < t.length; i++) {
    const condition = isRegularPrint(t, i) ? LEAN_REGULAR_CONDITION : LEAN_EXCLUDED_CONDITION;
    rows[i] = `${msOfDay(t.time[i]!, midnight, 'a trade', tape)},${t.price[i]!},${t.size[i]!},${ex},${condition},0`;
  }
  return rows.join('\n');
}

/**
 * A zip holding one CSV (Lean's layout: no trailing newline), byte-identical for identical input.
 * The entry time is the trade date at 00:00 built from local-time fields, because the DOS time
 * field is itself read from local-time getters: the bytes then match in every time zone.
 */
function zipOne(entryName: string, text: string, date: string): Buffer {
  const zip = new AdmZip();
  const entry = zip.addFile(entryName, Buffer.from(text, 'latin1'), '', 0o644);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  entry.header.time = new Date(y, m - 1, d, 0, 0, 0);
  entry.header.made = MADE_BY_UNIX;
  return zip.toBuffer();
}

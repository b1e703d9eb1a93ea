import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { generateOpen, TQQQ_LIKE } from '../../../src/sim/synthetic/index.js';
import { writeLeanTickTape, type LeanTickFiles } from '../../../src/sim/tape/lean-writer.js';
import { loadTape } from '../../../src/sim/tape/load-tape.js';
import type { QuoteColumns, Tape, TradeColumns } from '../../../src/sim/tape/tape.js';
import { readZipCsv } from '../../../src/sim/tape/zip-csv.js';
import { HAS_REAL_DATA, NO_REAL_DATA_REASON, REAL_DATA, tempDir } from './fixtures.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);
let n = 0;
const root = () => path.join(dir, `r${n++}`);

const DATE = '2024-03-04'; // EST
const at = (clock: string) => etClockToEpoch(DATE, clock);

function quotes(rows: Array<[number, number, number, number, number]>): QuoteColumns {
  const col = (k: number, F: typeof Float64Array | typeof Int32Array) => F.from(rows.map((r) => r[k]!));
  return { length: rows.length, time: col(0, Float64Array) as Float64Array, bid: col(1, Int32Array) as Int32Array, bidSize: col(2, Int32Array) as Int32Array, ask: col(3, Int32Array) as Int32Array, askSize: col(4, Int32Array) as Int32Array };
}

const rowsOf = (q: QuoteColumns) => Array.from({ length: q.length }, (_, i) => [q.time[i]!, q.bid[i]!, q.bidSize[i]!, q.ask[i]!, q.askSize[i]!]);
const tradeRows = (t: TradeColumns | null) => (t === null ? null : Array.from({ length: t.length }, (_, i) => [t.time[i]!, t.price[i]!, t.size[i]!]));

/**
 * What a Lean reader must rebuild from the written rows (SOURCE.md): a zero side means "not in
 * this row" so the last nonzero side is held, and only the last snapshot of each ms survives.
 */
function leanReadBack(q: QuoteColumns): number[][] {
  const out: number[][] = [];
  let b = 0, bs = 0, a = 0, as = 0;
  for (let i = 0; i < q.length; i++) {
    if (q.bid[i] !== 0) [b, bs] = [q.bid[i]!, q.bidSize[i]!];
    if (q.ask[i] !== 0) [a, as] = [q.ask[i]!, q.askSize[i]!];
    const row = [q.time[i]!, b, bs, a, as];
    if (out.length > 0 && out[out.length - 1]![0] === q.time[i]) out[out.length - 1] = row;
    else out.push(row);
  }
  return out;
}

const TINY: Tape = {
  symbol: 'TQQQ',
  date: DATE,
  source: 'tiny',
  quotes: quotes([
    [at('09:29:59'), 599900, 200, 600100, 300],
    [at('09:30:01.500'), 600000, 100, 600300, 400],
    [at('09:30:02.250'), 0, 0, 600300, 100],
  ]),
  trades: { length: 1, time: Float64Array.of(at('09:30:01.600')), price: Int32Array.of(600100), size: Int32Array.of(50), regular: null },
  tradesAreBars: false,
  openingQuoteTime: at('09:30:01.500'),
};

describe('writeLeanTickTape', () => {
  it('writes the documented Lean tick rows, paths and entry names', () => {
    const r = root();
    const files = writeLeanTickTape(TINY, r);
    expect(files).toEqual({
      quoteFile: path.join(r, 'equity', 'usa', 'tick', 'tqqq', '20240304_quote.zip'),
      tradeFile: path.join(r, 'equity', 'usa', 'tick', 'tqqq', '20240304_trade.zip'),
      heldSides: 1,
      collapsedQuotes: 0,
    });
    expect(readZipCsv(files.quoteFile).toString('latin1')).toBe([
      '34199000,599900,200,0,0,P,1,0',
      '34199000,0,0,600100,300,P,1,0',
      '34201500,600000,100,0,0,P,800,0',
      '34201500,0,0,600300,400,P,800,0',
      '34202250,0,0,0,0,P,1,0',
      '34202250,0,0,600300,100,P,1,0',
    ].join('\n'));
    expect(readZipCsv(files.tradeFile!).toString('latin1')).toBe('34201600,600100,50,P,1,0');
    const entries = (f: string) => new AdmZip(f).getEntries().map((e) => [e.entryName, e.header.made, e.header.time.getHours()]);
    expect(entries(files.quoteFile)).toEqual([['20240304_tqqq_Quote_Tick.csv', 0x0314, 0]]);
    expect(entries(files.tradeFile!)).toEqual([['20240304_tqqq_Trade_Tick.csv', 0x0314, 0]]);
  });

  it('reads back through loadTape with only the documented difference (the zero bid holds)', () => {
    const back = loadTape(writeLeanTickTape(TINY, root()).quoteFile);
    expect(rowsOf(back.quotes)).toEqual(leanReadBack(TINY.quotes));
    expect(rowsOf(back.quotes)[2]).toEqual([at('09:30:02.250'), 600000, 100, 600300, 100]);
    expect(tradeRows(back.trades)).toEqual(tradeRows(TINY.trades));
    expect([back.symbol, back.date, back.openingQuoteTime, back.tradesAreBars]).toEqual(['TQQQ', DATE, TINY.openingQuoteTime, false]);
  });

  it('round-trips a generated open, crossed and locked bursts included, exactly up to same-ms collapse', () => {
    const tape = generateOpen(TQQQ_LIKE, DATE, 3, { shape: { badQuotes: { burstsPerHour: 300, kinds: ['crossed', 'locked'] } } });
    const files = writeLeanTickTape(tape, root());
    const back = loadTape(files.quoteFile);
    const want = leanReadBack(tape.quotes);
    expect(rowsOf(back.quotes)).toEqual(want);
    expect(files.heldSides).toBe(0);
    expect(files.collapsedQuotes).toBe(tape.quotes.length - want.length);
    expect(tradeRows(back.trades)).toEqual(tradeRows(tape.trades));
    expect(back.openingQuoteTime).toBe(tape.openingQuoteTime);
    const crossedOrLocked = (q: QuoteColumns) => rowsOf(q).filter(([, b, , a]) => b! >= a!).length;
    expect(crossedOrLocked(back.quotes)).toBe(crossedOrLocked(tape.quotes));
    expect(crossedOrLocked(tape.quotes)).toBeGreaterThan(50);
  });

  it('counts the zero sides Lean cannot carry, and they read back holding the previous side', () => {
    const tape = generateOpen(TQQQ_LIKE, DATE, 4, { shape: { badQuotes: { burstsPerHour: 300, kinds: ['zero-bid', 'zero-ask'] } } });
    const zeroSides = rowsOf(tape.quotes).filter(([, b, , a]) => b === 0 || a === 0).length;
    expect(zeroSides).toBeGreaterThan(50);
    const files = writeLeanTickTape(tape, root());
    expect(files.heldSides).toBe(zeroSides);
    const back = loadTape(files.quoteFile);
    expect(rowsOf(back.quotes)).toEqual(leanReadBack(tape.quotes));
    expect(rowsOf(back.quotes).filter(([, b, , a]) => b === 0 || a === 0)).toEqual([]);
  });

  it('writes byte-identical zips for identical tapes, in any time zone', () => {
    const tape = generateOpen(TQQQ_LIKE, DATE, 5, { fromEt: '09:25:00', toEt: '09:35:00' });
    const bytes = (f: LeanTickFiles) => [readFileSync(f.quoteFile), readFileSync(f.tradeFile!)];
    const first = bytes(writeLeanTickTape(tape, root()));
    const tz = process.env['TZ'];
    try {
      for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
        process.env['TZ'] = zone;
        const again = bytes(writeLeanTickTape(tape, root()));
        expect(again[0]!.equals(first[0]!)).toBe(true);
        expect(again[1]!.equals(first[1]!)).toBe(true);
      }
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
  });

  it('writes no trade file for a tape without prints, removing a stale one', () => {
    const r = root();
    const files = writeLeanTickTape(TINY, r);
    expect(existsSync(files.tradeFile!)).toBe(true);
    const again = writeLeanTickTape({ ...TINY, trades: null }, r);
    expect(again.tradeFile).toBeNull();
    expect(existsSync(files.tradeFile!)).toBe(false);
    expect(loadTape(again.quoteFile).trades).toBeNull();
  });

  it('refuses what it cannot write', () => {
    expect(() => writeLeanTickTape({ ...TINY, symbol: 'A/B' }, root())).toThrow(/cannot write symbol "A\/B"/);
    expect(() => writeLeanTickTape(TINY, root(), { exchange: 'PP' })).toThrow(/invalid exchange "PP"/);
    const late = { ...TINY, quotes: quotes([[etClockToEpoch('2024-03-05', '09:30:00'), 1, 1, 2, 1]]) };
    expect(() => writeLeanTickTape(late, root())).toThrow(/not a whole ms on 2024-03-04 ET/);
  });
});

describe.skipIf(!HAS_REAL_DATA)(`a real Lean tape survives write and reload unchanged (${HAS_REAL_DATA ? 'present' : NO_REAL_DATA_REASON})`, () => {
  it('IBM 2013-10-07', () => {
    const real = loadTape(path.join(REAL_DATA, 'equity', 'usa', 'tick', 'ibm', '20131007_quote.zip'));
    const files = writeLeanTickTape(real, root(), { exchange: 'N' });
    expect(files.heldSides).toBe(0);
    expect(files.collapsedQuotes).toBe(0);
    const back = loadTape(files.quoteFile);
    expect(rowsOf(back.quotes)).toEqual(rowsOf(real.quotes));
    expect(tradeRows(back.trades)).toEqual(tradeRows(real.trades));
    expect(back.openingQuoteTime).toBe(real.openingQuoteTime);
  });
});

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTape } from '../../../src/sim/tape/load-tape.js';
import { quoteAt } from '../../../src/sim/tape/tape.js';
import { edt, expectTapeError, tempDir, writeLeanZip, writeText, writeZip } from './fixtures.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);
const DATE = '2013-10-07';

describe('loadTape on Lean zips', () => {
  it('loads a tick quote zip and picks up the trade zip beside it', () => {
    const quotes = writeLeanZip(dir, 'tick', 'XYZ', '20131007', 'quote', ['34200020,490300,100,0,0,Q,1,0', '34200020,0,0,490800,600,P,1,0']);
    writeLeanZip(dir, 'tick', 'XYZ', '20131007', 'trade', ['34200500,490500,100,N,1,0']);
    const tape = loadTape(quotes);
    expect([tape.symbol, tape.date, tape.source, tape.tradesAreBars]).toEqual(['XYZ', DATE, quotes, false]);
    expect(quoteAt(tape.quotes, 0)).toEqual({ time: edt(DATE, '09:30:00.020'), bid: 490300, bidSize: 100, ask: 490800, askSize: 600 });
    expect(Array.from(tape.trades!.time)).toEqual([edt(DATE, '09:30:00.500')]);
  });

  it('has no trades when no trade zip is beside the quotes', () => {
    const quotes = writeLeanZip(dir, 'tick', 'LONE', '20131008', 'quote', ['34200020,490300,100,0,0,Q,1,0']);
    expect(loadTape(quotes).trades).toBeNull();
  });

  it('stamps second and minute bars at bar end and marks bar trades', () => {
    const sec = writeLeanZip(dir, 'second', 'BAR', '20131007', 'quote', ['34200000,1,1,1,10,5,2,2,2,20,6']);
    writeLeanZip(dir, 'second', 'BAR', '20131007', 'trade', ['34200000,10,12,8,13,100']);
    const s = loadTape(sec);
    expect([s.quotes.time[0], s.quotes.bid[0], s.quotes.ask[0]]).toEqual([edt(DATE, '09:30:01'), 10, 20]);
    expect([s.trades!.time[0], s.trades!.price[0], s.trades!.size[0], s.tradesAreBars]).toEqual([edt(DATE, '09:30:01'), 11, 100, true]);
    const min = writeLeanZip(dir, 'minute', 'BAR', '20131007', 'quote', ['34200000,1,1,1,10,5,2,2,2,20,6']);
    expect(loadTape(min).quotes.time[0]).toBe(edt(DATE, '09:31:00'));
  });

  it('lets options override symbol and date', () => {
    const quotes = writeLeanZip(dir, 'tick', 'OVR', '20131007', 'quote', ['0,1,1,2,2,Q,1,0']);
    const tape = loadTape(quotes, { symbol: 'ABC', date: '2013-10-08' });
    expect([tape.symbol, tape.date, tape.quotes.time[0]]).toEqual(['ABC', '2013-10-08', edt('2013-10-08', '00:00:00')]);
  });

  it('reports malformed rows with the zip path and the line', () => {
    const quotes = writeLeanZip(dir, 'tick', 'BAD', '20131007', 'quote', ['1000,100,1,0,0,Q,1,0', '1000,100,1,0,0,Q,1']);
    expectTapeError(() => loadTape(quotes), quotes, 2, 'expected 8 columns, got 7');
    const good = writeLeanZip(dir, 'tick', 'BADT', '20131007', 'quote', ['1000,100,1,0,0,Q,1,0']);
    const trades = writeLeanZip(dir, 'tick', 'BADT', '20131007', 'trade', ['1000,100,1,P,1,0', '999,100,1,P,1,0']);
    expectTapeError(() => loadTape(good), trades, 2, 'time goes backwards');
  });

  it('refuses a trade zip alone, a non-Lean zip, a missing file and other extensions', () => {
    const quotes = writeLeanZip(dir, 'tick', 'PAIR', '20131007', 'quote', ['1000,100,1,0,0,Q,1,0']);
    const trades = writeLeanZip(dir, 'tick', 'PAIR', '20131007', 'trade', ['1000,100,1,P,1,0']);
    expectTapeError(() => loadTape(trades), trades, null, `this is a Lean trade file; pass ${quotes} instead`);
    const orphan = writeLeanZip(dir, 'tick', 'ORPH', '20131007', 'trade', ['1000,100,1,P,1,0']);
    expectTapeError(() => loadTape(orphan), orphan, null, 'exists: a tape needs quotes');
    const odd = writeZip(path.join(dir, 'odd.zip'), { 'a.csv': '1' });
    expectTapeError(() => loadTape(odd), odd, null, 'not a Lean data path');
    const missing = path.join(dir, 'equity', 'usa', 'tick', 'none', '20131007_quote.zip');
    expectTapeError(() => loadTape(missing), missing, null, 'file not found');
    const parquet = writeText(path.join(dir, 'x.parquet'), '');
    expectTapeError(() => loadTape(parquet), parquet, null, 'unsupported tape file');
    const noCsv = writeZip(path.join(dir, 'equity', 'usa', 'tick', 'nocsv', '20131007_quote.zip'), { 'x.txt': '1' });
    expectTapeError(() => loadTape(noCsv), noCsv, null, 'no CSV entry');
  });
});

describe('a tape path that is a directory', () => {
  it('is refused with one line naming it, whatever its name says', () => {
    const csvDir = path.join(dir, 'folder.csv');
    const zipDir = path.join(dir, 'equity', 'usa', 'tick', 'fold', '20131007_quote.zip');
    const plainDir = path.join(dir, 'plain-folder');
    for (const d of [csvDir, zipDir, plainDir]) {
      mkdirSync(d, { recursive: true });
      expectTapeError(() => loadTape(d), d, null, 'is a directory, not a tape file');
    }
  });

  it('a directory where the trades file would sit is named too', () => {
    const quotes = writeText(path.join(dir, 'sib.csv'), 'time,bid,bid_size,ask,ask_size\n2024-03-01T09:30:00-05:00,90.1,10,90.12,20');
    const tradesDir = path.join(dir, 'sib_trades.csv');
    mkdirSync(tradesDir);
    expectTapeError(() => loadTape(quotes), tradesDir, null, 'is a directory, not a tape file');
  });
});

describe('loadTape on generic CSV', () => {
  it('dispatches .csv files to the generic loader', () => {
    const file = writeText(path.join(dir, 'tecl_open.csv'), 'time,bid,bid_size,ask,ask_size\n2024-03-01T09:30:00-05:00,90.1,10,90.12,20');
    const tape = loadTape(file);
    expect([tape.symbol, tape.date, tape.source, tape.quotes.bid[0], tape.quotes.ask[0]]).toEqual(['TECL', '2024-03-01', file, 901000, 901200]);
  });
});

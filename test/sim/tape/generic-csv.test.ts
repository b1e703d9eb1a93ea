import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { genericTradesSibling, loadGenericCsv, parseGenericQuotes } from '../../../src/sim/tape/generic-csv.js';
import { quoteAt } from '../../../src/sim/tape/tape.js';
import { expectTapeError, tempDir, writeText } from './fixtures.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);
const T0 = Date.parse('2024-03-01T14:30:00Z'); // 09:30 EST

describe('generic CSV quotes', () => {
  it('reads ISO-8601 times with offset or Z and exact decimal prices', () => {
    const file = writeText(path.join(dir, 'tqqq_2024-03-01.csv'), [
      'time,bid,bid_size,ask,ask_size',
      '2024-03-01T09:30:00.123-05:00,61.50,300,61.52,200',
      '2024-03-01T14:30:00.5Z,61.5001,1,0.1234,2',
      '2024-03-01T09:30:01.999999999-05:00,61.49,100,61.53,100',
    ].join('\n'));
    const tape = loadGenericCsv(file);
    expect([tape.symbol, tape.date, tape.source, tape.trades, tape.tradesAreBars]).toEqual(['TQQQ', '2024-03-01', file, null, false]);
    expect(quoteAt(tape.quotes, 0)).toEqual({ time: T0 + 123, bid: 615000, bidSize: 300, ask: 615200, askSize: 200 });
    expect(quoteAt(tape.quotes, 1)).toEqual({ time: T0 + 500, bid: 615001, bidSize: 1, ask: 1234, askSize: 2 });
    expect(tape.quotes.time[2]).toBe(T0 + 1999); // sub-ms digits truncated, never rounded later
  });

  it('reads epoch ms, columns in any order, extra columns, empty or 0 sides, and collapses equal ms', () => {
    const file = writeText(path.join(dir, 'soxl.csv'), [
      'ask_size,ask,exchange,time,bid_size,bid',
      `5,30.01,P,${T0},,`,
      `6,30.02,P,${T0 + 1},7,29.99`,
      `8,30.03,P,${T0 + 1},9,29.98`,
      `0,0,P,${T0 + 2},9,29.97`,
      '',
    ].join('\r\n'));
    const q = loadGenericCsv(file, { symbol: 'SOXL', date: '2024-03-01' }).quotes;
    expect(Array.from({ length: q.length }, (_, i) => quoteAt(q, i))).toEqual([
      { time: T0, bid: 0, bidSize: 0, ask: 300100, askSize: 5 },
      { time: T0 + 1, bid: 299800, bidSize: 9, ask: 300300, askSize: 8 },
      { time: T0 + 2, bid: 299700, bidSize: 9, ask: 0, askSize: 0 },
    ]);
  });

  it('picks up the _trades.csv beside it, or one passed explicitly', () => {
    const quotes = writeText(path.join(dir, 'uvxy_quotes.csv'), `time,bid,bid_size,ask,ask_size\n${T0},10,1,10.01,1`);
    expect(genericTradesSibling(quotes)).toBe(path.join(dir, 'uvxy_trades.csv'));
    expect(genericTradesSibling('a/labu.csv')).toBe('a/labu_trades.csv');
    writeText(path.join(dir, 'uvxy_trades.csv'), `price,size,time\n10.005,100,${T0}\n10.01,5,2024-03-01T14:30:00.001Z`);
    const tape = loadGenericCsv(quotes);
    expect(tape.symbol).toBe('UVXY');
    expect([Array.from(tape.trades!.time), Array.from(tape.trades!.price), Array.from(tape.trades!.size)]).toEqual([
      [T0, T0 + 1], [100050, 100100], [100, 5],
    ]);
    const other = writeText(path.join(dir, 'prints.csv'), `time,price,size\n${T0},10.02,3`);
    expect(loadGenericCsv(quotes, { trades: other }).trades!.price[0]).toBe(100200);
    expect(loadGenericCsv(quotes, { trades: null }).trades).toBeNull();
    expect(tape.trades!.regular).toBeNull(); // no conditions column: every print is regular
  });

  it('reads an optional conditions column of SIP sale-condition codes', () => {
    const quotes = writeText(path.join(dir, 'soxl.csv'), `time,bid,bid_size,ask,ask_size\n${T0},10,1,10.01,1`);
    const rows = ['@', '@ F I', '', 'T', '@|Z', 'W', 'e'].map((c, i) => `${T0 + i},10.00,100,${c}`);
    writeText(path.join(dir, 'soxl_trades.csv'), `time,price,size,conditions\n${rows.join('\n')}`);
    expect(Array.from(loadGenericCsv(quotes).trades!.regular!)).toEqual([1, 1, 1, 0, 0, 0, 1]);
  });

  it('a trades file with a header and no rows is a window without prints, not an error', () => {
    // execute writes one when its order filled before the first print of its window; compare must replay it.
    const quotes = writeText(path.join(dir, 'labu.csv'), `time,bid,bid_size,ask,ask_size\n${T0},10,1,10.01,1`);
    writeText(path.join(dir, 'labu_trades.csv'), 'time,price,size\n');
    const trades = loadGenericCsv(quotes).trades!;
    expect([trades.length, Array.from(trades.time)]).toEqual([0, []]);
  });

  describe('malformed files name the file and the line', () => {
    const H = 'time,bid,bid_size,ask,ask_size';
    const ok = `${T0},1.00,1,1.01,1`;
    const cases: Array<[string, string, number | null, string]> = [
      ['more than 4 decimals', `${H}\n${ok}\n${T0},1.00001,1,1.01,1`, 3, 'column bid: price "1.00001" has more than 4 decimals'],
      ['a negative price', `${H}\n${T0},-1,1,1.01,1`, 2, 'column bid: price "-1" is not a non-negative decimal'],
      ['a price above Int32', `${H}\n${T0},1.00,1,214748.3648,1`, 2, 'column ask: price "214748.3648" is above the Int32 range'],
      ['a fractional size', `${H}\n${T0},1.00,1.5,1.01,1`, 2, 'column bid_size: size "1.5" is not a non-negative integer'],
      ['a missing size', `${H}\n${T0},1.00,,1.01,1`, 2, 'column bid_size: size is empty'],
      ['too few columns', `${H}\n${ok}\n${T0},1,1,1`, 3, 'expected 5 columns, got 4'],
      ['a time without offset', `${H}\n2024-03-01T09:30:00,1,1,1.01,1`, 2, 'neither ISO-8601 with an offset/Z nor integer epoch ms'],
      ['epoch seconds', `${H}\n1709303400,1,1,1.01,1`, 2, 'epoch seconds?'],
      ['an impossible date', `${H}\n2024-02-30T09:30:00Z,1,1,1.01,1`, 2, 'not a valid date-time'],
      ['time going backwards', `${H}\n${ok}\n${T0 - 1},1,1,1.01,1`, 3, 'time goes backwards'],
      ['a header lacking columns', 'time,bid,ask\n1,2,3', 1, 'header lacks bid_size, ask_size'],
      ['a duplicated header', `${H},bid\n${ok},1`, 1, 'header names column "bid" twice'],
      ['an empty file', '', null, 'empty file'],
      ['a header but no rows', `${H}\n\n`, null, 'a header but no rows'],
    ];
    it.each(cases)('%s', (_name, text, line, what) => {
      const file = writeText(path.join(dir, 'bad.csv'), text);
      expectTapeError(() => loadGenericCsv(file), file, line, what);
    });

    it('a bad trades file is named in its own error', () => {
      const quotes = writeText(path.join(dir, 'ok_quotes.csv'), `${H}\n${ok}`);
      const trades = writeText(path.join(dir, 'ok_trades.csv'), `time,price,size\n${T0},0,1`);
      expectTapeError(() => loadGenericCsv(quotes), trades, 2, 'column price: a trade price must be above 0');
    });

    it('a trades file passed as the tape, or a missing file', () => {
      const trades = path.join(dir, 'ok_trades.csv');
      expectTapeError(() => loadGenericCsv(trades), trades, null, 'pass the quotes CSV');
      const missing = path.join(dir, 'missing.csv');
      expectTapeError(() => loadGenericCsv(missing), missing, null, 'file not found');
      const quotes = path.join(dir, 'ok_quotes.csv');
      expectTapeError(() => loadGenericCsv(quotes, { trades: missing }), missing, null, 'file not found');
      expectTapeError(() => loadGenericCsv(quotes, { date: '2024-3-1', trades: null }), quotes, null, 'invalid date');
    });
  });

  it('parseGenericQuotes takes text directly', () => {
    expect(parseGenericQuotes(`time,bid,bid_size,ask,ask_size\n${T0},1,1,2,2`, 'mem').length).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { barMs, parseLeanQuoteBars, parseLeanTradeBars } from '../../../src/sim/tape/lean-bars.js';
import { quoteAt } from '../../../src/sim/tape/tape.js';
import { bytes, edt, expectTapeError } from './fixtures.js';

const DATE = '2013-10-07';
const MIDNIGHT = edt(DATE, '00:00:00');
const F = '20131007_spy_second_quote.csv';

describe('barMs', () => {
  it('is 1 s for second bars and 60 s for minute bars', () => {
    expect(barMs('second')).toBe(1000);
    expect(barMs('minute')).toBe(60_000);
  });
});

describe('parseLeanQuoteBars', () => {
  it('emits the close and last sizes stamped at bar END, never at the start', () => {
    const q = parseLeanQuoteBars(
      bytes(['34200000,1672700,1672700,1671500,1671500,100,1674100,1674100,1672600,1672600,200']),
      MIDNIGHT, 'second', F,
    );
    expect(quoteAt(q, 0)).toEqual({ time: edt(DATE, '09:30:01'), bid: 1671500, bidSize: 100, ask: 1672600, askSize: 200 });
    const m = parseLeanQuoteBars(bytes(['34200000,1,1,1,1,1,2,2,2,2,2']), MIDNIGHT, 'minute', F);
    expect(m.time[0]).toBe(edt(DATE, '09:31:00'));
  });

  it('keeps a missing side 0, whether written as 0 or left empty', () => {
    const q = parseLeanQuoteBars(
      bytes(['34200000,0,0,0,0,0,1674100,1674100,1672600,1672600,200', '34201000,,,,,,1674100,1674100,1672600,1672700,300']),
      MIDNIGHT, 'second', F,
    );
    expect([quoteAt(q, 0), quoteAt(q, 1)].map((x) => [x.bid, x.bidSize, x.ask, x.askSize])).toEqual([
      [0, 0, 1672600, 200],
      [0, 0, 1672700, 300],
    ]);
  });

  it('rejects malformed rows with file and line', () => {
    const ok = '34200000,1,1,1,1,1,2,2,2,2,2';
    const run = (rows: string[]) => parseLeanQuoteBars(bytes(rows), MIDNIGHT, 'second', F);
    expectTapeError(() => run([ok, '34201000,1,1,1,1,1,2,2,2,2']), F, 2, 'expected 11 columns, got 10');
    expectTapeError(() => run([ok, '34201000,1,1,1,1.5,1,2,2,2,2,2']), F, 2, 'column 5 (bid_close)');
    expectTapeError(() => run(['34201000,1,1,1,1,1,2,2,2,2,2', ok]), F, 2, 'time goes backwards');
    expectTapeError(() => run([ok, '34201000,1,1,1,1,1,2,2,2,3000000000,2']), F, 2, 'Int32');
    expectTapeError(() => run([]), F, null, 'empty file');
  });
});

describe('parseLeanTradeBars', () => {
  const T = '20131007_spy_minute_trade.csv';
  it('folds each bar into one print at bar END at the typical price with the bar volume', () => {
    const t = parseLeanTradeBars(
      bytes(['34200000,1815200,1818000,1815200,1818000,1283', '34260000,100,102,100,101,7']), MIDNIGHT, 'minute', T,
    );
    expect(Array.from(t.time)).toEqual([edt(DATE, '09:31:00'), edt(DATE, '09:32:00')]);
    // (1818000 + 1815200 + 1818000) / 3 = 1817066.67 -> 1817067; (102 + 100 + 101) / 3 = 101
    expect(Array.from(t.price)).toEqual([1817067, 101]);
    expect(Array.from(t.size)).toEqual([1283, 7]);
  });

  it('rejects malformed rows with file and line', () => {
    const run = (rows: string[]) => parseLeanTradeBars(bytes(rows), MIDNIGHT, 'second', T);
    expectTapeError(() => run(['34200000,1,2,1,1,5', '34201000,1,2,1,1']), T, 2, 'expected 6 columns, got 5');
    expectTapeError(() => run(['34200000,1,2,1,1,-5']), T, 1, 'column 6 (volume)');
    expectTapeError(() => run(['34200000,1,1,2,1,5']), T, 1, 'low 2 is above high 1');
    expectTapeError(() => run(['']), T, null, 'empty file');
  });
});

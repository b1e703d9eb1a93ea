import { describe, expect, it } from 'vitest';
import { parseLeanTickQuotes, parseLeanTickTrades } from '../../../src/sim/tape/lean-tick.js';
import { quoteAt } from '../../../src/sim/tape/tape.js';
import { bytes, edt, expectTapeError } from './fixtures.js';

const DATE = '2013-10-07';
const MIDNIGHT = edt(DATE, '00:00:00');
const F = '20131007_xyz_Quote_Tick.csv';
const quotes = (rows: string[]) => parseLeanTickQuotes(bytes(rows), MIDNIGHT, F);
const all = (rows: string[]) => {
  const q = quotes(rows);
  return Array.from({ length: q.length }, (_, i) => quoteAt(q, i));
};

describe('parseLeanTickQuotes', () => {
  it('pairs the bid and ask rows of one ms into one snapshot stamped midnight ET + ms', () => {
    expect(all(['34200020,490300,100,0,0,Q,1,0', '34200020,0,0,490800,600,P,1,0'])).toEqual([
      { time: edt(DATE, '09:30:00.020'), bid: 490300, bidSize: 100, ask: 490800, askSize: 600 },
    ]);
  });

  it('emits one snapshot per distinct ms, holding the side a row does not carry', () => {
    const got = all([
      '1000,100,1,0,0,Q,1,0',
      '1000,0,0,200,2,Q,1,0',
      '1001,110,3,0,0,Q,1,0',
      '1001,0,0,200,4,Q,1,0',
      '1005,0,0,190,5,Q,1,0',
    ]);
    expect(got.map((q) => [q.time - MIDNIGHT, q.bid, q.bidSize, q.ask, q.askSize])).toEqual([
      [1000, 100, 1, 200, 2],
      [1001, 110, 3, 200, 4],
      [1005, 110, 3, 190, 5],
    ]);
  });

  it('drops a crossed state that is transient inside one ms', () => {
    // The bid moves to 210 (crossing the old ask 200) and the ask row of the same ms fixes it.
    const got = all(['1000,100,1,0,0,Q,1,0', '1000,0,0,200,2,Q,1,0', '1001,210,1,0,0,Q,1,0', '1001,0,0,220,1,Q,1,0']);
    expect(got.map((q) => [q.bid, q.ask])).toEqual([[100, 200], [210, 220]]);
  });

  it('keeps a crossed state that persists at the end of a ms, so the engine can refuse it', () => {
    const got = all(['1000,100,1,0,0,Q,1,0', '1000,0,0,200,2,Q,1,0', '1001,210,1,0,0,Q,1,0', '1002,0,0,220,1,Q,1,0']);
    expect(got.map((q) => [q.bid, q.ask])).toEqual([[100, 200], [210, 200], [210, 220]]);
  });

  it('leaves the unseen side 0 until it first appears (leading unpaired ask)', () => {
    const got = all(['14400152,0,0,494100,300,Q,1,0', '14400547,491800,300,0,0,P,1,0', '14400547,0,0,492000,3000,P,1,0']);
    expect(got.map((q) => [q.bid, q.bidSize, q.ask, q.askSize])).toEqual([[0, 0, 494100, 300], [491800, 300, 492000, 3000]]);
  });

  it('skips suspicious rows entirely', () => {
    const got = all(['1000,100,1,0,0,Q,1,0', '1000,0,0,200,2,Q,1,0', '1001,0,0,9,9,Q,1,1', '1002,101,1,0,0,Q,1,0']);
    expect(got.map((q) => [q.time - MIDNIGHT, q.bid, q.ask])).toEqual([[1000, 100, 200], [1002, 101, 200]]);
  });

  it('accepts CRLF line endings, a trailing newline and blank lines', () => {
    const q = parseLeanTickQuotes(Buffer.from('1000,100,1,0,0,Q,1,0\r\n\r\n1000,0,0,200,2,Q,800,0\r\n'), MIDNIGHT, F);
    expect(quoteAt(q, 0)).toMatchObject({ bid: 100, ask: 200 });
    expect(q.length).toBe(1);
  });

  describe('malformed rows name the file and the line', () => {
    const ok = '1000,100,1,0,0,Q,1,0';
    const cases: Array<[string, string[], number | null, string]> = [
      ['too few columns', [ok, '1001,100,1,0,0,Q,1'], 2, 'expected 8 columns, got 7'],
      ['too many columns', [ok, ok, '1001,100,1,0,0,Q,1,0,7'], 3, 'expected 8 columns, got 9'],
      ['a decimal price', [ok, '1001,49.03,1,0,0,Q,1,0'], 2, 'column 2 (bid): expected a non-negative integer, got "49.03"'],
      ['a negative size', ['1001,100,-5,0,0,Q,1,0'], 1, 'column 3 (bid_size): expected a non-negative integer, got "-5"'],
      ['an empty field', ['1001,100,1,,0,Q,1,0'], 1, 'column 4 (ask) is empty'],
      ['a price above Int32', ['1001,0,0,2147483648,1,Q,1,0'], 1, 'column 4 (ask): 2147483648 is above the Int32 range'],
      ['a time past one day', ['86400000,100,1,0,0,Q,1,0'], 1, 'column 1 (time_ms): 86400000 is above the maximum'],
      ['time going backwards', [ok, '1001,0,0,200,2,Q,1,0', '999,0,0,200,2,Q,1,0'], 3, 'time goes backwards'],
      ['a suspicious flag that is not 0/1', ['1001,100,1,0,0,Q,1,2'], 1, 'column 8 (suspicious): 2 is above the maximum 1'],
      ['an empty file', [], null, 'no quotes'],
      ['only suspicious rows', ['1001,100,1,0,0,Q,1,1'], null, 'every row is suspicious'],
    ];
    it.each(cases)('%s', (_name, rows, line, what) => {
      expectTapeError(() => quotes(rows), F, line, what);
    });
  });
});

describe('parseLeanTickTrades', () => {
  const T = '20131007_xyz_Trade_Tick.csv';
  const trades = (rows: string[]) => parseLeanTickTrades(bytes(rows), MIDNIGHT, T);

  it('reads prints and skips suspicious and zero rows', () => {
    const t = trades(['14400688,491800,300,P,2000,0', '34200500,491900,100,N,40,1', '34201000,492000,200,N,4000000,0', '34201001,0,0,N,1,0']);
    expect(t.length).toBe(2);
    expect(Array.from(t.time)).toEqual([edt(DATE, '04:00:00.688'), edt(DATE, '09:30:01.000')]);
    expect(Array.from(t.price)).toEqual([491800, 492000]);
    expect(Array.from(t.size)).toEqual([300, 200]);
  });

  it('marks which prints are regular trades from their sale conditions', () => {
    // Regular, sweep + trade-through exempt, odd lot, late (Sold), average price + trade-through
    // exempt, opening print, extended hours, an unreadable condition.
    const conditions = ['1', '20000020', '80000000', '800', '20100000', '40', '2000', 'zz'];
    const t = trades(conditions.map((c, i) => `${34200000 + i},491800,100,N,${c},0`));
    expect(Array.from(t.regular!)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('rejects malformed rows with file and line', () => {
    expectTapeError(() => trades(['1000,100,1,P,1,0', '1000,100,1,P,1']), T, 2, 'expected 6 columns, got 5');
    expectTapeError(() => trades(['1000,100,1.5,P,1,0']), T, 1, 'column 3 (size)');
    expectTapeError(() => trades(['1000,100,1,P,1,0', '900,100,1,P,1,0']), T, 2, 'time goes backwards');
    expectTapeError(() => trades([]), T, null, 'empty file');
  });
});

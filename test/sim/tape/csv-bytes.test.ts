import { describe, expect, it } from 'vitest';
import { countLines, CsvBytes, INT32_MAX } from '../../../src/sim/tape/csv-bytes.js';
import { expectTapeError } from './fixtures.js';

describe('countLines', () => {
  it('counts rows with or without a final newline', () => {
    expect(countLines(Buffer.from(''))).toBe(0);
    expect(countLines(Buffer.from('a'))).toBe(1);
    expect(countLines(Buffer.from('a\n'))).toBe(1);
    expect(countLines(Buffer.from('a\nb'))).toBe(2);
    expect(countLines(Buffer.from('a\r\nb\r\n'))).toBe(2);
  });
});

describe('CsvBytes', () => {
  const read = (text: string) => {
    const r = new CsvBytes(Buffer.from(text), 'f.csv', ['a', 'b', 'c']);
    const out: Array<[number, number, number]> = [];
    while (r.nextRow()) {
      const row: [number, number, number] = [r.line, r.int(0, INT32_MAX), r.intOrEmpty(1, 99)];
      r.skip(2);
      r.endRow();
      out.push(row);
    }
    return out;
  };

  it('reads integers, empty-as-0 and skipped fields with 1-based lines past blank lines', () => {
    expect(read('1,2,x\n\n30,,yy\r\n2147483647,0,')).toEqual([[1, 1, 2], [3, 30, 0], [4, INT32_MAX, 0]]);
  });

  it('puts the line number and the column in every error', () => {
    expectTapeError(() => read('1,2,x\n1,100,x'), 'f.csv', 2, 'column 2 (b): 100 is above the maximum 99');
    expectTapeError(() => read('1,2,x\n\n1 ,2,x'), 'f.csv', 3, 'column 1 (a): expected a non-negative integer, got "1 "');
    expectTapeError(() => read('1234567890123456,2,x'), 'f.csv', 1, 'above the Int32 range');
    expectTapeError(() => read('1,2'), 'f.csv', 1, 'expected 3 columns, got 2');
    expectTapeError(() => read('1,2,x,y'), 'f.csv', 1, 'expected 3 columns, got 4');
  });
});

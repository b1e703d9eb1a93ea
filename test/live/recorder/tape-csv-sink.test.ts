import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TapeCsvSink, formatDollars } from '../../../src/live/recorder/tape-csv-sink.js';
import { loadTape } from '../../../src/sim/tape/load-tape.js';

const T0 = Date.parse('2024-06-03T13:30:00.000Z');
const q = (ms: number, bid: number, ask: number) => ({ symbol: 'ABC', timeMs: ms, timeText: new Date(ms).toISOString(), bidPrice: bid, bidSize: 100, askPrice: ask, askSize: 200 });

describe('TapeCsvSink', () => {
  it('formats float dollars exactly to at most 4 decimals', () => {
    expect(formatDollars(61.52)).toBe('61.52');
    expect(formatDollars(0.1234)).toBe('0.1234');
    expect(formatDollars(59.47000000001)).toBe('59.47');
    expect(formatDollars(100)).toBe('100');
    expect(formatDollars(0)).toBe('0');
    expect(formatDollars(-1)).toBeNull();
    expect(formatDollars(Number.NaN)).toBeNull();
  });

  it('writes the generic CSV of data/FORMATS.md, drops rows out of time order, and loadTape reads it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bo-sink-'));
    const sink = new TapeCsvSink(dir);
    expect(sink.quote(q(T0, 10.5, 10.51))).toBe(true);
    expect(sink.quote(q(T0 + 5, 0, 10.52))).toBe(true); // no bid: size written as 0
    expect(sink.quote(q(T0 + 3, 10.5, 10.51))).toBe(false); // back in time
    expect(sink.trade({ symbol: 'ABC', timeMs: T0 + 1, timeText: new Date(T0 + 1).toISOString(), price: 10.505, size: 7 })).toBe(true);
    expect(sink.trade({ symbol: 'ABC', timeMs: T0 + 2, timeText: new Date(T0 + 2).toISOString(), price: 0, size: 7 })).toBe(false);
    sink.close();
    expect(sink.rejected).toBe(1);
    expect(sink.stats().find((s) => s.kind === 'quotes')).toMatchObject({ rows: 2, dropped: 1, date: '2024-06-03' });
    const file = join(dir, 'abc_2024-06-03.csv');
    expect(readFileSync(file, 'utf8')).toBe('time,bid,bid_size,ask,ask_size\n2024-06-03T13:30:00.000Z,10.5,100,10.51,200\n2024-06-03T13:30:00.005Z,0,0,10.52,200\n');
    const tape = loadTape(file);
    expect(tape.symbol).toBe('ABC');
    expect([...tape.quotes.bid]).toEqual([105000, 0]);
    expect([...tape.trades!.price]).toEqual([105050]);
  });

  it('appends to an existing tape of the day after its last row, and refuses a foreign file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bo-sink-'));
    const a = new TapeCsvSink(dir);
    a.quote(q(T0 + 10, 10.5, 10.51));
    a.close();
    const b = new TapeCsvSink(dir);
    expect(b.quote(q(T0 + 5, 10.5, 10.51))).toBe(false);
    expect(b.quote(q(T0 + 20, 10.49, 10.5))).toBe(true);
    b.close();
    expect(loadTape(join(dir, 'abc_2024-06-03.csv')).quotes.length).toBe(2);
    writeFileSync(join(dir, 'xyz_2024-06-03.csv'), 'a,b\n1,2\n');
    const c = new TapeCsvSink(dir);
    expect(() => c.quote({ ...q(T0, 1, 2), symbol: 'XYZ' })).toThrow(/not a tape written by better-orders/);
  });
});

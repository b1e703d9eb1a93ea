import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TapeRecorder } from '../../../src/live/driver/execution-tape-recorder.js';
import { loadGenericCsv } from '../../../src/sim/tape/generic-csv.js';
import { tempDir } from '../../cli/run-cli.js';

const T0 = Date.parse('2024-06-03T13:30:00Z');

describe('the window tape an execution writes', () => {
  it('reads back as the quotes and prints it saw', () => {
    const rec = new TapeRecorder();
    rec.addQuote({ time: T0, bid: 500_000, ask: 500_100, bidSize: 3, askSize: 4 });
    rec.addQuote({ time: T0 + 5, bid: 500_100, ask: 500_200, bidSize: 1, askSize: 2 });
    rec.addTrade({ time: T0 + 7, price: 500_200, size: 100 });
    const dir = tempDir();
    const { quotes } = rec.writeCsv(join(dir, 'w_quotes.csv'), join(dir, 'w_quotes_trades.csv'));
    const tape = loadGenericCsv(quotes, { symbol: 'TQQQ', date: '2024-06-03', trades: join(dir, 'w_quotes_trades.csv') });
    expect(Array.from(tape.quotes.ask)).toEqual([500_100, 500_200]);
    expect([Array.from(tape.trades!.time), Array.from(tape.trades!.price)]).toEqual([[T0 + 7], [500_200]]);
  });

  it('with no print in the window (filled before the first one), still reads back: no prints, not an error', () => {
    const rec = new TapeRecorder();
    rec.addQuote({ time: T0, bid: 500_000, ask: 500_100, bidSize: 3, askSize: 4 });
    const dir = tempDir();
    const { quotes, trades } = rec.writeCsv(join(dir, 'w_quotes.csv'), join(dir, 'w_trades.csv'));
    const tape = loadGenericCsv(quotes, { symbol: 'TQQQ', date: '2024-06-03', trades });
    expect(tape.trades!.length).toBe(0);
  });
});

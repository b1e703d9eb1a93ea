import { writeFileSync } from 'node:fs';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import type { Tape } from '../../../src/sim/tape/tape.js';

/** One hand-written NBBO snapshot: ET clock, bid and ask in dollars (0 = no side). */
export type Row = readonly [clock: string, bid: number, ask: number, size?: number];

/** A tape from hand-written rows, prices in dollars, so tests read like a quote screen. */
export function tinyTape(date: string, rows: readonly Row[], symbol = 'TEST'): Tape {
  const n = rows.length;
  const tape: Tape = {
    symbol,
    date,
    source: `tiny:${symbol}:${date}`,
    quotes: {
      length: n,
      time: Float64Array.from(rows, ([c]) => etClockToEpoch(date, c)),
      bid: Int32Array.from(rows, ([, b]) => Math.round(b * 10_000)),
      ask: Int32Array.from(rows, ([, , a]) => Math.round(a * 10_000)),
      bidSize: Int32Array.from(rows, ([, , , s]) => s ?? 100),
      askSize: Int32Array.from(rows, ([, , , s]) => s ?? 100),
    },
    trades: null,
    tradesAreBars: false,
  };
  return tape;
}

const dollars = (p: number): string => (p / 10_000).toFixed(4);

/** Writes a tape's quotes (and trades, as `<stem>_trades.csv`) in the generic CSV of data/FORMATS.md. */
export function writeTapeCsv(tape: Tape, file: string): string {
  const q = tape.quotes;
  const rows = ['time,bid,bid_size,ask,ask_size'];
  for (let i = 0; i < q.length; i++) rows.push(`${q.time[i]},${dollars(q.bid[i]!)},${q.bidSize[i]},${dollars(q.ask[i]!)},${q.askSize[i]}`);
  writeFileSync(file, `${rows.join('\n')}\n`);
  const t = tape.trades;
  if (t !== null) {
    const prints = ['time,price,size'];
    for (let i = 0; i < t.length; i++) prints.push(`${t.time[i]},${dollars(t.price[i]!)},${t.size[i]}`);
    writeFileSync(file.replace(/\.csv$/, '_trades.csv'), `${prints.join('\n')}\n`);
  }
  return file;
}

import { writeFileSync } from 'node:fs';
import type { Quote } from '../../engine/quote.js';
import { PRICE_SCALE, type EpochMs, type Price } from '../../engine/units.js';

const dollars4 = (p: Price): string => (p / PRICE_SCALE).toFixed(4);

export interface RecordedTrade {
  readonly time: EpochMs;
  readonly price: Price;
  readonly size: number;
}

/** The quotes and trades seen during one execution: a recorded tape of that window. */
export class TapeRecorder {
  readonly quotes: Quote[] = [];
  readonly trades: RecordedTrade[] = [];

  addQuote(q: Quote): void {
    const last = this.quotes[this.quotes.length - 1];
    if (last !== undefined && q.time < last.time) return; // keep time order (a REST fallback may repeat an older one)
    if (last !== undefined && last.time === q.time && last.bid === q.bid && last.ask === q.ask) return;
    this.quotes.push(q);
  }

  addTrade(t: RecordedTrade): void {
    const last = this.trades[this.trades.length - 1];
    if (last !== undefined && t.time < last.time) return;
    this.trades.push(t);
  }

  /** The quote prevailing at `t` (last recorded at or before it). */
  quoteAt(t: EpochMs): Quote | null {
    let lo = 0;
    let hi = this.quotes.length - 1;
    let found: Quote | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const q = this.quotes[mid]!;
      if (q.time <= t) {
        found = q;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Interval VWAP (price units) of the recorded trades in [from, to], or null without trades. */
  vwap(from: EpochMs, to: EpochMs): number | null {
    let pv = 0;
    let v = 0;
    for (const t of this.trades) {
      if (t.time < from || t.time > to) continue;
      pv += t.price * t.size;
      v += t.size;
    }
    return v > 0 ? pv / v : null;
  }

  /**
   * Writes the window as the generic CSV tape (data/FORMATS.md): `quotesFile` with
   * time,bid,bid_size,ask,ask_size and its sibling `<stem>_trades.csv` with time,price,size.
   * Returns the files written.
   */
  writeCsv(quotesFile: string, tradesFile: string): { quotes: string; trades: string } {
    const q = ['time,bid,bid_size,ask,ask_size', ...this.quotes.map((x) => `${x.time},${dollars4(x.bid)},${x.bidSize},${dollars4(x.ask)},${x.askSize}`)];
    const t = ['time,price,size', ...this.trades.map((x) => `${x.time},${dollars4(x.price)},${x.size}`)];
    writeFileSync(quotesFile, `${q.join('\n')}\n`);
    writeFileSync(tradesFile, `${t.join('\n')}\n`);
    return { quotes: quotesFile, trades: tradesFile };
  }
}

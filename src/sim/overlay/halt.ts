import { etClockToEpoch, parseClock } from '../../engine/et-time.js';
import { addTicks } from '../../engine/tick.js';
import type { Price } from '../../engine/units.js';
import { allocQuoteColumns, allocTradeColumns, trimQuotes, trimTrades } from '../tape/columns.js';
import { isRegularPrint, type QuoteColumns, type Tape, type TradeColumns } from '../tape/tape.js';
import type { HaltOptions } from './overlay-schema.js';
import { MIN_PRICE, nearestTick } from './tick-round.js';

/**
 * Cuts a trading halt into a tape: quotes and trades in [at, at + duration) are removed, every
 * later price is moved by `gapBps` (to the nearest grid price, never <= 0), and the halt is
 * recorded in `tape.halts` so the simulated exchange matches nothing during it. A quote that was
 * valid stays valid: if the gap rounds bid and ask together, the ask moves one tick up. Zero sides
 * stay zero. Returns new columns; the input is never mutated.
 * @throws RangeError for a malformed `at`.
 */
export function haltTape(tape: Tape, opts: HaltOptions): Tape {
  parseClock(opts.at); // a clear error before etClockToEpoch's
  const start = etClockToEpoch(tape.date, opts.at);
  const end = start + opts.durationSeconds * 1000;
  const factor = 1 + (opts.gapBps ?? 0) / 10_000;
  const shift = (p: Price): Price => (p <= 0 ? p : Math.max(MIN_PRICE, nearestTick(p * factor, true)));
  const halts = [...(tape.halts ?? []), { start, end }].sort((a, b) => a.start - b.start);
  return {
    ...tape,
    quotes: haltQuotes(tape.quotes, start, end, shift),
    trades: tape.trades === null ? null : haltTrades(tape.trades, start, end, shift),
    halts,
  };
}

function haltQuotes(q: QuoteColumns, start: number, end: number, shift: (p: Price) => Price): QuoteColumns {
  const out = allocQuoteColumns(q.length);
  let n = 0;
  for (let i = 0; i < q.length; i++) {
    const t = q.time[i]!;
    if (t >= start && t < end) continue;
    let b = q.bid[i]!;
    let a = q.ask[i]!;
    if (t >= end) {
      const valid = b > 0 && a > b;
      b = shift(b);
      a = shift(a);
      if (valid && a <= b) a = addTicks(b, 1);
    }
    out.time[n] = t;
    out.bid[n] = b;
    out.ask[n] = a;
    out.bidSize[n] = q.bidSize[i]!;
    out.askSize[n] = q.askSize[i]!;
    n++;
  }
  return trimQuotes(n, out.time, out.bid, out.ask, out.bidSize, out.askSize);
}

function haltTrades(tr: TradeColumns, start: number, end: number, shift: (p: Price) => Price): TradeColumns {
  const out = allocTradeColumns(tr.length);
  let n = 0;
  for (let i = 0; i < tr.length; i++) {
    const t = tr.time[i]!;
    if (t >= start && t < end) continue;
    out.time[n] = t;
    out.price[n] = t >= end ? shift(tr.price[i]!) : tr.price[i]!;
    out.size[n] = tr.size[i]!;
    out.regular[n] = isRegularPrint(tr, i) ? 1 : 0;
    n++;
  }
  return trimTrades(n, out.time, out.price, out.size, tr.regular === null ? null : out.regular);
}

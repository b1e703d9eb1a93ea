import { tradingSession } from '../src/engine/calendar.js';
import { addDays, etClockToEpoch } from '../src/engine/et-time.js';
import type { EpochMs } from '../src/engine/units.js';
import type { QuoteColumns, Tape, TradeColumns } from '../src/sim/tape/tape.js';

/** A tape `days` times as long as `tape`, and where each of its copies starts. */
export interface LongTape {
  readonly tape: Tape;
  /** Milliseconds that copy k is shifted by (copy 0: 0). */
  readonly shifts: readonly EpochMs[];
}

/** The next `count` NYSE trading days after `date` (the built-in calendar). */
function nextTradingDays(date: string, count: number): string[] {
  const days: string[] = [];
  for (let d = addDays(date, 1); days.length < count; d = addDays(d, 1)) if (tradingSession(d).isOpen) days.push(d);
  return days;
}

/**
 * The tape replayed on `days` consecutive trading days: copy k is the whole day shifted to the
 * k-th trading day after it (same New York wall clock), quotes and trades alike. One tape with
 * `days` times the snapshots, each copy a real-looking session with its own open, so orders
 * placed at 09:30-10:00 on any of its days meet the same market as on the original.
 */
export function repeatOverTradingDays(tape: Tape, days: number): LongTape {
  const midnight = etClockToEpoch(tape.date, '00:00');
  const shifts = [0, ...nextTradingDays(tape.date, days - 1).map((d) => etClockToEpoch(d, '00:00') - midnight)];
  return {
    tape: {
      ...tape,
      source: `${tape.source} x${days} trading days`,
      quotes: repeatQuotes(tape.quotes, shifts),
      trades: tape.trades === null ? null : repeatTrades(tape.trades, shifts),
      halts: [],
    },
    shifts,
  };
}

function repeatTimes(time: Float64Array, n: number, shifts: readonly EpochMs[]): Float64Array {
  const out = new Float64Array(n * shifts.length);
  shifts.forEach((shift, k) => {
    for (let i = 0; i < n; i++) out[k * n + i] = time[i]! + shift;
  });
  return out;
}

function repeatColumn<T extends Int32Array | Uint8Array>(col: T, n: number, copies: number): T {
  const out = new (col.constructor as new (length: number) => T)(n * copies);
  for (let k = 0; k < copies; k++) out.set(col.subarray(0, n), k * n);
  return out;
}

function repeatQuotes(q: QuoteColumns, shifts: readonly EpochMs[]): QuoteColumns {
  const n = q.length;
  const c = shifts.length;
  return {
    length: n * c,
    time: repeatTimes(q.time, n, shifts),
    bid: repeatColumn(q.bid, n, c),
    ask: repeatColumn(q.ask, n, c),
    bidSize: repeatColumn(q.bidSize, n, c),
    askSize: repeatColumn(q.askSize, n, c),
  };
}

function repeatTrades(t: TradeColumns, shifts: readonly EpochMs[]): TradeColumns {
  const n = t.length;
  const c = shifts.length;
  return {
    length: n * c,
    time: repeatTimes(t.time, n, shifts),
    price: repeatColumn(t.price, n, c),
    size: repeatColumn(t.size, n, c),
    regular: t.regular === null ? null : repeatColumn(t.regular, n, c),
  };
}

import { tickSize } from '../../engine/tick.js';
import type { Tape } from '../../sim/tape/tape.js';
import { lastIndexAtOrBefore } from '../../sim/tape/tape.js';
import { countBefore, countInRange, coveredRange, forEachValidInterval, isValidQuoteAt } from './quote-intervals.js';
import { WeightedSampleBuilder, weightedQuantiles } from './time-weighted-quantile.js';

/**
 * Plain statistics of one tape over an interval, pooled across tapes by the callers: calibration
 * adds the raw counts and samples of several days before dividing, so a quiet day and a busy day
 * weigh by the time they cover rather than one vote each.
 */

/** Adds each valid quote's spread in ticks of its own mid, weighted by the ms it prevails. */
export function addSpreadTicks(tape: Tape, fromMs: number, toMs: number, into: WeightedSampleBuilder): void {
  const q = tape.quotes;
  forEachValidInterval(q, fromMs, toMs, (i, ms) => {
    const bid = q.bid[i]!;
    const ask = q.ask[i]!;
    into.push((ask - bid) / tickSize((bid + ask) / 2), ms);
  });
}

/** Adds both displayed sizes (shares) of each valid quote, weighted by the ms it prevails. */
export function addDisplayedSizes(tape: Tape, fromMs: number, toMs: number, into: WeightedSampleBuilder): void {
  const q = tape.quotes;
  forEachValidInterval(q, fromMs, toMs, (i, ms) => {
    into.push(q.bidSize[i]!, ms);
    into.push(q.askSize[i]!, ms);
  });
}

/** Adds each trade print's size with weight 1 (a print has no duration). */
export function addTradeSizes(tape: Tape, fromMs: number, toMs: number, into: WeightedSampleBuilder): void {
  const t = tape.trades;
  if (t === null || tape.tradesAreBars) return;
  for (let i = 0; i < t.length; i++) {
    if (t.time[i]! >= fromMs && t.time[i]! < toMs) into.push(t.size[i]!, 1);
  }
}

export function median(sample: WeightedSampleBuilder): number | null {
  return weightedQuantiles(sample, [0.5])[0] ?? null;
}

/** Quote and trade counts in [fromMs, toMs) and the seconds of it the quotes cover. */
export interface ActivityCount {
  quotes: number;
  /** Null when the tape has no trade prints (none, or bars that fold many prints into one). */
  trades: number | null;
  seconds: number;
}

export function countActivity(tape: Tape, fromMs: number, toMs: number): ActivityCount {
  const q = tape.quotes;
  const range = coveredRange(q, fromMs, toMs);
  const seconds = range === null ? 0 : (range.toMs - range.fromMs) / 1000;
  const t = tape.trades;
  return {
    quotes: countInRange(q.time, q.length, fromMs, toMs),
    trades: t === null || tape.tradesAreBars ? null : countInRange(t.time, t.length, fromMs, toMs),
    seconds,
  };
}

/** Mid (price units) of the last valid quote stamped before `t`, or null. */
export function lastValidMidBefore(tape: Tape, t: number): number | null {
  const q = tape.quotes;
  for (let i = countBefore(q.time, q.length, t) - 1; i >= 0; i--) {
    if (isValidQuoteAt(q, i)) return (q.bid[i]! + q.ask[i]!) / 2;
  }
  return null;
}

/** Mid (price units) of the first valid quote stamped in [t, until), or null. */
export function firstValidMidFrom(tape: Tape, t: number, until = Number.POSITIVE_INFINITY): number | null {
  const q = tape.quotes;
  for (let i = countBefore(q.time, q.length, t); i < q.length && q.time[i]! < until; i++) {
    if (isValidQuoteAt(q, i)) return (q.bid[i]! + q.ask[i]!) / 2;
  }
  return null;
}

/** Mid (price units) of the valid quote in force at `t` (the tape must reach `t`), or null. */
export function validMidAt(tape: Tape, t: number): number | null {
  const q = tape.quotes;
  if (q.length === 0 || q.time[q.length - 1]! < t) return null;
  const i = lastIndexAtOrBefore(q.time, q.length, t);
  return i >= 0 && isValidQuoteAt(q, i) ? (q.bid[i]! + q.ask[i]!) / 2 : null;
}

/**
 * Log-returns of the mid over consecutive whole minutes of [fromMs, toMs), each with the minute's
 * start; a minute is skipped when either end has no valid quote in force.
 */
export function minuteLogReturns(tape: Tape, fromMs: number, toMs: number): Array<{ start: number; r: number }> {
  const out: Array<{ start: number; r: number }> = [];
  let prev = validMidAt(tape, fromMs);
  for (let t = fromMs; t + 60_000 <= toMs; t += 60_000) {
    const next = validMidAt(tape, t + 60_000);
    if (prev !== null && next !== null) out.push({ start: t, r: Math.log(next / prev) });
    prev = next;
  }
  return out;
}

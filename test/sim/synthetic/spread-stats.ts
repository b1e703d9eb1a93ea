import type { QuoteColumns } from '../../../src/sim/tape/tape.js';
import { lastIndexAtOrBefore } from '../../../src/sim/tape/tape.js';

/**
 * Time-weighted median spread (price units) over [fromMs, toMs): each quote counts for as long as
 * it prevails inside the window, so a burst of updates does not outvote a long-standing quote.
 */
export function timeWeightedMedianSpread(q: QuoteColumns, fromMs: number, toMs: number): number {
  const start = Math.max(0, lastIndexAtOrBefore(q.time, q.length, fromMs));
  const pieces: Array<{ spread: number; weight: number }> = [];
  for (let i = start; i < q.length && q.time[i]! < toMs; i++) {
    const begin = Math.max(q.time[i]!, fromMs);
    const end = Math.min(i + 1 < q.length ? q.time[i + 1]! : toMs, toMs);
    if (end > begin) pieces.push({ spread: q.ask[i]! - q.bid[i]!, weight: end - begin });
  }
  pieces.sort((a, b) => a.spread - b.spread);
  const total = pieces.reduce((s, x) => s + x.weight, 0);
  let acc = 0;
  for (const x of pieces) {
    acc += x.weight;
    if (acc >= total / 2) return x.spread;
  }
  throw new Error('no quotes in window');
}

/** Number of quotes with time in [fromMs, toMs). */
export function countQuotes(q: QuoteColumns, fromMs: number, toMs: number): number {
  return lastIndexAtOrBefore(q.time, q.length, toMs - 1) - lastIndexAtOrBefore(q.time, q.length, fromMs - 1);
}

import type { QuoteColumns } from '../../sim/tape/tape.js';
import { lastIndexAtOrBefore } from '../../sim/tape/tape.js';

/** A quote the engine would price against: both sides present, bid strictly below ask. */
export function isValidQuoteAt(q: QuoteColumns, i: number): boolean {
  const bid = q.bid[i]!;
  const ask = q.ask[i]!;
  return bid > 0 && ask > 0 && bid < ask;
}

/**
 * The part of [fromMs, toMs) the tape speaks for: clipped to [first quote, last quote]. A tape says
 * nothing after its last snapshot (a synthetic tape stops at 10:30, a recorder may stop anywhere),
 * so carrying that snapshot on to 16:00 would let one quote outweigh the whole recorded window.
 * Null when nothing is covered.
 */
export function coveredRange(q: QuoteColumns, fromMs: number, toMs: number): { fromMs: number; toMs: number } | null {
  if (q.length === 0) return null;
  const from = Math.max(fromMs, q.time[0]!);
  const to = Math.min(toMs, q.time[q.length - 1]!);
  return to > from ? { fromMs: from, toMs: to } : null;
}

/**
 * Calls `visit(i, ms)` for every valid quote i with the milliseconds it prevails inside the
 * covered part of [fromMs, toMs). The quote in force at fromMs (stamped before it) counts from
 * fromMs on; each quote lasts until the next snapshot. Invalid quotes (zero side, crossed, locked)
 * are skipped, so their time is simply not counted.
 */
export function forEachValidInterval(
  q: QuoteColumns, fromMs: number, toMs: number, visit: (i: number, ms: number) => void,
): void {
  const range = coveredRange(q, fromMs, toMs);
  if (range === null) return;
  const end = range.toMs;
  let i = Math.max(0, lastIndexAtOrBefore(q.time, q.length, fromMs));
  for (; i < q.length && q.time[i]! < end; i++) {
    const begin = Math.max(q.time[i]!, fromMs);
    const stop = Math.min(i + 1 < q.length ? q.time[i + 1]! : end, end);
    if (stop > begin && isValidQuoteAt(q, i)) visit(i, stop - begin);
  }
}

/** Number of entries stamped strictly before t (= index of the first at or after t): O(log n). */
export function countBefore(times: Float64Array, length: number, t: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of entries stamped in [fromMs, toMs). */
export function countInRange(times: Float64Array, length: number, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  return countBefore(times, length, toMs) - countBefore(times, length, fromMs);
}

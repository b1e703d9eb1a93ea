import type { EpochMs } from '../engine/units.js';
import { isRegularPrint, lastIndexAtOrBefore, type TradeColumns } from './tape/tape.js';
import { tradeIndexOf } from './tape/tape-index.js';

/**
 * Volume-weighted average price of the regular trades over [from, to] in price units, or null
 * without any there (late, average-price and other special prints would skew a benchmark of what
 * traded against the book then: tape/sale-conditions.ts).
 * O(log n): the range's volume and notional come from the tape's cached prefix sums, which equal
 * the trade-by-trade sums exactly (see TradeIndex.rangeSums); if they cannot be exact, it adds up.
 */
export function intervalVwap(trades: TradeColumns | null, from: EpochMs, to: EpochMs): number | null {
  if (trades === null) return null;
  const first = lastIndexAtOrBefore(trades.time, trades.length, from - 1) + 1;
  const last = lastIndexAtOrBefore(trades.time, trades.length, to);
  const sums = tradeIndexOf(trades).rangeSums(first, last);
  const { volume, notional } = sums ?? scanSums(trades, first, last);
  return volume > 0 ? notional / volume : null;
}

function scanSums(trades: TradeColumns, first: number, last: number): { volume: number; notional: number } {
  let volume = 0;
  let notional = 0;
  for (let i = first; i <= last; i++) {
    if (!isRegularPrint(trades, i)) continue;
    const size = trades.size[i]!;
    volume += size;
    notional += size * trades.price[i]!;
  }
  return { volume, notional };
}

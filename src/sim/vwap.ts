import type { EpochMs } from '../engine/units.js';
import { lastIndexAtOrBefore, type TradeColumns } from './tape/tape.js';
import { tradeIndexOf } from './tape/tape-index.js';

/**
 * Volume-weighted average trade price over [from, to] in price units, or null without trades there.
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
    const size = trades.size[i]!;
    volume += size;
    notional += size * trades.price[i]!;
  }
  return { volume, notional };
}

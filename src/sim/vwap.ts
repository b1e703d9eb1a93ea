import type { EpochMs } from '../engine/units.js';
import { lastIndexAtOrBefore, type TradeColumns } from './tape/tape.js';

/** Volume-weighted average trade price over [from, to] in price units, or null without trades there. */
export function intervalVwap(trades: TradeColumns | null, from: EpochMs, to: EpochMs): number | null {
  if (trades === null) return null;
  const first = lastIndexAtOrBefore(trades.time, trades.length, from - 1) + 1;
  const last = lastIndexAtOrBefore(trades.time, trades.length, to);
  let volume = 0;
  let notional = 0;
  for (let i = first; i <= last; i++) {
    const size = trades.size[i]!;
    volume += size;
    notional += size * trades.price[i]!;
  }
  return volume > 0 ? notional / volume : null;
}

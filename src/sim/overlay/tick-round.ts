import { roundDownToTick, roundUpToTick } from '../../engine/tick.js';
import type { Price } from '../../engine/units.js';

/** Lowest positive grid price: overlays never make a price 0 or negative, which means "no quote". */
export const MIN_PRICE: Price = 1;

/**
 * Nearest grid price to x; a tie goes down (`tieUp` false) or up. Nearest rather than outward
 * rounding so that a multiplier barely above 1 leaves a quote where it was instead of adding a tick.
 */
export function nearestTick(x: number, tieUp: boolean): Price {
  const down = roundDownToTick(x);
  const up = roundUpToTick(x);
  const below = x - down;
  const above = up - x;
  if (below === above) return tieUp ? up : down;
  return below < above ? down : up;
}

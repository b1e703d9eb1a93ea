import type { Price } from './units.js';

/** Tick size for a price: $0.01 at or above $1.00, $0.0001 below (Reg NMS sub-penny rule). */
export function tickSize(price: Price): Price {
  return price >= 10_000 ? 100 : 1;
}

export function isOnTickGrid(price: Price): boolean {
  return Number.isInteger(price) && price > 0 && price % tickSize(price) === 0;
}

/** Smallest grid price >= price. */
export function roundUpToTick(price: Price): Price {
  const up = Math.ceil(price);
  if (up < 10_000) return up;
  return Math.ceil(up / 100) * 100;
}

/** Largest grid price <= price. */
export function roundDownToTick(price: Price): Price {
  const down = Math.floor(price);
  if (down < 10_000) return down;
  return Math.floor(down / 100) * 100;
}

/**
 * Moves `ticks` grid steps up (ticks > 0) or down (ticks < 0) from a grid price, crossing the
 * $1.00 boundary with the tick size of each side of it.
 */
export function addTicks(price: Price, ticks: number): Price {
  let p = price;
  const step = ticks > 0 ? 1 : -1;
  for (let i = 0; i !== ticks; i += step) {
    if (step > 0) p += tickSize(p);
    else p -= p > 10_000 ? 100 : 1;
  }
  return p;
}

/** Grid steps from `low` up to `high` (both on the grid, low <= high), across the $1.00 boundary. */
export function ticksBetween(low: Price, high: Price): number {
  const below = Math.max(0, Math.min(high, 10_000) - low);
  const above = Math.max(0, high - Math.max(low, 10_000)) / 100;
  return below + above;
}

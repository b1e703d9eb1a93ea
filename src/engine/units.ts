/**
 * Units used everywhere inside better-orders (DESIGN.md, "Units and conventions").
 *
 * - Prices are integers in 1/10,000 of a dollar, the unit Lean tapes already use.
 * - Times are integer epoch milliseconds (UTC).
 * - Quantities are integers in 1/1,000,000,000 of a share, so fractional shares (Alpaca allows
 *   9 decimals) add and subtract without float drift. Up to ~9 million shares stay exact.
 */

/** Price in 1/10,000 dollar. */
export type Price = number;
/** Epoch milliseconds, UTC. */
export type EpochMs = number;
/** Quantity in 1/1,000,000,000 share. */
export type Qty = number;

export const PRICE_SCALE = 10_000;
export const QTY_SCALE = 1_000_000_000;
/** One cent in price units. */
export const CENT = 100;

export type Side = 'buy' | 'sell';

/** +1 for a buy, -1 for a sell: multiplying a price difference by it turns "worse for us" positive. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'buy' ? 1 : -1;
}

export function dollarsToPrice(dollars: number): Price {
  return Math.round(dollars * PRICE_SCALE);
}

export function priceToDollars(price: Price): number {
  return price / PRICE_SCALE;
}

/** A price for a person: "$60.12", or "$0.5031" when it is not on the cent grid. */
export function formatUsd(price: Price): string {
  return `$${priceToDollars(price).toFixed(price % CENT === 0 ? 2 : 4)}`;
}

export function sharesToQty(shares: number): Qty {
  return Math.round(shares * QTY_SCALE);
}

export function qtyToShares(qty: Qty): number {
  return qty / QTY_SCALE;
}

/**
 * Parses a decimal share count exactly ("12.5", "0.000000001"): the string form avoids the
 * binary rounding that `Number("0.1") * 1e9` would carry.
 */
export function parseShares(text: string): Qty | null {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = Number((m[2] ?? '').padEnd(9, '0'));
  const qty = whole * QTY_SCALE + frac;
  return Number.isSafeInteger(qty) ? qty : null;
}

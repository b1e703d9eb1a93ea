import { decimalRatio } from './decimal-ratio.js';
import { PRICE_SCALE, QTY_SCALE, type Price, type Qty } from './units.js';

/**
 * Money: an integer number of 1/10,000 dollar, the unit prices already use, so a cash balance,
 * a price and a notional share one scale. A balance of up to about $900 billion stays exact.
 *
 * A notional is a quantity (1e-9 share) times a price (1e-4 dollar): up to 1e22 before it is
 * scaled back, beyond what a double holds exactly, so it is computed in BigInt and rounded once,
 * in the direction the caller names. A rebalance rounds what it pays up and what it receives
 * down, so its own cash balance is never above the broker's.
 */
export type Money = number;

const QTY_SCALE_N = BigInt(QTY_SCALE);

/** qty x price, rounded up to the next 1/10,000 dollar (what a buy may cost). */
export function notionalCeil(qty: Qty, price: Price): Money {
  const product = BigInt(qty) * BigInt(price);
  const q = product / QTY_SCALE_N;
  return Number(product % QTY_SCALE_N > 0n ? q + 1n : q);
}

/** qty x price, rounded down to the 1/10,000 dollar (what a sell surely raises). */
export function notionalFloor(qty: Qty, price: Price): Money {
  return Number((BigInt(qty) * BigInt(price)) / QTY_SCALE_N);
}

/** Quantities stay exact up to 2^53 - 1 units (about 9 million shares): nothing larger is ever sized. */
const MAX_QTY = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The largest quantity, in multiples of `granule`, whose notional at `price` is at most `budget`
 * (and at most the largest exact quantity).
 */
export function qtyAffordable(budget: Money, price: Price, granule: Qty): Qty {
  if (budget <= 0 || price <= 0) return 0;
  const raw = (BigInt(budget) * QTY_SCALE_N) / BigInt(price);
  const qty = raw < MAX_QTY ? raw : MAX_QTY;
  const g = BigInt(granule);
  return Number((qty / g) * g);
}

export function moneyToDollars(m: Money): number {
  return m / PRICE_SCALE;
}

/**
 * Dollars as written (a JSON number or a command-line string) to Money, exactly: "1000.25" is
 * 10,002,500. Null when it is not a finite, non-negative amount with at most four decimals.
 */
export function parseDollars(value: number | string): Money | null {
  const n = typeof value === 'string' ? (/^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN) : value;
  if (!Number.isFinite(n) || n < 0) return null;
  const { num, den } = decimalRatio(n);
  const scaled = num * BigInt(PRICE_SCALE);
  if (scaled % den !== 0n) return null;
  const m = Number(scaled / den);
  return Number.isSafeInteger(m) ? m : null;
}

/**
 * A share count as written (JSON number) to Qty, exactly: 12.5 is 12,500,000,000. Null when it is
 * not a finite, non-negative count with at most nine decimals.
 */
export function exactShares(value: number): Qty | null {
  if (!Number.isFinite(value) || value < 0) return null;
  const { num, den } = decimalRatio(value);
  const scaled = num * QTY_SCALE_N;
  if (scaled % den !== 0n) return null;
  const q = Number(scaled / den);
  return Number.isSafeInteger(q) ? q : null;
}

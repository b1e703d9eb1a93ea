import { PRICE_SCALE, QTY_SCALE, type Price, type Qty } from '../../engine/units.js';

/** A price (1/10,000 $) as Alpaca's decimal string: cents at $1 and above, 4 decimals below. */
export function priceToWire(price: Price): string {
  return (price / PRICE_SCALE).toFixed(price >= PRICE_SCALE ? 2 : 4);
}

/** A quantity (1e-9 share) as an exact decimal string ("12", "0.5"). */
export function qtyToWire(qty: Qty): string {
  const whole = Math.floor(qty / QTY_SCALE);
  const frac = qty - whole * QTY_SCALE;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(9, '0').replace(/0+$/, '')}`;
}

/** Alpaca decimal string or number (dollars) to price units; null when absent or not a number. */
export function wireToPrice(v: string | number | null | undefined): Price | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? Math.round(n * PRICE_SCALE) : null;
}

/** Alpaca decimal share string or number to qty units (0 when absent). */
export function wireToQty(v: string | number | null | undefined): Qty {
  if (v === null || v === undefined || v === '') return 0;
  const n = Number(v);
  return Number.isFinite(n) ? Math.round(n * QTY_SCALE) : 0;
}

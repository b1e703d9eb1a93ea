import { PRICE_SCALE, QTY_SCALE, parseShares, type Price, type Qty } from '../../engine/units.js';

/**
 * Conversions at Alpaca's wire boundary. Alpaca sends prices and quantities as decimal strings
 * (the SDK's builders send strings; numbers are accepted too); inside, prices are integers in
 * 1/10,000 dollar and quantities in 1/1,000,000,000 share. Parsing is exact (no float step).
 */

/** "12.34", "12.3400", 12.34 -> 123400; null when not a positive decimal with at most 4 places. */
export function parseWirePrice(v: unknown): Price | null {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : typeof v === 'string' ? v.trim() : '';
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 4) return null;
  const units = Number(m[1]) * PRICE_SCALE + Number(frac.padEnd(4, '0'));
  return Number.isSafeInteger(units) && units > 0 ? units : null;
}

/** "100", "0.5", 100 -> Qty; null when not a positive decimal with at most 9 places. */
export function parseWireQty(v: unknown): Qty | null {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : typeof v === 'string' ? v : '';
  const q = parseShares(text);
  return q !== null && q > 0 ? q : null;
}

function decimal(units: number, scale: number, digits: number, minFrac: number): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(Math.round(units));
  const whole = Math.floor(abs / scale);
  let frac = String(abs % scale).padStart(digits, '0').replace(/0+$/, '');
  if (frac.length < minFrac) frac = frac.padEnd(minFrac, '0');
  return `${sign}${whole}${frac.length > 0 ? `.${frac}` : ''}`;
}

/** 123400 -> "12.34"; 1234 -> "0.1234". */
export function formatWirePrice(p: Price): string {
  return decimal(p, PRICE_SCALE, 4, 2);
}

/** Qty -> "100", "0.5". */
export function formatWireQty(q: Qty): string {
  return decimal(q, QTY_SCALE, 9, 0);
}

/** Price units -> dollars as a number, for the market-data stream and latest-quote JSON. */
export function priceToWireNumber(p: Price): number {
  return p / PRICE_SCALE;
}

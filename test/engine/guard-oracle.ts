/**
 * An independent exact slippage guard, for tests: it searches the tick grid for the extreme
 * price whose deviation from the mid stays within the bound, comparing BigInt cross-products
 * (no division, no rounding helper of the engine). It shares nothing with src/engine/pricing.ts
 * but the definition: a buy guard is the highest grid price p with p - mid <= mid x bps / 10,000,
 * a sell guard the lowest grid price p >= 1 with mid - p <= mid x bps / 10,000.
 */
import type { Price, Side } from '../../src/engine/units.js';

/** Grid steps: 1 unit below $1.00 (10,000 units), 100 units from it. */
const up = (p: Price): Price => p + (p < 10_000 ? 1 : 100);
const down = (p: Price): Price => p - (p <= 10_000 ? 1 : 100);
const onGrid = (p: Price): boolean => p > 0 && (p < 10_000 || p % 100 === 0);

/** bps as digits / 10^scale. */
export interface ExactBps {
  readonly digits: bigint;
  readonly scale: number;
}

/**
 * The shortest decimal that reads back as x, found by trying ever more significant digits
 * (toPrecision), the way a person would write the number: 0.07, not 0.07000000000000000666.
 */
export function shortestDecimal(x: number): ExactBps {
  for (let p = 1; p <= 21; p++) {
    const text = x.toPrecision(p);
    if (Number(text) !== x) continue;
    const [mantissa, exp] = text.split('e') as [string, string | undefined];
    const [whole, frac = ''] = mantissa.split('.') as [string, string | undefined];
    const scale = frac.length - Number(exp ?? 0);
    const digits = BigInt(whole + frac);
    return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
  }
  throw new Error(`no decimal form for ${x}`);
}

/** The exact guard for a mid of `twiceMid` / 2 units and bps = digits / 10^scale. */
export function exactGuard(side: Side, twiceMid: number, bps: ExactBps): Price {
  const S = BigInt(twiceMid);
  const tenK = 10_000n * 10n ** BigInt(bps.scale);
  // |2p - S| x 10,000 x 10^scale <= S x digits, with the deviation taken against us.
  const within = (p: Price): boolean => {
    const dev = side === 'buy' ? 2n * BigInt(p) - S : S - 2n * BigInt(p);
    return dev * tenK <= S * bps.digits;
  };
  // Start on the grid near a float estimate (only a starting point: the walks below decide), then
  // step until p is within the bound and the next step outward is not.
  const estimate = (twiceMid / 2) * (1 + (side === 'buy' ? 1 : -1) * (Number(bps.digits) / 10 ** bps.scale / 10_000));
  let p = Math.max(1, Math.floor(estimate));
  // Snap down onto the grid at once: stepping `down` from an off-grid price above $1 keeps its
  // remainder mod 100 and walked all the way to $1 and back (thousands of BigInt comparisons).
  if (p > 10_000) p -= p % 100;
  while (!onGrid(p)) p = down(p);
  if (side === 'buy') {
    while (!within(p)) p = down(p);
    while (within(up(p))) p = up(p);
    return p;
  }
  while (!within(p)) p = up(p);
  while (p > 1 && within(down(p))) p = down(p);
  return p;
}

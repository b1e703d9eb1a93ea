/**
 * A JavaScript number as the exact decimal fraction it is written as: 12.5 -> 125/10, 0.07 ->
 * 7/100, 1e-7 -> 1/10,000,000. The shortest decimal that round-trips (what `String(x)` prints,
 * and what a JSON file says) is taken as the intended value, not the binary double nearest to
 * it: 0.07 is seven hundredths here, whereas the double 0.07 is slightly more. Config numbers
 * that enter exact price arithmetic (the slippage guard's bps) go through this once.
 */
export interface DecimalRatio {
  /** Numerator; carries the sign. */
  readonly num: bigint;
  /** A power of ten, >= 1. */
  readonly den: bigint;
}

const DECIMAL_FORM = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/** @throws RangeError for NaN and infinities, which have no decimal value. */
export function decimalRatio(x: number): DecimalRatio {
  const m = Number.isFinite(x) ? DECIMAL_FORM.exec(String(x)) : null;
  if (m === null) throw new RangeError(`${x} is not a finite decimal number`);
  const [, sign, whole, frac = '', exp = '0'] = m;
  const digits = BigInt(`${sign}${whole}${frac}`);
  const scale = frac.length - Number(exp);
  return scale >= 0 ? { num: digits, den: 10n ** BigInt(scale) } : { num: digits * 10n ** BigInt(-scale), den: 1n };
}

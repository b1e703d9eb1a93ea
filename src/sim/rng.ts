import seedrandom from 'seedrandom';

/**
 * The few distributions the synthetic generator needs, all drawn from one seedrandom stream so a
 * (seed, date, profile) triple always yields the same tape. Alea rather than the default ARC4:
 * it is seedrandom's fastest generator and a 90-minute day draws a few hundred thousand numbers.
 */
export interface SyntheticRng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** Exponential with mean 1. */
  exponential(): number;
  /** Uniform in [lo, hi]. */
  between(lo: number, hi: number): number;
}

export function createRng(key: string): SyntheticRng {
  const prng = seedrandom.alea(key);
  // Box-Muller yields two normals per pair of uniforms; keeping the spare halves the cost.
  let spare = 0;
  let hasSpare = false;
  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const u = 1 - prng(); // (0, 1]: log(0) would be -Infinity
    const v = prng();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  };
  return {
    uniform: () => prng(),
    normal,
    exponential: () => -Math.log(1 - prng()),
    between: (lo, hi) => lo + (hi - lo) * prng(),
  };
}

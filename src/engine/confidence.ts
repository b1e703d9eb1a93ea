/**
 * Two-sided 95% Student-t critical values by degrees of freedom (1..30); beyond 30 the normal
 * 1.96 is within 2%. A table keeps the engine free of a stats dependency for one number.
 */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101,
  2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tCritical95(df: number): number {
  if (df < 1) return Number.NaN;
  return df <= T95.length ? T95[df - 1]! : 1.96;
}

/**
 * 95% confidence interval of the mean, [low, high], from the t distribution; null below two
 * values. Costs across opens are fat-tailed, so read it as a guide, not a guarantee.
 */
export function meanCi95(values: readonly number[]): readonly [number, number] | null {
  const n = values.length;
  if (n < 2) return null;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = tCritical95(n - 1) * Math.sqrt(variance / n);
  return [mean - half, mean + half];
}

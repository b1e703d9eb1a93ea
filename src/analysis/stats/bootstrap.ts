import seedrandom from 'seedrandom';

/**
 * The paired bootstrap behind "winner vs default" and "winner vs market". Paired: both sides ran
 * the same orders on the same opens, so the per-execution difference removes the market's
 * movement, which dominates either cost alone.
 */
export interface BootstrapDiff {
  /** Mean of a[i] - b[i] over the indices, bps. */
  readonly meanDiffBps: number;
  /** Percentile 95% interval of that mean over the resamples. */
  readonly ci95: readonly [number, number];
}

/** The p-quantile (type 7) of a sorted array. */
function quantile(sorted: Float64Array, p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Mean of a[i] - b[i] over `indices` with a percentile bootstrap 95% CI, seeded (alea).
 *
 * Without `clusters`, executions are resampled. With `clusters` (one key per execution index,
 * e.g. the open keys), whole clusters are resampled and each resample's statistic is the total
 * difference over the total executions drawn. Executions of one open share its market, so they
 * are not independent: resampling them one by one gives intervals that are too narrow, while
 * resampling opens keeps that correlation inside each draw. With few opens, the interval is
 * wide (and honest about it); with one, it collapses to the point.
 *
 * NaN mean and CI for no indices.
 */
export function pairedBootstrapCi(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  indices: readonly number[],
  seed: string | number,
  resamples = 2000,
  clusters?: readonly string[],
): BootstrapDiff {
  if (indices.length === 0) return { meanDiffBps: Number.NaN, ci95: [Number.NaN, Number.NaN] };
  if (!Number.isSafeInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap resamples must be a positive integer, got ${resamples}`);
  // Per-cluster sums and counts: a resample then costs one draw per cluster, not per execution.
  const sums: number[] = [];
  const counts: number[] = [];
  const slot = new Map<string, number>();
  let total = 0;
  for (const i of indices) {
    const d = a[i]! - b[i]!;
    total += d;
    let s: number;
    if (clusters === undefined) s = sums.length;
    else {
      const key = clusters[i];
      if (key === undefined) throw new RangeError(`bootstrap: no cluster for execution ${i}`);
      s = slot.get(key) ?? sums.length;
      slot.set(key, s);
    }
    if (s === sums.length) {
      sums.push(0);
      counts.push(0);
    }
    sums[s]! += d;
    counts[s]! += 1;
  }
  const meanDiffBps = total / indices.length;
  const g = sums.length;
  const u = seedrandom.alea(`bootstrap|${seed}`);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    let c = 0;
    for (let k = 0; k < g; k++) {
      const j = Math.floor(u() * g);
      s += sums[j]!;
      c += counts[j]!;
    }
    stats[r] = s / c;
  }
  stats.sort();
  return { meanDiffBps, ci95: [quantile(stats, 0.025), quantile(stats, 0.975)] };
}

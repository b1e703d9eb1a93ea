import { meanCi95 } from '../../engine/confidence.js';
import type { CandidateOutcome, CostSummary, Objective } from './types.js';

/**
 * What the tuner minimises, over the executions' charged costs (charged-cost.ts: the unfilled
 * remainder charged, so that a configuration that gives up never looks cheap).
 */

/**
 * Linear-interpolated ("type 7") quantile of ascending values; NaN when empty. An infinite order
 * statistic the interpolation reaches makes it infinite (Infinity x 0 would give NaN instead).
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const frac = pos - lo;
  if (frac === 0) return sorted[lo]!;
  if (sorted[hi] === Infinity) return Infinity;
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * frac;
}

/**
 * The 95th percentile time to complete over some executions, in seconds: Infinity when the
 * percentile reaches an execution that never completed; NaN when there are none, or when the
 * times were never measured (results stored before they were).
 */
export function p95Seconds(completeMs: Float64Array | undefined, indices: readonly number[]): number {
  if (completeMs === undefined || indices.length === 0) return Number.NaN;
  const times = Float64Array.from(indices, (i) => completeMs[i]!).sort();
  return quantileSorted(times, 0.95) / 1000;
}

/**
 * One number per candidate, lower = better: the mean cost, the 90th percentile (linear
 * interpolation between order statistics, as `summary.ts` does), or CVaR95, the mean of the worst
 * ceil(5% of n) costs (at least one: with fewer than 20 executions it is the worst cost).
 * NaN for no costs.
 */
export function aggregate(costs: ArrayLike<number>, objective: Objective): number {
  const n = costs.length;
  if (n === 0) return Number.NaN;
  if (objective === 'mean') {
    let s = 0;
    for (let i = 0; i < n; i++) s += costs[i]!;
    return s / n;
  }
  const sorted = Float64Array.from(costs).sort();
  if (objective === 'p90') return quantileSorted(sorted, 0.9);
  const k = Math.max(1, Math.ceil(0.05 * n));
  let s = 0;
  for (let i = n - k; i < n; i++) s += sorted[i]!;
  return s / k;
}

/** The objective, the mean with its t 95% CI, the fill and fallback rates and the p95 time to complete over some executions of an outcome. */
export function summarizeCosts(outcome: CandidateOutcome, indices: readonly number[], objective: Objective): CostSummary {
  const costs = indices.map((i) => outcome.costs[i]!);
  let filled = 0;
  let fallback = 0;
  for (const i of indices) {
    filled += outcome.filled[i]!;
    fallback += outcome.fallback[i]!;
  }
  const n = indices.length;
  return {
    objective: aggregate(costs, objective),
    mean: aggregate(costs, 'mean'),
    meanCi95: meanCi95(costs),
    fillRate: n === 0 ? Number.NaN : filled / n,
    fallbackRate: n === 0 ? Number.NaN : fallback / n,
    p95Seconds: p95Seconds(outcome.completeMs, indices),
    executions: n,
  };
}

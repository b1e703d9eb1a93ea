import type { Database } from './database.js';

/** One strategy measured against the baseline over the same executions (same pair_key). */
export interface StrategyComparison {
  readonly strategy: string;
  readonly baseline: string;
  /** Executions of this strategy that have a baseline execution with the same pair_key. */
  readonly pairs: number;
  /** Pairs where both sides have a cost (something filled on both); the means below use these. */
  readonly compared: number;
  /** Pairs where both sides filled completely. */
  readonly filledBoth: number;
  /** Mean of (strategy cost - baseline cost) in bps; negative = the strategy is cheaper. */
  readonly meanDiffBps: number | null;
  /** Standard error of meanDiffBps (sample sd / sqrt(n)); null below two compared pairs. */
  readonly stdErrBps: number | null;
  /** Mean of (strategy - baseline) cost in cents per share. */
  readonly meanDiffCentsPerShare: number | null;
  readonly meanCostBps: number | null;
  readonly baselineMeanCostBps: number | null;
  /** Compared pairs where the strategy was cheaper, dearer, or equal. */
  readonly better: number;
  readonly worse: number;
  readonly ties: number;
}

interface ComparisonRow {
  strategy: string;
  pairs: number;
  compared: number;
  filled_both: number;
  mean_diff: number | null;
  mean_sq_diff: number | null;
  mean_cents_diff: number | null;
  mean_cost: number | null;
  baseline_mean_cost: number | null;
  better: number;
  worse: number;
  ties: number;
}

const COMPARISON_SQL = `
SELECT strategy_a AS strategy,
       count(*) AS pairs,
       count(cost_bps_diff) AS compared,
       total(filled_both) AS filled_both,
       avg(cost_bps_diff) AS mean_diff,
       avg(cost_bps_diff * cost_bps_diff) AS mean_sq_diff,
       avg(CASE WHEN cost_bps_diff IS NOT NULL THEN cents_per_share_diff END) AS mean_cents_diff,
       avg(CASE WHEN cost_bps_diff IS NOT NULL THEN cost_bps_a END) AS mean_cost,
       avg(CASE WHEN cost_bps_diff IS NOT NULL THEN cost_bps_b END) AS baseline_mean_cost,
       total(cost_bps_diff < 0) AS better,
       total(cost_bps_diff > 0) AS worse,
       total(cost_bps_diff = 0) AS ties
FROM strategy_pairs
WHERE run_id = ? AND strategy_b = ?
GROUP BY strategy_a
ORDER BY strategy_a`;

/**
 * Strategy against strategy over the same executions: for every other strategy of the run, the
 * paired cost difference against `baseline` (positive = costs more than the baseline). Pairing
 * removes the day-to-day noise that dominates comparing two strategies' overall means.
 * Strategies with no execution paired to the baseline are absent; an unknown baseline gives [].
 */
export function compareStrategies(db: Database, runId: number, baseline: string): StrategyComparison[] {
  const rows = db.prepare(COMPARISON_SQL).all(runId, baseline) as ComparisonRow[];
  return rows.map((r) => ({
    strategy: r.strategy,
    baseline,
    pairs: r.pairs,
    compared: r.compared,
    filledBoth: r.filled_both,
    meanDiffBps: r.mean_diff,
    stdErrBps: standardError(r.compared, r.mean_diff, r.mean_sq_diff),
    meanDiffCentsPerShare: r.mean_cents_diff,
    meanCostBps: r.mean_cost,
    baselineMeanCostBps: r.baseline_mean_cost,
    better: r.better,
    worse: r.worse,
    ties: r.ties,
  }));
}

function standardError(n: number, mean: number | null, meanSq: number | null): number | null {
  if (n < 2 || mean === null || meanSq === null) return null;
  // Sample variance from the two moments; clamp the tiny negative values rounding can produce.
  const variance = Math.max(0, ((meanSq - mean * mean) * n) / (n - 1));
  return Math.sqrt(variance / n);
}

/**
 * The cost/time frontier: which configurations (candidates and baselines) no other one beats on
 * both mean cost and p95 time to complete. It answers "what is the cheapest way to get this order
 * done within N seconds" for every N at once: read along the time axis to the deadline, and the
 * frontier point there is the cheapest that meets it.
 */

/** A point to place: its cost (bps, positive = paid), p95 time to complete (s) and fill rate, with its identity. */
export interface FrontierInput<T> {
  readonly meanCostBps: number;
  readonly p95Seconds: number;
  readonly fillRate: number;
  readonly item: T;
}

/**
 * The Pareto set of `points` (lower cost and lower time both better), in ascending time (then
 * cost). A point is dropped when another is at least as good on both and better on one. Points
 * whose time or cost is not finite are left out: one that leaves more than ~5% of its orders
 * unfilled meets no deadline. Of exact ties the first in `points` is kept, so the input order
 * (baselines before candidates, candidates by index) decides deterministically.
 */
export function paretoFrontier<T>(points: readonly FrontierInput<T>[]): FrontierInput<T>[] {
  const finite = points
    .map((p, order) => ({ p, order }))
    .filter(({ p }) => Number.isFinite(p.p95Seconds) && Number.isFinite(p.meanCostBps));
  finite.sort((a, b) => a.p.p95Seconds - b.p.p95Seconds || a.p.meanCostBps - b.p.meanCostBps || a.order - b.order);
  const out: FrontierInput<T>[] = [];
  let bestCost = Infinity;
  for (const { p } of finite) {
    // Sorted by time: a point is on the frontier iff it is strictly cheaper than every faster
    // (or equally fast and earlier-sorted) point.
    if (p.meanCostBps < bestCost) {
      out.push(p);
      bestCost = p.meanCostBps;
    }
  }
  return out;
}

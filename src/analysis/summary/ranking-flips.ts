import type { StrategySummary } from './strategy-summary.js';

/**
 * A ranking between two strategies (by mean whole-order cost) that one liquidity model and another
 * disagree on. A conclusion such as "the ladder is cheaper than progressive" counts only if it
 * holds under the conservative model and the nominal one; a flip names where it does not.
 */
export interface RankingFlip {
  readonly strategies: readonly [string, string];
  /** Per liquidity model: the cheaper of the two, or "tie", and both mean costs (bps). */
  readonly byLiquidity: Readonly<Record<string, { readonly cheaper: string; readonly meanCostBps: readonly [number, number] }>>;
}

/** Every pair of strategies whose order by mean cost differs between liquidity models. */
export function rankingFlips(summaries: readonly StrategySummary[]): RankingFlip[] {
  const means = new Map<string, Map<string, number>>(); // strategy -> liquidity -> mean cost
  for (const s of summaries) {
    if (s.liquidity === null || s.costBps.mean === null) continue;
    const m = means.get(s.strategy) ?? new Map<string, number>();
    m.set(s.liquidity, s.costBps.mean);
    means.set(s.strategy, m);
  }
  const strategies = [...means.keys()];
  const flips: RankingFlip[] = [];
  for (let i = 0; i < strategies.length; i++) {
    for (let j = i + 1; j < strategies.length; j++) {
      const [a, b] = [strategies[i]!, strategies[j]!];
      const ma = means.get(a)!;
      const mb = means.get(b)!;
      const models = [...ma.keys()].filter((l) => mb.has(l));
      if (models.length < 2) continue;
      const byLiquidity: Record<string, { cheaper: string; meanCostBps: readonly [number, number] }> = {};
      for (const l of models) {
        const [ca, cb] = [ma.get(l)!, mb.get(l)!];
        byLiquidity[l] = { cheaper: ca < cb ? a : cb < ca ? b : 'tie', meanCostBps: [ca, cb] };
      }
      if (new Set(Object.values(byLiquidity).map((v) => v.cheaper)).size > 1) flips.push({ strategies: [a, b], byLiquidity });
    }
  }
  return flips;
}

/** One line per flip, for people: "ladder vs progressive: progressive cheaper under conservative (1.20 vs 0.50 bps); ladder under nominal (0.90 vs 1.10 bps)". */
export function describeFlip(f: RankingFlip): string {
  const [a, b] = f.strategies;
  const parts = Object.entries(f.byLiquidity).map(
    ([l, v]) => `${v.cheaper === 'tie' ? 'a tie' : `${v.cheaper} cheaper`} under ${l} (${v.meanCostBps[0].toFixed(2)} vs ${v.meanCostBps[1].toFixed(2)} bps)`,
  );
  return `${a} vs ${b}: ${parts.join('; ')}`;
}

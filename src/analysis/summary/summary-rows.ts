import type { Distribution, StrategySummary } from './strategy-summary.js';

const num = (x: number | null, digits = 2): string => (x === null ? '-' : x.toFixed(digits));
const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
/** "mean [low, high]" with the 95% interval, or just the mean when there is none. */
const withCi = (d: Distribution): string => (d.meanCi95 === null || d.mean === null ? num(d.mean) : `${num(d.mean)} [${num(d.meanCi95[0])}, ${num(d.meanCi95[1])}]`);

export interface TextTable {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * The comparison a trader looks at first, as text cells (the terminal table and the HTML report
 * both print these): one row per strategy and liquidity model. Costs cover the whole order
 * (positive = paid versus the arrival mid; the unfilled remainder charged), intervals resample opens.
 */
export function summaryRows(summaries: readonly StrategySummary[], baseline: string): TextTable {
  return {
    head: [
      'strategy', 'liquidity', 'orders', 'filled', 'cost bps\nmean [95% CI]', 'cost bps\nmedian / p90', '¢/share\nmean', `vs ${baseline} bps\nmean [95% CI]`,
      'filled-only\ncost bps', 'time to fill\nmedian ms', 're-pegs', 'fallback',
    ],
    rows: summaries.map((s) => [
      s.strategy,
      s.liquidity ?? '-',
      String(s.executions),
      pct(s.fillRate),
      withCi(s.costBps),
      `${num(s.costBps.median)} / ${num(s.costBps.p90)}`,
      num(s.costCentsPerShare.mean),
      s.pairedDiffBps === null ? '-' : withCi(s.pairedDiffBps),
      num(s.filledCostBps.mean),
      num(s.timeToFillMs.median, 0),
      num(s.meanRepegs, 2),
      pct(s.fallbackRate),
    ]),
  };
}

import Table from 'cli-table3';
import type { Distribution, StrategySummary } from '../engine/summary.js';

const num = (x: number | null, digits = 2): string => (x === null ? '-' : x.toFixed(digits));
const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
const triple = (d: Distribution, digits = 2): string => `${num(d.mean, digits)} / ${num(d.median, digits)} / ${num(d.p90, digits)}`;
/** "mean ± half-width" of the 95% confidence interval, or just the mean when there is none. */
const withCi = (d: Distribution): string =>
  d.meanCi95 === null || d.mean === null ? num(d.mean) : `${num(d.mean)} ± ${num((d.meanCi95[1] - d.meanCi95[0]) / 2)}`;

/** The readable comparison a trader looks at first. Costs: positive = paid versus the arrival mid. */
export function formatSummaryTable(summaries: readonly StrategySummary[], baseline: string): string {
  const table = new Table({
    head: ['strategy', 'orders', 'filled', 'cost bps\nmean ± 95% CI', 'cost bps\nmedian / p90', '¢/share\nmean / med / p90', `vs ${baseline} bps\npaired, ± 95% CI`, 'time to fill\nmean ms', 're-pegs', 'fallback'],
    style: { head: [], border: [] },
  });
  for (const s of summaries) {
    table.push([
      s.strategy,
      String(s.executions),
      pct(s.fillRate),
      withCi(s.costBps),
      `${num(s.costBps.median)} / ${num(s.costBps.p90)}`,
      triple(s.costCentsPerShare),
      s.pairedDiffBps === null ? '-' : `${withCi(s.pairedDiffBps)} (n=${s.pairedDiffBps.n})`,
      num(s.timeToFillMs.mean, 0),
      num(s.meanRepegs, 2),
      pct(s.fallbackRate),
    ]);
  }
  return table.toString();
}

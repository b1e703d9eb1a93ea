import Table from 'cli-table3';
import type { Distribution, StrategySummary } from '../engine/summary.js';

const num = (x: number | null, digits = 2): string => (x === null ? '-' : x.toFixed(digits));
const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
const triple = (d: Distribution, digits = 2): string => `${num(d.mean, digits)} / ${num(d.median, digits)} / ${num(d.p90, digits)}`;

/** The readable comparison a trader looks at first. Costs: positive = paid versus the arrival mid. */
export function formatSummaryTable(summaries: readonly StrategySummary[], baseline: string): string {
  const table = new Table({
    head: ['strategy', 'orders', 'filled', 'cost bps\nmean / med / p90', '¢/share\nmean / med / p90', `vs ${baseline}\nbps (paired)`, 'time to fill\nmean ms', 're-pegs', 'fallback'],
    style: { head: [], border: [] },
  });
  for (const s of summaries) {
    table.push([
      s.strategy,
      String(s.executions),
      pct(s.fillRate),
      triple(s.costBps),
      triple(s.costCentsPerShare),
      s.pairedDiffBps === null ? '-' : `${num(s.pairedDiffBps.mean)} (n=${s.pairedDiffBps.n})`,
      num(s.timeToFillMs.mean, 0),
      num(s.meanRepegs, 2),
      pct(s.fallbackRate),
    ]);
  }
  return table.toString();
}

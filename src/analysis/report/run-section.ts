import type { ExecutionReport } from '../../engine/execution-report.js';
import { describeFlip, rankingFlips } from '../summary/ranking-flips.js';
import { orderCost, orderKey, quantile, summarizeStrategies } from '../summary/strategy-summary.js';
import { summaryRows } from '../summary/summary-rows.js';
import type { QuantileCurve, RunSection } from './report-sections.js';

/** Probabilities the cost curves are drawn at: every 2%, enough to show tails without one point per order. */
export const QUANTILE_GRID: readonly number[] = Array.from({ length: 51 }, (_, i) => i / 50);

const REAL_MARKET = 'real market';

function curve(strategy: string, label: string, values: number[]): QuantileCurve {
  const sorted = [...values].sort((a, b) => a - b);
  return { strategy, label: `${label} (n=${sorted.length})`, values: QUANTILE_GRID.map((q) => quantile(sorted, q)) };
}

export interface RunMeta {
  readonly id: number;
  readonly kind: string;
  readonly command: string;
  readonly seed: string | number;
}

/**
 * A run as report data: per liquidity model, each strategy's whole-order cost distribution (as
 * quantile curves) and its paired difference against a market order on the same orders, beside
 * the summary table the terminal prints.
 */
export function runSection(reports: readonly ExecutionReport[], run: RunMeta, baseline = 'market'): RunSection {
  const summary = summarizeStrategies(reports, { baseline, seed: run.seed });
  const models = [...new Set(reports.map((r) => r.liquidity ?? REAL_MARKET))];
  const strategies = [...new Set(reports.map((r) => r.strategy))];
  const baselineCost = new Map<string, number>();
  for (const r of reports) {
    const c = orderCost(r);
    if (r.strategy === baseline && c !== null) baselineCost.set(orderKey(r), c);
  }
  const notes: string[] = [];
  const sections = models.map((liquidity) => {
    const ofModel = reports.filter((r) => (r.liquidity ?? REAL_MARKET) === liquidity);
    const costs: QuantileCurve[] = [];
    const vsMarket: QuantileCurve[] = [];
    for (const strategy of strategies) {
      const mine = ofModel.filter((r) => r.strategy === strategy);
      const own = mine.map(orderCost).filter((c): c is number => c !== null);
      if (own.length > 0) costs.push(curve(strategy, strategy, own));
      if (strategy === baseline) continue;
      const diffs: number[] = [];
      for (const r of mine) {
        const c = orderCost(r);
        const b = baselineCost.get(orderKey(r));
        if (c !== null && b !== undefined) diffs.push(c - b);
      }
      if (diffs.length > 0) vsMarket.push(curve(strategy, `${strategy} − ${baseline}`, diffs));
    }
    return { liquidity, costs, vsMarket };
  });
  if (!strategies.includes(baseline)) notes.push(`no ${baseline} executions in this run: no paired differences`);
  for (const f of rankingFlips(summary)) notes.push(`ranking flips: ${describeFlip(f)}`);
  const opens = new Set(reports.map((r) => `${r.symbol}|${r.date}`)).size;
  return {
    kind: 'run',
    title: `Run ${run.id} (${run.kind})`,
    subtitle: `${reports.length} executions over ${opens} open(s); ${run.command}`,
    strategies,
    q: QUANTILE_GRID,
    models: sections,
    table: summaryRows(summary, baseline),
    notes,
  };
}

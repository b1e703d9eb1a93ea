import type { ExecutionReport } from '../../engine/execution-report.js';
import { pairedBootstrapCi } from '../stats/bootstrap.js';

/**
 * Per-strategy statistics of a backtest, per liquidity model. Costs are over the whole order
 * (`chargedCostBps`: the unfilled remainder charged the way the tuner's objective charges it), so
 * a strategy that gives up never looks cheap; the fill rate stands beside them. Confidence
 * intervals resample opens (symbol x day) with a seeded bootstrap, not orders: the orders of one
 * open share its market, so treating them as independent makes intervals far too narrow.
 */

export interface Distribution {
  readonly n: number;
  readonly mean: number | null;
  /** 95% percentile-bootstrap interval of the mean, resampling opens; null below two opens. */
  readonly meanCi95: readonly [number, number] | null;
  readonly median: number | null;
  readonly p90: number | null;
}

export interface StrategySummary {
  readonly strategy: string;
  /** The liquidity model of these executions; null for a real market. */
  readonly liquidity: string | null;
  readonly executions: number;
  /** Distinct opens (symbol x day) the executions ran on: the unit the intervals resample. */
  readonly opens: number;
  /** Share of executions that filled their whole quantity. */
  readonly fillRate: number;
  /** Cost over the whole order against the arrival mid, the unfilled remainder charged (bps). */
  readonly costBps: Distribution;
  /** The same in cents per share (executions with an arrival mid). */
  readonly costCentsPerShare: Distribution;
  /** Cost of the filled shares only (the TCA shortfall), over executions with any fill. */
  readonly filledCostBps: Distribution;
  /** Decision to completion, over fully filled executions. */
  readonly timeToFillMs: Distribution;
  readonly meanRepegs: number;
  readonly fallbackRate: number;
  readonly alertRate: number;
  /** This strategy's cost minus the baseline's on the same orders (whole orders, bps); null for the baseline. */
  readonly pairedDiffBps: Distribution | null;
}

export interface SummaryOptions {
  /** The strategy every other is paired with (default "market"). */
  readonly baseline?: string;
  /** Seeds the bootstrap, so the same run always prints the same intervals. */
  readonly seed: string | number;
}

/** Linear-interpolated quantile (the usual "type 7") of sorted values. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Values with the open each came from. */
interface Sample {
  readonly values: number[];
  readonly opens: string[];
}

const sample = (): Sample => ({ values: [], opens: [] });
const openOf = (r: ExecutionReport): string => `${r.symbol}|${r.date}`;

/** Mean, median, p90 and a bootstrap interval of the mean that resamples opens. */
export function distribution(s: Sample, seed: string): Distribution {
  const n = s.values.length;
  const sorted = [...s.values].sort((a, b) => a - b);
  const mean = n === 0 ? null : s.values.reduce((sum, v) => sum + v, 0) / n;
  let meanCi95: readonly [number, number] | null = null;
  if (new Set(s.opens).size >= 2) {
    const indices = s.values.map((_, i) => i);
    meanCi95 = pairedBootstrapCi(s.values, new Float64Array(n), indices, seed, 2000, s.opens).ci95;
  }
  return { n, mean, meanCi95, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}

/** Orders are the same when symbol, day, side, quantity and decision time match (within one liquidity model). */
export function orderKey(r: ExecutionReport): string {
  return `${r.symbol}|${r.date}|${r.side}|${r.qty}|${r.decisionTime}|${r.liquidity ?? ''}`;
}

/** The whole order's cost: charged when the simulator could charge it, else the filled shares' shortfall. */
export function orderCost(r: ExecutionReport): number | null {
  return r.chargedCostBps ?? r.tca.costBps;
}

function share(items: readonly ExecutionReport[], pred: (r: ExecutionReport) => boolean): number {
  return items.length === 0 ? 0 : items.filter(pred).length / items.length;
}

/**
 * One summary per (strategy, liquidity model), strategies in the order they first appear and each
 * strategy's models together, with paired differences against the baseline under the same model.
 */
export function summarizeStrategies(reports: readonly ExecutionReport[], options: SummaryOptions): StrategySummary[] {
  const baseline = options.baseline ?? 'market';
  const groups = new Map<string, ExecutionReport[]>();
  const strategies: string[] = [];
  for (const r of reports) {
    const key = `${r.strategy}\u0000${r.liquidity ?? ''}`;
    if (!strategies.includes(r.strategy)) strategies.push(r.strategy);
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const baselineCost = new Map<string, number>();
  for (const r of reports) {
    const c = orderCost(r);
    if (r.strategy === baseline && c !== null) baselineCost.set(orderKey(r), c);
  }
  const ordered = [...groups.values()].sort((a, b) => strategies.indexOf(a[0]!.strategy) - strategies.indexOf(b[0]!.strategy));
  return ordered.map((list) => {
    const { strategy, liquidity } = list[0]!;
    const seed = `${options.seed}|${strategy}|${liquidity ?? ''}`;
    const cost = sample();
    const cents = sample();
    const filledCost = sample();
    const paired = sample();
    const time = sample();
    for (const r of list) {
      const c = orderCost(r);
      if (c !== null) {
        cost.values.push(c);
        cost.opens.push(openOf(r));
        if (r.tca.arrivalMid !== null) {
          cents.values.push((c * r.tca.arrivalMid) / 1e6);
          cents.opens.push(openOf(r));
        }
        const b = baselineCost.get(orderKey(r));
        if (b !== undefined) {
          paired.values.push(c - b);
          paired.opens.push(openOf(r));
        }
      }
      if (r.tca.costBps !== null) {
        filledCost.values.push(r.tca.costBps);
        filledCost.opens.push(openOf(r));
      }
      if (r.outcome === 'filled') {
        time.values.push(r.durationMs);
        time.opens.push(openOf(r));
      }
    }
    return {
      strategy,
      liquidity,
      executions: list.length,
      opens: new Set(list.map(openOf)).size,
      fillRate: share(list, (r) => r.outcome === 'filled'),
      costBps: distribution(cost, `${seed}|cost`),
      costCentsPerShare: distribution(cents, `${seed}|cents`),
      filledCostBps: distribution(filledCost, `${seed}|filled`),
      timeToFillMs: distribution(time, `${seed}|time`),
      meanRepegs: list.length === 0 ? 0 : list.reduce((s, r) => s + r.repegs, 0) / list.length,
      fallbackRate: share(list, (r) => r.usedFallback),
      alertRate: share(list, (r) => r.tca.alert),
      pairedDiffBps: strategy === baseline || baselineCost.size === 0 ? null : distribution(paired, `${seed}|paired`),
    };
  });
}

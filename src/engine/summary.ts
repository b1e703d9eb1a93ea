import { meanCi95 } from './confidence.js';
import type { ExecutionReport } from './execution-report.js';

export interface Distribution {
  readonly n: number;
  readonly mean: number | null;
  /** 95% confidence interval of the mean (t distribution); null below two values. */
  readonly meanCi95: readonly [number, number] | null;
  readonly median: number | null;
  readonly p90: number | null;
}

export interface StrategySummary {
  readonly strategy: string;
  readonly executions: number;
  /** Share of executions that filled their whole quantity. */
  readonly fillRate: number;
  /** Cost against the arrival mid, over executions with any fill. */
  readonly costBps: Distribution;
  readonly costCentsPerShare: Distribution;
  /** Decision to completion, over fully filled executions. */
  readonly timeToFillMs: Distribution;
  readonly meanRepegs: number;
  readonly fallbackRate: number;
  readonly alertRate: number;
  /** Mean of (this strategy's cost - the baseline's) over the same orders both filled; null for the baseline. */
  readonly pairedDiffBps: Distribution | null;
}

/** Linear-interpolated quantile (the usual "type 7") of sorted values. */
function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length === 0 ? null : sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return { n: sorted.length, mean, meanCi95: meanCi95(sorted), median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}

/** Orders are the same when symbol, day, side, quantity and decision time match. */
export function orderKey(r: ExecutionReport): string {
  return `${r.symbol}|${r.date}|${r.side}|${r.qty}|${r.decisionTime}`;
}

function share(items: readonly ExecutionReport[], pred: (r: ExecutionReport) => boolean): number {
  return items.length === 0 ? 0 : items.filter(pred).length / items.length;
}

/** Per-strategy statistics, in the order strategies first appear, with paired differences against `baseline`. */
export function summarizeByStrategy(reports: readonly ExecutionReport[], baseline = 'market'): StrategySummary[] {
  const groups = new Map<string, ExecutionReport[]>();
  for (const r of reports) {
    const list = groups.get(r.strategy) ?? [];
    list.push(r);
    groups.set(r.strategy, list);
  }
  const baselineCost = new Map<string, number>();
  for (const r of groups.get(baseline) ?? []) if (r.tca.costBps !== null) baselineCost.set(orderKey(r), r.tca.costBps);
  return [...groups.entries()].map(([strategy, list]) => {
    const costed = list.filter((r) => r.tca.costBps !== null);
    const paired = costed.flatMap((r) => {
      const b = baselineCost.get(orderKey(r));
      return b === undefined ? [] : [r.tca.costBps! - b];
    });
    return {
      strategy,
      executions: list.length,
      fillRate: share(list, (r) => r.outcome === 'filled'),
      costBps: distribution(costed.map((r) => r.tca.costBps!)),
      costCentsPerShare: distribution(costed.map((r) => r.tca.costCentsPerShare!)),
      timeToFillMs: distribution(list.filter((r) => r.outcome === 'filled').map((r) => r.durationMs)),
      meanRepegs: list.length === 0 ? 0 : list.reduce((s, r) => s + r.repegs, 0) / list.length,
      fallbackRate: share(list, (r) => r.usedFallback),
      alertRate: share(list, (r) => r.tca.alert),
      pairedDiffBps: strategy === baseline || !groups.has(baseline) ? null : distribution(paired),
    };
  });
}

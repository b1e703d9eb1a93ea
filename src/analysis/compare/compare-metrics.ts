import type { ExecutionReport } from '../../engine/execution-report.js';
import type { FidelityMetrics } from '../../engine/fidelity-metrics.js';

export type { FidelityMetrics } from '../../engine/fidelity-metrics.js';

/** Simulated minus real; null where either side has no value. */
export interface FidelityDiff {
  readonly filledQty: number;
  readonly avgPrice: number | null;
  readonly costBps: number | null;
  readonly timeToFillMs: number | null;
  readonly repegs: number;
  readonly fallbackAgrees: boolean;
  readonly outcomeAgrees: boolean;
}

export function metricsOf(r: ExecutionReport): FidelityMetrics {
  let last: number | null = null;
  for (const c of r.childOrders) for (const f of c.fills) if (f.qty > 0 && (last === null || f.time > last)) last = f.time;
  return {
    filledQty: r.filledQty,
    avgPrice: r.tca.avgPrice,
    costBps: r.tca.costBps,
    timeToFillMs: last === null ? null : last - r.decisionTime,
    repegs: r.repegs,
    usedFallback: r.usedFallback,
    outcome: r.outcome,
  };
}

const minus = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b + 0);

export function diffMetrics(real: FidelityMetrics, sim: FidelityMetrics): FidelityDiff {
  return {
    filledQty: sim.filledQty - real.filledQty,
    avgPrice: minus(sim.avgPrice, real.avgPrice),
    costBps: minus(sim.costBps, real.costBps),
    timeToFillMs: minus(sim.timeToFillMs, real.timeToFillMs),
    repegs: sim.repegs - real.repegs,
    fallbackAgrees: sim.usedFallback === real.usedFallback,
    outcomeAgrees: sim.outcome === real.outcome,
  };
}

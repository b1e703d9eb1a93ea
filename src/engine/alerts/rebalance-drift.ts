import type { EpochMs } from '../units.js';
import type { AlertRules } from './alert-config.js';
import type { Alert } from './alert.js';

/**
 * What the drift rule reads of a finished rebalance (issue 11's summary: its targets and
 * `weightsAfter`). Weights are fractions of equity (0.4 = 40%); a symbol missing from one side
 * weighs 0 there (a target of 0 is a full sale; a holding with no target should have been sold).
 */
export interface RebalanceDriftInput {
  readonly rebalanceId: string;
  /** When the rebalance ended (market time, epoch ms). */
  readonly time: EpochMs;
  readonly targets: Readonly<Record<string, number>>;
  readonly weightsAfter: Readonly<Record<string, number>>;
}

export interface SymbolDrift {
  readonly symbol: string;
  readonly target: number;
  readonly after: number;
  /** |after - target| in percentage points. */
  readonly driftPct: number;
}

/**
 * Weights are sums of float products (shares x price / equity), so a rebalance that lands on a
 * target to the last share can still differ from it by ~1e-16: drifts are compared at 1e-9
 * percentage points, far below anything a share can move.
 */
const PCT_RESOLUTION = 1e9;

/** Each symbol's drift from its target, largest first (ties in symbol order). */
export function symbolDrifts(input: Pick<RebalanceDriftInput, 'targets' | 'weightsAfter'>): SymbolDrift[] {
  const symbols = [...new Set([...Object.keys(input.targets), ...Object.keys(input.weightsAfter)])].sort();
  return symbols
    .map((symbol) => {
      const target = input.targets[symbol] ?? 0;
      const after = input.weightsAfter[symbol] ?? 0;
      if (!Number.isFinite(target) || !Number.isFinite(after)) throw new RangeError(`rebalance weights of ${symbol} must be finite numbers (target ${target}, after ${after})`);
      return { symbol, target, after, driftPct: Math.round(Math.abs(after - target) * 100 * PCT_RESOLUTION) / PCT_RESOLUTION };
    })
    .sort((a, b) => b.driftPct - a.driftPct || (a.symbol < b.symbol ? -1 : 1));
}

const pct = (w: number): string => `${(w * 100).toFixed(1)}%`;

/**
 * The rebalance-drift alert: raised when some symbol's weight after the rebalance is more than
 * `rules.rebalanceDrift.thresholdPct` percentage points from its target. Its message names the
 * worst symbol and how many others are beyond the threshold.
 */
export function rebalanceDriftAlert(input: RebalanceDriftInput, rules: AlertRules): Alert | null {
  const rule = rules.rebalanceDrift;
  if (!rule.enabled) return null;
  const over = symbolDrifts(input).filter((d) => d.driftPct > rule.thresholdPct);
  const worst = over[0];
  if (worst === undefined) return null;
  const others = over.length > 1 ? `; ${over.length - 1} more symbol(s) beyond it: ${over.slice(1).map((d) => `${d.symbol} ${d.driftPct.toFixed(1)} pp`).join(', ')}` : '';
  return {
    kind: 'rebalance-drift',
    severity: rule.severity,
    rebalanceId: input.rebalanceId,
    symbol: null,
    message: `rebalance ${input.rebalanceId} left ${worst.symbol} at ${pct(worst.after)} against a ${pct(worst.target)} target: ${worst.driftPct.toFixed(1)} pp of drift, above the ${rule.thresholdPct} pp threshold${others}`,
    time: input.time,
  };
}

import type { ExecutionReport } from '../execution-report.js';
import { moneyToDollars, type Money } from '../money.js';
import type { Quote } from '../quote.js';
import { PRICE_SCALE, QTY_SCALE, sideSign } from '../units.js';
import { cashOf, positionsOf } from './ledger.js';
import type { RebalanceState } from './machine-types.js';
import { valueAtMid } from './plan.js';
import type { RebalanceTargets } from './plan-types.js';

/** What a rebalance did, in dollars and fractions of equity (the public JSON's `summary`). */
export interface RebalanceSummary {
  readonly cashBefore: number;
  readonly cashAfter: number;
  readonly equityBefore: number;
  readonly equityAfter: number;
  /** Notional-weighted cost of every fill against its execution's arrival mid, bps; null when nothing filled. */
  readonly costBps: number | null;
  /** The same cost in dollars (positive = paid). */
  readonly costUsd: number;
  /**
   * Each symbol's share of the equity before: its position then, valued at its leg's arrival mid
   * (the market the plan was sized on), or at the last mid for a symbol left alone.
   */
  readonly weightsBefore: Readonly<Record<string, number>>;
  /** Each symbol's share of the equity after, its position valued at the last mid. */
  readonly weightsAfter: Readonly<Record<string, number>>;
  /**
   * Each symbol's target as a share of the equity after (a share target: those shares at the last
   * mid): what the weights after are held against, and what the rebalance-drift alert reads.
   */
  readonly targetWeights: Readonly<Record<string, number>>;
  /** Percentage points: the largest distance of a symbol's weight after from its target weight. */
  readonly maxDriftPct: number;
}

/**
 * Summarises a finished (or abandoned) rebalance (pure): cash and positions from the machine's
 * books, equity valued at `lastQuotes` (the mids prevailing at the end), and the cost of every
 * fill against the arrival mid of the execution it belongs to, weighted by notional. A share
 * target's weight is those shares at the last mid over the equity after.
 */
export function summarizeRebalance(
  state: RebalanceState,
  equityBefore: Money,
  executions: readonly ExecutionReport[],
  targets: RebalanceTargets,
  lastQuotes: Readonly<Record<string, Quote | null>>,
): RebalanceSummary {
  const cashAfter = cashOf(state);
  const positions = positionsOf(state);
  const symbols = [...new Set([...Object.keys(targets.kind === 'weights' ? targets.weights : targets.shares), ...Object.keys(positions)])].sort();
  const valueOf = (s: string, qty: number): Money => {
    const q = lastQuotes[s];
    return q == null || qty === 0 ? 0 : valueAtMid(qty, q);
  };
  const equityAfter = symbols.reduce((sum, s) => sum + valueOf(s, positions[s] ?? 0), cashAfter);
  const weightsAfter: Record<string, number> = {};
  const targetWeights: Record<string, number> = {};
  let maxDrift = 0;
  for (const s of symbols) {
    const w = equityAfter > 0 ? valueOf(s, positions[s] ?? 0) / equityAfter : 0;
    weightsAfter[s] = w;
    const target = targets.kind === 'weights' ? (targets.weights[s] ?? 0) : equityAfter > 0 ? valueOf(s, targets.shares[s] ?? positions[s] ?? 0) / equityAfter : 0;
    targetWeights[s] = target;
    maxDrift = Math.max(maxDrift, Math.abs(w - target) * 100);
  }
  const arrivalMids = new Map(executions.map((r) => [r.symbol, r.tca.arrivalMid]));
  const weightsBefore: Record<string, number> = {};
  for (const s of symbols) {
    const held = state.positionsBefore[s] ?? 0;
    const mid = arrivalMids.get(s) ?? null;
    const value = held === 0 ? 0 : mid !== null ? (held / QTY_SCALE) * mid : valueOf(s, held);
    weightsBefore[s] = equityBefore > 0 ? value / equityBefore : 0;
  }
  let costUsd = 0;
  let notionalUsd = 0;
  for (const r of executions) {
    const mid = r.tca.arrivalMid;
    if (mid === null) continue;
    for (const c of r.childOrders) {
      for (const f of c.fills) {
        const shares = f.qty / QTY_SCALE;
        costUsd += (sideSign(r.side) * (f.price - mid) * shares) / PRICE_SCALE;
        notionalUsd += (mid * shares) / PRICE_SCALE;
      }
    }
  }
  return {
    cashBefore: moneyToDollars(state.cashBefore),
    cashAfter: moneyToDollars(cashAfter),
    equityBefore: moneyToDollars(equityBefore),
    equityAfter: moneyToDollars(equityAfter),
    costBps: notionalUsd > 0 ? (costUsd / notionalUsd) * 10_000 : null,
    costUsd,
    weightsBefore,
    weightsAfter,
    targetWeights,
    maxDriftPct: maxDrift,
  };
}

import type { Alert } from '../engine/alerts/alert.js';
import { formatAlertLine } from '../engine/alerts/format-alert.js';
import type { ExecutionReport } from '../engine/execution-report.js';
import type { RebalancePlan } from '../engine/rebalance/plan-types.js';
import type { RebalanceSummary } from '../engine/rebalance/summary.js';
import { priceToDollars, qtyToShares, type EpochMs } from '../engine/units.js';
import { executionToJson } from './execution-json.js';

export interface RebalanceView {
  readonly rebalanceId: string;
  readonly date: string;
  readonly decisionTime: EpochMs;
  readonly planTime: EpochMs;
  readonly outcome: { readonly status: string; readonly reason: string | null };
  readonly plan: RebalancePlan;
  readonly executions: readonly ExecutionReport[];
  readonly summary: RebalanceSummary;
  readonly log: readonly { readonly time: EpochMs; readonly event: string; readonly detail: string }[];
  /** What the alert rules raise on it: its legs' alerts, then the drift alert (recorded with the run). */
  readonly alerts: readonly Alert[];
}

/** The plan as the public JSON lists it: sells, then buys, each with its reason; quantities in shares. */
export function planToJson(plan: RebalancePlan) {
  return [...plan.sells, ...plan.buys].map((o) => ({ symbol: o.symbol, side: o.side, qty: qtyToShares(o.qty), reason: o.reason }));
}

/** The public JSON shape of one rebalance (README "Rebalancing at the open"). */
export function rebalanceToJson(v: RebalanceView) {
  return {
    rebalanceId: v.rebalanceId,
    date: v.date,
    decisionTime: v.decisionTime,
    planTime: v.planTime,
    outcome: v.outcome.status,
    reason: v.outcome.reason,
    plan: planToJson(v.plan),
    leftAlone: v.plan.leftAlone,
    executions: v.executions.map(executionToJson),
    summary: v.summary,
    alerts: v.alerts,
    log: v.log,
  };
}

const usd = (x: number): string => x.toFixed(2);
const pct = (w: number): string => `${(w * 100).toFixed(2)}%`;

/** The table printed without --json: the plan, what each leg did, cash, equity and weights. */
export function formatRebalance(v: RebalanceView): string {
  const s = v.summary;
  const lines = [
    `rebalance ${v.rebalanceId} on ${v.date}: ${v.outcome.status}${v.outcome.reason ? ` (${v.outcome.reason})` : ''}`,
    ...[...v.plan.sells, ...v.plan.buys].map((o) => `  plan ${o.side} ${o.symbol} ${qtyToShares(o.qty)}: ${o.reason}`),
    ...v.plan.leftAlone.map((l) => `  left alone ${l.symbol}: ${l.reason}`),
    ...v.executions.map((e) => {
      const avg = e.tca.avgPrice === null ? '-' : priceToDollars(e.tca.avgPrice).toFixed(4);
      return `  ${e.side} ${e.symbol} ${e.outcome} ${qtyToShares(e.filledQty)}/${qtyToShares(e.qty)} avg ${avg}, cost ${e.tca.costBps?.toFixed(2) ?? '-'} bps, ${e.childOrders.length} child order(s)`;
    }),
    `  cash ${usd(s.cashBefore)} -> ${usd(s.cashAfter)}; equity ${usd(s.equityBefore)} -> ${usd(s.equityAfter)}; cost ${s.costBps?.toFixed(2) ?? '-'} bps (${usd(s.costUsd)} USD); max drift ${s.maxDriftPct.toFixed(2)} pp`,
    `  weights after: ${Object.entries(s.weightsAfter).map(([sym, w]) => `${sym} ${pct(w)}`).join(', ')}`,
    ...v.alerts.map((a) => `  alert: ${formatAlertLine(a)}`),
  ];
  return lines.join('\n');
}

import { etClockOf } from '../../engine/et-time.js';
import type { ExecutionReport } from '../../engine/execution-report.js';
import { priceToDollars, qtyToShares } from '../../engine/units.js';
import type { RebalanceSection } from './report-sections.js';

/** What a rebalance's stored summary and targets tell the report (read loosely: older rows may lack fields). */
export interface RebalanceFacts {
  readonly rebalanceId: string;
  readonly date: string;
  readonly decisionTime: number;
  readonly outcome: string;
  readonly reason: string | null;
  readonly targets: { readonly kind?: string; readonly weights?: Readonly<Record<string, number>> } | null;
  readonly summary: {
    readonly weightsBefore?: Readonly<Record<string, number>>;
    readonly weightsAfter?: Readonly<Record<string, number>>;
    readonly targetWeights?: Readonly<Record<string, number>>;
    readonly cashBefore?: number;
    readonly cashAfter?: number;
    readonly costBps?: number | null;
    readonly maxDriftPct?: number;
  } | null;
}

/**
 * A rebalance as report data: its legs on one time axis (from each leg's decision to its end,
 * with its fills), and each symbol's weight before, its target and its weight after.
 */
export function rebalanceSection(r: RebalanceFacts, legs: readonly ExecutionReport[]): RebalanceSection {
  const origin = r.decisionTime;
  const sec = (t: number): number => (t - origin) / 1000;
  const before = r.summary?.weightsBefore ?? {};
  const after = r.summary?.weightsAfter ?? {};
  // The summary states every target as a weight (a share target at the last mid); older rows only have weight targets.
  const targets = r.summary?.targetWeights ?? (r.targets?.kind === 'weights' ? (r.targets.weights ?? {}) : {});
  const symbols = [...new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(targets)])].sort();
  const notes: string[] = [];
  if (r.summary?.weightsBefore === undefined) notes.push('recorded before weights before were kept: the "before" column reads 0');
  if (r.summary?.targetWeights === undefined && r.targets?.kind !== 'weights') notes.push('share targets recorded before target weights were kept: the target column reads 0');
  if (r.reason !== null) notes.push(r.reason);
  const s = r.summary;
  const money = (x: number | undefined): string => (x === undefined ? '-' : `$${x.toFixed(2)}`);
  return {
    kind: 'rebalance',
    title: `Rebalance ${r.rebalanceId}`,
    subtitle: `${r.date}, decided ${etClockOf(origin)} ET: ${r.outcome}; cash ${money(s?.cashBefore)} → ${money(s?.cashAfter)}; cost ${s?.costBps == null ? '-' : `${s.costBps.toFixed(2)} bps`}; largest drift left ${s?.maxDriftPct === undefined ? '-' : `${s.maxDriftPct.toFixed(2)} pp`}`,
    originMs: origin,
    originLabel: `${etClockOf(origin)} ET`,
    orders: legs.map((e) => {
      const end = Math.max(e.decisionTime + e.durationMs, ...e.childOrders.map((c) => c.endedAt ?? c.submittedAt));
      return {
        label: `${e.symbol} ${e.side} ${qtyToShares(e.filledQty)}/${qtyToShares(e.qty)} (${e.outcome})`,
        from: sec(e.decisionTime),
        to: sec(end),
        fills: e.childOrders.flatMap((c) => c.fills.map((f) => ({ t: sec(f.time), shares: qtyToShares(f.qty), price: priceToDollars(f.price) }))),
      };
    }),
    weights: symbols.map((symbol) => ({ symbol, before: before[symbol] ?? 0, target: targets[symbol] ?? 0, after: after[symbol] ?? 0 })),
    notes,
  };
}

import type { ExecutionReport } from '../execution-report.js';
import type { Money } from '../money.js';
import type { Qty } from '../units.js';
import type { RebalanceLeg, RebalanceOutcome, RebalanceState } from './machine-types.js';

/** A leg of a live rebalance as it ended: its report, or why it never ran. */
export interface EndedLeg {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly executionId: string;
  readonly plannedQty: Qty;
  readonly desiredQty: Qty;
  /** Null when the leg never ran (dropped, or refused before anything was sent). */
  readonly report: ExecutionReport | null;
  readonly note: string | null;
}

/**
 * The rebalance machine's books over legs that ran elsewhere (the live rebalance runs each leg on
 * issue 9's driver): a finished RebalanceState whose legs carry each report's fills, so the
 * machine's own ledger (cashOf, positionsOf) and summary value them, rounding against us.
 */
export function booksOf(rebalanceId: string, cashBefore: Money, positionsBefore: Readonly<Record<string, Qty>>, legs: readonly EndedLeg[], outcome: { status: RebalanceOutcome; reason: string | null; at: number }): RebalanceState {
  const machineLegs: RebalanceLeg[] = legs.map((l) => {
    let notional = 0n;
    for (const c of l.report?.childOrders ?? []) for (const f of c.fills) notional += BigInt(f.qty) * BigInt(f.price);
    return {
      symbol: l.symbol, side: l.side, executionId: l.executionId, plannedQty: l.plannedQty, desiredQty: l.desiredQty,
      status: l.report === null ? 'dropped' : 'done', sentQty: l.report?.qty ?? null, priceCap: null, reserved: 0,
      filledQty: l.report?.filledQty ?? 0, notional, execution: null, note: l.note,
    };
  });
  return {
    rebalanceId, phase: 'done', cashBefore, positionsBefore: { ...positionsBefore }, legs: machineLegs, quotes: {}, sizingDeadline: null,
    timer: null, timerSeq: 0, buysWithSells: false, windows: null, outcome,
  };
}

/**
 * The one rule for a rebalance's outcome (the machine's finishRebalance and the live rebalance):
 * completed when every leg filled; partial when anything traded; failed otherwise.
 */
export function rebalanceOutcomeOf(legsShort: number, anyTraded: boolean): RebalanceOutcome {
  return legsShort === 0 ? 'completed' : anyTraded ? 'partial' : 'failed';
}

/** The outcome of legs that ran elsewhere (the live rebalance), with the reason naming each short leg. */
export function outcomeOfLegs(legs: readonly EndedLeg[]): { status: RebalanceOutcome; reason: string | null } {
  const short = legs.filter((l) => l.report === null || l.report.outcome !== 'filled');
  const status = rebalanceOutcomeOf(short.length, legs.some((l) => (l.report?.filledQty ?? 0) > 0));
  const why = (l: EndedLeg): string => (l.report === null ? `${l.symbol} ${l.side} not sent: ${l.note ?? 'no reason'}` : `${l.symbol} ${l.side} ${l.report.outcome}: ${l.report.reason ?? 'no reason'}`);
  return { status, reason: status === 'completed' ? null : short.map(why).join('; ') };
}

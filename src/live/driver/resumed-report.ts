import { etDateOf } from '../../engine/et-time.js';
import type { ChildOrderReport, ChildStatus, DecisionEvent, ExecutionReport } from '../../engine/execution-report.js';
import type { Quote } from '../../engine/quote.js';
import { computeTca } from '../../engine/tca.js';
import type { EpochMs, Qty, Side } from '../../engine/units.js';
import type { RecoveredChild } from './resume.js';

export interface ResumedInput {
  readonly executionId: string;
  readonly strategy: string;
  readonly symbol: string;
  readonly side: Side;
  /** The ORIGINAL parent quantity. */
  readonly qty: Qty;
  /** The original decision and arrival (the execution row), when known. */
  readonly decisionTime: EpochMs | null;
  readonly arrival: Quote | null;
  /** The children the broker had before this run, settled. */
  readonly recovered: readonly RecoveredChild[];
  /** The record written before the crash or stop, if any (its fills carry the NBBO). */
  readonly earlier: ExecutionReport | null;
  /** This run's execution of the remainder; null when nothing remained. */
  readonly remainder: ExecutionReport | null;
  readonly vwap: number | null;
  readonly alertCostBps: number;
  readonly now: EpochMs;
}

const STATUS: Readonly<Record<string, ChildStatus>> = { filled: 'filled', canceled: 'cancelled', expired: 'cancelled', done_for_day: 'cancelled', replaced: 'replaced', rejected: 'rejected', partially_filled: 'partially-filled', new: 'accepted', accepted: 'accepted' };

/**
 * A recovered child as a report row: the earlier record's row when its fills add up to what the
 * broker says filled (they carry prices, times and the NBBO), else one fill of the broker's
 * filled quantity at its average price, NBBO unknown.
 */
function recoveredChild(c: RecoveredChild, earlier: ExecutionReport | null, now: EpochMs): ChildOrderReport {
  const status = STATUS[c.status] ?? 'accepted';
  const before = earlier?.childOrders.find((x) => x.clientOrderId === c.clientOrderId);
  if (before !== undefined && before.fills.reduce((s, f) => s + f.qty, 0) === c.filledQty) return { ...before, status, endedAt: before.endedAt ?? c.endedAt };
  const at = c.endedAt ?? c.submittedAt ?? now;
  return {
    clientOrderId: c.clientOrderId,
    type: c.type,
    limitPrice: c.type === 'market' ? null : c.limitPrice,
    qty: c.qty,
    submittedAt: c.submittedAt ?? at,
    endedAt: c.endedAt,
    status,
    rejectReason: null,
    fills: c.filledQty > 0 && c.avgPrice !== null ? [{ time: at, price: c.avgPrice, qty: c.filledQty, bid: null, ask: null }] : [],
  };
}

/**
 * ONE record for a resumed execution (DESIGN.md: a resumed execution is one record for the whole
 * parent): the original quantity, every child and fill before and after the crash, costs against
 * the original arrival, the duration from the original decision.
 */
export function resumedReport(x: ResumedInput): ExecutionReport {
  const before = x.recovered.map((c) => recoveredChild(c, x.earlier, x.now));
  const after = x.remainder?.childOrders ?? [];
  const childOrders = [...before, ...after];
  const fills = childOrders.flatMap((c) => c.fills);
  const filledQty = fills.reduce((s, f) => s + f.qty, 0);
  const decisionTime = x.decisionTime ?? x.earlier?.decisionTime ?? Math.min(...childOrders.map((c) => c.submittedAt), x.remainder?.decisionTime ?? x.now);
  const arrival = x.arrival ?? x.earlier?.arrival ?? x.remainder?.arrival ?? null;
  const outcome = filledQty >= x.qty ? 'filled' : filledQty > 0 ? 'partial' : 'failed';
  const reason = outcome === 'filled' ? null : (x.remainder?.reason ?? x.earlier?.reason ?? `${(x.qty - filledQty) / 1e9} shares unfilled`);
  const ends = childOrders.map((c) => c.endedAt ?? c.submittedAt);
  const end = Math.max(decisionTime, ...ends, x.remainder === null ? decisionTime : x.remainder.decisionTime + x.remainder.durationMs);
  const limits = childOrders.filter((c) => c.type === 'limit').length;
  const usedFallback = (x.remainder?.usedFallback ?? false) || (x.earlier?.usedFallback ?? false) || before.some((c) => c.type === 'market');
  const cancelled = x.recovered.filter((c) => c.cancelledNow).map((c) => c.clientOrderId);
  const resumeEvent: DecisionEvent = {
    time: x.now,
    kind: 'resume',
    detail: `resumed with ${x.recovered.length} earlier child order(s), ${x.recovered.reduce((s, c) => s + c.filledQty, 0) / 1e9} of ${x.qty / 1e9} filled${cancelled.length > 0 ? `; cancelled ${cancelled.join(', ')}` : ''}`,
  };
  const tca = computeTca({ side: x.side, arrival, fills, vwap: x.vwap, alertCostBps: x.alertCostBps });
  return {
    executionId: x.executionId,
    strategy: x.strategy,
    symbol: x.symbol,
    date: etDateOf(decisionTime),
    side: x.side,
    qty: x.qty,
    decisionTime,
    arrival,
    outcome,
    reason,
    filledQty,
    // Every limit after the first re-priced the order, the crash's re-send included.
    repegs: Math.max(0, limits - 1),
    usedFallback,
    durationMs: end - decisionTime,
    tca,
    // A real broker: no simulated liquidity model, and no market after the execution to charge the rest against.
    liquidity: null,
    chargedCostBps: null,
    childOrders,
    events: [...(x.earlier?.events ?? []), resumeEvent, ...(x.remainder?.events ?? [])],
  };
}

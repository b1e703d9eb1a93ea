import type { ExecutionReport } from '../engine/execution-report.js';
import { priceToDollars, qtyToShares } from '../engine/units.js';

const dollars = (p: number | null): number | null => (p === null ? null : priceToDollars(p));
/** Costs and averages rounded for people; 6 decimals keeps sub-cent and sub-bp detail. */
const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e6) / 1e6 + 0);

/** The public JSON shape of one execution: prices in dollars, quantities in shares, times in epoch ms. */
export function executionToJson(r: ExecutionReport) {
  return {
    executionId: r.executionId,
    strategy: r.strategy,
    symbol: r.symbol,
    date: r.date,
    side: r.side,
    qty: qtyToShares(r.qty),
    decisionTime: r.decisionTime,
    liquidity: r.liquidity,
    arrival: r.arrival === null ? null : { time: r.arrival.time, bid: dollars(r.arrival.bid), ask: dollars(r.arrival.ask), mid: round(dollars(r.tca.arrivalMid)) },
    outcome: r.outcome,
    reason: r.reason,
    filledQty: qtyToShares(r.filledQty),
    avgPrice: round(dollars(r.tca.avgPrice)),
    costBps: round(r.tca.costBps),
    chargedCostBps: round(r.chargedCostBps),
    costCentsPerShare: round(r.tca.costCentsPerShare),
    effectiveCostBps: round(r.tca.effectiveCostBps),
    vwap: round(dollars(r.tca.vwap)),
    vwapCostBps: round(r.tca.vwapCostBps),
    alert: r.tca.alert,
    repegs: r.repegs,
    usedFallback: r.usedFallback,
    durationMs: r.durationMs,
    childOrders: r.childOrders.map((c) => ({
      clientOrderId: c.clientOrderId,
      type: c.type,
      limitPrice: dollars(c.limitPrice),
      qty: qtyToShares(c.qty),
      submittedAt: c.submittedAt,
      endedAt: c.endedAt,
      status: c.status,
      rejectReason: c.rejectReason,
      fills: c.fills.map((f) => ({ time: f.time, price: priceToDollars(f.price), qty: qtyToShares(f.qty), nbboBid: dollars(f.bid), nbboAsk: dollars(f.ask) })),
    })),
    events: r.events,
  };
}

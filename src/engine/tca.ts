import type { FillReport, Tca } from './execution-report.js';
import type { Quote } from './quote.js';
import type { SpreadClass } from './spread.js';
import { midPrice } from './quote.js';
import { QTY_SCALE, sideSign, type Side } from './units.js';

export interface TcaInput {
  readonly side: Side;
  readonly arrival: Quote | null;
  readonly fills: readonly FillReport[];
  /** Interval VWAP in price units (decision to completion), or null without trades. */
  readonly vwap: number | null;
  /** The cost alert's bound, bps: the pre-market budget of the assessed class, else ladder.alertCostBps. */
  readonly alertCostBps: number;
  /** The pre-market spread class whose budget `alertCostBps` is; null or absent: no assessment ran. */
  readonly alertBoundClass?: SpreadClass | null;
}

/** Signed so that positive = worse for us: paying above the reference on a buy, receiving below on a sell. */
function costBps(side: Side, price: number, reference: number): number {
  return (sideSign(side) * (price - reference) * 10_000) / reference;
}

/** Post-fill analysis of one execution (DESIGN step 5). Positive = cost. */
export function computeTca(input: TcaInput): Tca {
  const { side, arrival, fills } = input;
  const arrivalMid = arrival === null ? null : midPrice(arrival);
  let shares = 0;
  let notional = 0;
  let effWeighted = 0;
  let effShares = 0;
  for (const f of fills) {
    const q = f.qty / QTY_SCALE;
    shares += q;
    notional += q * f.price;
    if (f.bid !== null && f.ask !== null && f.bid > 0 && f.ask > f.bid) {
      effWeighted += q * costBps(side, f.price, (f.bid + f.ask) / 2);
      effShares += q;
    }
  }
  const avgPrice = shares > 0 ? notional / shares : null;
  const cost = avgPrice !== null && arrivalMid !== null ? costBps(side, avgPrice, arrivalMid) : null;
  return {
    arrivalMid,
    avgPrice,
    costBps: cost,
    costCentsPerShare: avgPrice !== null && arrivalMid !== null ? (sideSign(side) * (avgPrice - arrivalMid)) / 100 : null,
    effectiveCostBps: effShares > 0 ? effWeighted / effShares : null,
    vwap: input.vwap,
    vwapCostBps: avgPrice !== null && input.vwap !== null && input.vwap > 0 ? costBps(side, avgPrice, input.vwap) : null,
    alert: cost !== null && cost > input.alertCostBps,
    alertBoundBps: input.alertCostBps,
    alertBoundClass: input.alertBoundClass ?? null,
  };
}
